import type { MenuItem } from '@pizza/shared/contract';
import { isUnreachable } from '../api/errors';
import { useMenu } from '../api/queries';
import { addRefusal, quantityOf } from '../cart/cart';
import { useCart } from '../cart/useCart';
import { MenuCard } from '../components/MenuCard';
import { Notice } from '../components/Notice';
import { useLiveStock, withLiveStock } from '../stock/useLiveStock';

const SECTIONS: { category: MenuItem['category']; title: string }[] = [
  { category: 'pizza', title: 'Pizzas' },
  { category: 'drink', title: 'Drinks' },
];

export function MenuPage() {
  // Stock comes pushed while the socket is live; the menu is polled only while it is not.
  const stock = useLiveStock();
  const menu = useMenu({ poll: !stock.live });
  const { cart, add } = useCart();

  if (menu.isPending) return <p className="text-stone-600">Loading the menu…</p>;
  if (menu.isError && menu.data === undefined) {
    return (
      <Notice tone="error">
        {isUnreachable(menu.error)
          ? 'The menu cannot be loaded right now: the service is unreachable.'
          : menu.error.message}
      </Notice>
    );
  }

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold">Menu</h1>
      {SECTIONS.map(({ category, title }) => {
        const items = withLiveStock(menu.data.items, stock.levels).filter(
          (item) => item.category === category,
        );
        if (items.length === 0) return null;
        return (
          <section key={category} aria-labelledby={`section-${category}`}>
            <h2 id={`section-${category}`} className="mb-3 text-lg font-semibold text-stone-700">
              {title}
            </h2>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {items.map((item) => (
                <MenuCard
                  key={item.id}
                  item={item}
                  inCart={quantityOf(cart, item.id)}
                  refusal={addRefusal(cart, item)}
                  onAdd={() => add(item)}
                />
              ))}
            </div>
          </section>
        );
      })}
    </div>
  );
}
