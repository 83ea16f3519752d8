import { formatCents, type MenuItem } from '@pizza/shared/contract';
import type { AddRefusal } from '../cart/cart';
import { StockBadge } from './StockBadge';

const REFUSAL_TEXT: Record<AddRefusal, string> = {
  sold_out: 'Sold out',
  stock_limit: 'All available are in your cart',
  too_many_lines: 'Your cart is full',
};

interface MenuCardProps {
  item: MenuItem;
  inCart: number;
  refusal: AddRefusal | null;
  onAdd: () => void;
}

export function MenuCard({ item, inCart, refusal, onAdd }: MenuCardProps) {
  const headingId = `menu-item-${item.id}`;
  const soldOut = refusal === 'sold_out';
  return (
    <article
      aria-labelledby={headingId}
      className={`flex flex-col rounded-xl border border-stone-200 bg-white p-4 shadow-sm ${soldOut ? 'opacity-70' : ''}`}
    >
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="text-lg font-semibold">
          {item.name}
        </h3>
        <StockBadge item={item} />
      </div>
      <p className="mt-1 flex-1 text-sm text-stone-600">{item.description}</p>
      <div className="mt-4 flex items-center justify-between gap-2">
        <span className="text-lg font-semibold tabular-nums">{formatCents(item.price)}</span>
        <button
          type="button"
          onClick={onAdd}
          disabled={refusal !== null}
          aria-describedby={refusal === null ? undefined : `${headingId}-refusal`}
          className="rounded-lg bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-stone-300 disabled:text-stone-600"
        >
          {/* The visible text is the whole accessible name, so speech users can say what they see. */}
          Add {item.name} to cart
        </button>
      </div>
      <p className="mt-2 flex h-5 justify-between gap-2 text-sm text-stone-600">
        <span>{inCart > 0 ? `${inCart} in your cart` : ''}</span>
        {refusal !== null && <span id={`${headingId}-refusal`}>{REFUSAL_TEXT[refusal]}</span>}
      </p>
    </article>
  );
}
