import { Link } from 'react-router';

/** What the cart and checkout pages show when there is nothing to order. */
export function EmptyCartNote() {
  return (
    <p className="text-stone-600">
      Your cart is empty.{' '}
      <Link to="/" className="font-medium text-red-700 underline">
        Browse the menu
      </Link>
      .
    </p>
  );
}
