import type { CreatedOrder } from '@pizza/shared/contract';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CART_STORAGE_KEY, saveCart } from '../src/cart/storage';
import { loadMyOrders } from '../src/tracking/myOrders';
import { FakeWebSocket } from './fakeWebSocket';
import { json, menuItem, renderApp, stubFetch, type FakeRequest } from './helpers';

const MENU = {
  items: [
    menuItem('margherita', { name: 'Margherita' }),
    menuItem('diavola', { name: 'Diavola', price: 1_400 }),
  ],
};

function created(): CreatedOrder {
  return {
    id: 'order-1',
    status: 'created',
    items: [{ item_id: 'margherita', name: 'Margherita', quantity: 2, unit_price: 1_250, line_total: 2_500 }],
    total: 2_500,
    customer: { name: 'Ada', address: '1 Loop St' },
    created_at: '2026-01-01T12:00:00.000Z',
    timeline: [{ status: 'created', at: '2026-01-01T12:00:00.000Z' }],
    delivery: null,
    tracking_token: 'secret-token',
  };
}

/** Serves the menu and answers order placements with `placeOrder`. */
function serve(placeOrder: (request: FakeRequest) => Response | Promise<Response>) {
  return stubFetch((request) => {
    if (request.url.pathname === '/api/v1/menu') return json(200, MENU);
    if (request.url.pathname === '/api/v1/orders' && request.method === 'POST') return placeOrder(request);
    if (request.url.pathname === '/api/v1/orders/order-1') return json(200, created());
    return json(200, {});
  });
}

async function fillAndSubmit(user: ReturnType<typeof renderApp>['user']) {
  await user.type(screen.getByLabelText('Name'), 'Ada');
  await user.type(screen.getByLabelText('Address'), '1 Loop St');
  await user.click(screen.getByRole('button', { name: 'Place order' }));
}

const orderPosts = (requests: FakeRequest[]) => requests.filter((request) => request.method === 'POST');

describe('checkout page', () => {
  beforeEach(() => {
    FakeWebSocket.install();
    saveCart(window.localStorage, {
      lines: [
        { item_id: 'margherita', quantity: 2 },
        { item_id: 'diavola', quantity: 3 },
      ],
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('when stock ran out, then the message shows next to the line that caused it', async () => {
    serve(() =>
      json(409, {
        error: {
          code: 'out_of_stock',
          message: 'Not enough stock',
          details: { items: [{ item_id: 'diavola', requested: 3, available: 1 }] },
        },
      }),
    );
    const { user } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await fillAndSubmit(user);

    const line = (await screen.findByText('3 × Diavola')).closest('li');
    expect(await within(line!).findByRole('alert')).toHaveProperty(
      'textContent',
      'Not enough in stock: you asked for 3, only 1 is left.',
    );
    const otherLine = screen.getByText('2 × Margherita').closest('li');
    expect(within(otherLine!).queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Order what is available instead' }));
    expect(await screen.findByText('1 × Diavola')).toBeTruthy();
  });

  it('when the server rejects a field, then the message shows under that field', async () => {
    serve(() =>
      json(400, {
        error: {
          code: 'validation_error',
          message: 'Invalid',
          details: [{ path: 'customer.address', message: 'Address is not deliverable' }],
        },
      }),
    );
    const { user } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await fillAndSubmit(user);

    await screen.findByText('Address is not deliverable');
    expect(screen.getByLabelText('Address').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');
  });

  it('when the form is empty, then it says what is missing without calling the server', async () => {
    const requests = serve(() => json(201, created()));
    const { user } = renderApp('/checkout');
    await user.click(await screen.findByRole('button', { name: 'Place order' }));
    expect(screen.getByText('Please enter your name.')).toBeTruthy();
    expect(screen.getByText('Please enter your address.')).toBeTruthy();
    expect(orderPosts(requests)).toHaveLength(0);
  });

  it('when the answer is lost and the customer tries again, then the same Idempotency-Key is sent', async () => {
    let calls = 0;
    const requests = serve(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new TypeError('Failed to fetch')) : json(201, created());
    });
    const { user, currentPath } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await fillAndSubmit(user);
    await screen.findByText(/could not be reached/);
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    await waitFor(() => expect(currentPath()).toBe('/orders/order-1?token=secret-token'));
    const [first, second] = orderPosts(requests);
    expect(first?.headers.get('Idempotency-Key')).toBeTruthy();
    expect(second?.headers.get('Idempotency-Key')).toBe(first?.headers.get('Idempotency-Key'));
  });

  it('while the order is being placed, the button is disabled so a double click orders once', async () => {
    let answer: (response: Response) => void = () => undefined;
    const requests = serve(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { user } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await fillAndSubmit(user);

    const button = screen.getByRole('button', { name: 'Placing order…' });
    expect(button).toHaveProperty('disabled', true);
    await user.dblClick(button);
    expect(orderPosts(requests)).toHaveLength(1);
    answer(json(201, created()));
    await screen.findByRole('heading', { name: 'Received' });
  });

  it('when the form is submitted twice before the page re-renders, then the order is placed once', async () => {
    let answer: (response: Response) => void = () => undefined;
    const requests = serve(() => new Promise<Response>((resolve) => (answer = resolve)));
    const { user } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Address'), '1 Loop St');

    const button = screen.getByRole('button', { name: 'Place order' });
    act(() => {
      fireEvent.click(button);
      fireEvent.click(button);
    });
    await waitFor(() => expect(orderPosts(requests)).toHaveLength(1));
    answer(json(201, created()));
    await screen.findByRole('heading', { name: 'Received' });
    expect(orderPosts(requests)).toHaveLength(1);
  });

  it('when the order is placed, then the cart is emptied, the order remembered and tracking opens', async () => {
    serve(() => json(201, created()));
    const { user, currentPath } = renderApp('/checkout');
    await screen.findByText('3 × Diavola');
    await fillAndSubmit(user);

    await screen.findByRole('heading', { name: 'Received' });
    expect(currentPath()).toBe('/orders/order-1?token=secret-token');
    expect(window.localStorage.getItem(CART_STORAGE_KEY)).toBeNull();
    expect(loadMyOrders(window.localStorage).map((order) => order.id)).toEqual(['order-1']);
    expect(FakeWebSocket.latest().url).toBe('ws://localhost:3000/ws/v1/order-tracking/order-1');
    expect(FakeWebSocket.latest().protocols).toEqual(['pizza-tracking.v1', 'token.secret-token']);
  });
});
