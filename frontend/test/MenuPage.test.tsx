import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WS_STOCK_PATH } from '@pizza/shared/contract';
import { MENU_REFRESH_MS } from '../src/api/queries';
import { CART_STORAGE_KEY } from '../src/cart/storage';
import { FakeWebSocket } from './fakeWebSocket';
import { json, menuItem, renderApp, stubFetch } from './helpers';

const MENU = {
  items: [
    menuItem('margherita', { name: 'Margherita', price: 1_099 }),
    menuItem('funghi', { name: 'Funghi', stock: 0 }),
  ],
};

describe('menu page', () => {
  beforeEach(() => FakeWebSocket.install());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('when stock levels are pushed, the cards follow them and the menu is not polled while the socket is live', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const requests = stubFetch(() => json(200, MENU));
    renderApp('/');
    const card = await screen.findByRole('article', { name: 'Margherita' });
    const socket = FakeWebSocket.latest();
    expect(socket.url).toMatch(new RegExp(`${WS_STOCK_PATH}$`));
    act(() => socket.open());
    act(() => socket.send({ type: 'stock', items: [{ item_id: 'margherita', stock: 2 }], at: 'now' }));
    expect(await within(card).findByText('Low stock · 2 left')).toBeTruthy();
    act(() => socket.send({ type: 'stock', items: [{ item_id: 'margherita', stock: 0 }], at: 'now' }));
    expect(await within(card).findByText('Sold out', { selector: 'span[class*="ring"]' })).toBeTruthy();

    const menuReads = () => requests.filter((r) => r.url.pathname === '/api/v1/menu').length;
    const before = menuReads();
    await act(() => vi.advanceTimersByTimeAsync(MENU_REFRESH_MS * 3));
    expect(menuReads()).toBe(before);

    // The socket drops: the menu is polled again until it is back.
    act(() => socket.drop(1006));
    await act(() => vi.advanceTimersByTimeAsync(MENU_REFRESH_MS + 100));
    expect(menuReads()).toBeGreaterThan(before);
  });

  it('when an item is sold out, then its card says so and it cannot be added', async () => {
    stubFetch(() => json(200, MENU));
    const { user } = renderApp('/');

    const card = await screen.findByRole('article', { name: 'Funghi' });
    expect(within(card).getByText('Sold out', { selector: 'span[class*="ring"]' })).toBeTruthy();
    const add = within(card).getByRole('button', { name: 'Add Funghi to cart' });
    expect(add).toHaveProperty('disabled', true);
    // The accessible name is the visible text, so a speech user can say what they see.
    expect(add.textContent).toBe('Add Funghi to cart');
    expect(add.hasAttribute('aria-label')).toBe(false);

    await user.click(add);
    expect(window.localStorage.getItem(CART_STORAGE_KEY)).toBeNull();
    expect(screen.getByRole('link', { name: 'Cart' })).toBeTruthy();
  });

  it('when an item is added, then the cart count and the stored cart follow', async () => {
    stubFetch(() => json(200, MENU));
    const { user } = renderApp('/');

    const card = await screen.findByRole('article', { name: 'Margherita' });
    expect(within(card).getByText('$10.99')).toBeTruthy();
    await user.click(within(card).getByRole('button', { name: 'Add Margherita to cart' }));
    await user.click(within(card).getByRole('button', { name: 'Add Margherita to cart' }));

    expect(within(card).getByText('2 in your cart')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Cart (2)' })).toBeTruthy();
    expect(JSON.parse(window.localStorage.getItem(CART_STORAGE_KEY) ?? '{}')).toEqual({
      lines: [{ item_id: 'margherita', quantity: 2 }],
    });
  });

  it('when the API is unreachable, then a banner says so', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    renderApp('/');
    const banner = await screen.findByText(/pizza service is unreachable/i);
    expect(banner.closest('[role="alert"]')).toBeTruthy();
  });
});
