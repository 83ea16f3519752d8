import { NavLink, Outlet } from 'react-router';
import { itemCount } from '../cart/cart';
import { useCart } from '../cart/useCart';
import { ApiStatusBanner } from './ApiStatusBanner';

function navClass({ isActive }: { isActive: boolean }): string {
  const base = 'rounded-md px-3 py-2 text-sm font-medium';
  return isActive ? `${base} bg-red-700 text-white` : `${base} text-stone-700 hover:bg-stone-200`;
}

export function Layout() {
  const { cart } = useCart();
  const count = itemCount(cart);
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <ApiStatusBanner />
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <NavLink to="/" className="flex items-center gap-2 text-xl font-bold tracking-tight text-red-700">
            <svg aria-hidden="true" viewBox="0 0 24 24" className="h-7 w-7">
              <path
                d="M12 22 2.5 5.5a11 11 0 0 1 19 0z"
                className="fill-amber-300 stroke-amber-700"
                strokeWidth="1.5"
              />
              <circle cx="9" cy="8" r="1.6" className="fill-red-700" />
              <circle cx="14.5" cy="9" r="1.6" className="fill-red-700" />
              <circle cx="12" cy="14" r="1.4" className="fill-red-700" />
            </svg>
            Pizza Events
          </NavLink>
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            <NavLink to="/" end className={navClass}>
              Menu
            </NavLink>
            <NavLink to="/cart" className={navClass}>
              Cart{count > 0 ? ` (${count})` : ''}
            </NavLink>
            <NavLink to="/my-orders" className={navClass}>
              My orders
            </NavLink>
            <NavLink to="/system" className={navClass}>
              System
            </NavLink>
            <NavLink to="/dev" className={navClass}>
              Dev tools
            </NavLink>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
