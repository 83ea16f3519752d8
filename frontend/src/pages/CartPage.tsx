import { formatCents } from '@pizza/shared/contract';
import { Link } from 'react-router';
import { useMenu } from '../api/queries';
import { fitToAvailable, lineIssue, maxQuantityFor, priceLines, totalCents } from '../cart/cart';
import { useCart } from '../cart/useCart';
import { EmptyCartNote } from '../components/EmptyCartNote';
import { lineIssueText } from '../components/lineIssueText';
import { QuantityStepper } from '../components/QuantityStepper';

export function CartPage() {
  const { cart, setQuantity, remove, replace } = useCart();
  const menu = useMenu();
  const items = menu.data?.items ?? [];
  const priced = priceLines(cart, items);
  const hasIssues =
    menu.data !== undefined && priced.some(({ line, item }) => lineIssue(line, item) !== null);

  if (cart.lines.length === 0) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-bold">Your cart</h1>
        <EmptyCartNote />
      </div>
    );
  }

  const fitToStock = () => replace(fitToAvailable(cart, new Map(items.map((item) => [item.id, item.stock]))));

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Your cart</h1>
      <ul
        aria-label="Cart lines"
        className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white"
      >
        {priced.map(({ line, item, lineTotal }) => {
          const name = item?.name ?? line.item_id;
          const issue = menu.data === undefined ? null : lineIssue(line, item);
          return (
            <li key={line.item_id} className="flex flex-wrap items-center gap-4 p-4">
              <div className="min-w-40 flex-1">
                <p className="font-medium">{name}</p>
                {item && <p className="text-sm text-stone-600">{formatCents(item.price)} each</p>}
                {issue && <p className="text-sm font-medium text-amber-800">{lineIssueText(issue)}</p>}
              </div>
              {item && (
                <QuantityStepper
                  label={name}
                  value={line.quantity}
                  max={maxQuantityFor(item)}
                  onChange={(quantity) => setQuantity(item, quantity)}
                />
              )}
              <span className="w-24 text-right font-medium tabular-nums">
                {lineTotal === null ? '—' : formatCents(lineTotal)}
              </span>
              <button
                type="button"
                onClick={() => remove(line.item_id)}
                aria-label={`Remove ${name}`}
                className="rounded-md px-2 py-1 text-sm text-stone-600 underline hover:text-red-700"
              >
                Remove
              </button>
            </li>
          );
        })}
      </ul>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <p className="text-lg">
          Total <strong className="tabular-nums">{formatCents(totalCents(cart, items))}</strong>
        </p>
        <div className="flex flex-wrap gap-2">
          {hasIssues && (
            <button
              type="button"
              onClick={fitToStock}
              className="rounded-lg border border-amber-400 bg-amber-50 px-4 py-2 text-sm font-medium"
            >
              Fit to available stock
            </button>
          )}
          <Link
            to="/checkout"
            className="rounded-lg bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800"
          >
            Checkout
          </Link>
        </div>
      </div>
    </div>
  );
}
