import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { Route, Routes } from 'react-router';
import { CartProvider } from './cart/CartProvider';
import { Layout } from './components/Layout';
import { CartPage } from './pages/CartPage';
import { CheckoutPage } from './pages/CheckoutPage';
import { DevToolsPage } from './pages/DevToolsPage';
import { MenuPage } from './pages/MenuPage';
import { MyOrdersPage } from './pages/MyOrdersPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SystemPage } from './pages/SystemPage';
import { TracePage } from './pages/TracePage';
import { TrackingPage } from './pages/TrackingPage';

/** Providers and routes; the router itself comes from the caller (browser or memory, in tests). */
export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <CartProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<MenuPage />} />
            <Route path="cart" element={<CartPage />} />
            <Route path="checkout" element={<CheckoutPage />} />
            <Route path="orders/:id" element={<TrackingPage />} />
            <Route path="my-orders" element={<MyOrdersPage />} />
            <Route path="dev" element={<DevToolsPage />} />
            <Route path="system" element={<SystemPage />} />
            <Route path="trace" element={<TracePage />} />
            <Route path="orders/:id/trace" element={<TracePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </CartProvider>
    </QueryClientProvider>
  );
}
