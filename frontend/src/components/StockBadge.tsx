import type { MenuItem } from '@pizza/shared/contract';
import { stockLevel } from '../cart/stockLevel';

const LOOK = {
  plenty: { text: 'In stock', className: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' },
  low: { text: 'Low stock', className: 'bg-amber-50 text-amber-800 ring-amber-600/30' },
  sold_out: { text: 'Sold out', className: 'bg-stone-100 text-stone-600 ring-stone-500/20' },
} as const;

export function StockBadge({ item }: { item: Pick<MenuItem, 'stock' | 'target_stock'> }) {
  const level = stockLevel(item);
  const { text, className } = LOOK[level];
  const detail = level === 'low' ? ` · ${item.stock} left` : '';
  return (
    <span
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}
    >
      {text}
      {detail}
    </span>
  );
}
