import type { OrderStatus, OrderView } from '@pizza/shared/contract';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from './fakeWebSocket';
import { POLL_WHILE_NOT_LIVE_MS } from '../src/tracking/useOrderTracking';
import { json, renderApp, stubFetch, type FakeRequest } from './helpers';

const PATH = '/orders/order-1?token=t0k';

function orderView(status: OrderStatus): OrderView {
  return {
    id: 'order-1',
    status,
    items: [{ item_id: 'margherita', name: 'Margherita', quantity: 1, unit_price: 1_250, line_total: 1_250 }],
    total: 1_250,
    customer: { name: 'Ada', address: '1 Loop St' },
    created_at: '2026-01-01T12:00:00.000Z',
    timeline: [{ status: 'created', at: '2026-01-01T12:00:00.000Z' }],
    delivery: null,
  };
}

function statusMessage(status: OrderStatus, eventId: string) {
  return {
    type: 'status',
    order_id: 'order-1',
    status,
    delivery_status: null,
    at: '2026-01-01T12:01:00.000Z',
    event_id: eventId,
  };
}

const indicator = (text: string) => screen.findByRole('status', { name: `Live updates: ${text}` });
const orderFetches = (requests: FakeRequest[]) =>
  requests.filter((request) => request.url.pathname === '/api/v1/orders/order-1');

/** Three connections that open and are closed at once by the server, each retried after its backoff ceiling. */
function failThreeOpenedConnections(): void {
  for (const ceiling of [500, 1_000, 2_000]) {
    act(() => FakeWebSocket.latest().open());
    act(() => FakeWebSocket.latest().drop(1011));
    act(() => vi.advanceTimersByTime(ceiling));
  }
}

/**
 * Runs `body` on a fake clock installed before the page renders (the polling interval is set up at
 * mount), which still moves with real time so that `findBy…` can wait.
 */
async function withPollingClock(body: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    await body();
  } finally {
    vi.useRealTimers();
  }
}

describe('tracking page', () => {
  let serverStatus: OrderStatus;
  let requests: FakeRequest[];

  beforeEach(() => {
    FakeWebSocket.install();
    serverStatus = 'created';
    requests = stubFetch((request) => {
      if (request.url.pathname === '/api/v1/orders/order-1/cancel') {
        serverStatus = 'cancelled';
        return json(200, orderView('cancelled'));
      }
      if (request.url.pathname === '/api/v1/orders/order-1') return json(200, orderView(serverStatus));
      return json(200, { items: [] });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('follows the order live, step by step', async () => {
    renderApp(PATH);
    const heading = await screen.findByRole('heading', { name: 'Received' });
    // Screen readers announce each new status without the customer having to look for it.
    expect(heading.getAttribute('aria-live')).toBe('polite');
    act(() => FakeWebSocket.latest().open());
    await indicator('Live');

    act(() => FakeWebSocket.latest().send(statusMessage('confirmed', 'e1')));
    await screen.findByRole('heading', { name: 'Confirmed' });
    act(() => FakeWebSocket.latest().send(statusMessage('preparing', 'e2')));
    await screen.findByRole('heading', { name: 'Preparing' });
    expect(screen.getByText('Preparing', { selector: 'li[aria-current="step"] span' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
  });

  it('when the link drops, then it says reconnecting, reconnects and resynchronises over HTTP', async () => {
    renderApp(PATH);
    act(() => FakeWebSocket.latest().open());
    await indicator('Live');
    const fetchesBefore = orderFetches(requests).length;

    serverStatus = 'preparing';
    act(() => FakeWebSocket.latest().drop(1006));
    await indicator('Reconnecting…');
    await waitFor(() => expect(FakeWebSocket.instances).toHaveLength(2), { timeout: 2_000 });
    act(() => FakeWebSocket.latest().open());

    await indicator('Live');
    await screen.findByRole('heading', { name: 'Preparing' });
    expect(orderFetches(requests).length).toBeGreaterThan(fetchesBefore);
  });

  it('when the server closes with 4404 for an order that exists, then it stops reconnecting, says why and polls instead', async () => {
    await withPollingClock(async () => {
      renderApp(PATH);
      await screen.findByRole('heading', { name: 'Received' });
      act(() => FakeWebSocket.latest().drop(4404));
      serverStatus = 'confirmed';
      // Far past any backoff delay: a reconnect would have happened by now.
      await act(() => vi.advanceTimersByTimeAsync(60_000));
      expect(FakeWebSocket.instances).toHaveLength(1);
      await screen.findByText(/Live updates are not available for this order: the tracking service does not know it/);
      await screen.findByRole('heading', { name: 'Confirmed' });
      await indicator('Not live');
      expect(screen.queryByText('Order not found.')).toBeNull();
    });
  });

  it('when the order API does not know the order either, then it says the order is not found without blaming the link', async () => {
    requests = stubFetch(() => json(404, { error: { code: 'not_found', message: 'Order not found' } }));
    renderApp(PATH);
    act(() => FakeWebSocket.latest().drop(4404));
    await screen.findByText('Order not found.');
    expect(screen.queryByText(/mistyped/)).toBeNull();
  });

  it('while the link is down, it polls the order, shows its true state and hides Cancel once it is too late', async () => {
    await withPollingClock(async () => {
      renderApp(PATH);
      await screen.findByRole('button', { name: 'Cancel order' });
      act(() => FakeWebSocket.latest().open());
      await indicator('Live');
      act(() => FakeWebSocket.latest().drop(1006)); // every reconnect from here on stays unanswered
      serverStatus = 'preparing';
      await act(() => vi.advanceTimersByTimeAsync(POLL_WHILE_NOT_LIVE_MS + 100));
      await screen.findByRole('heading', { name: 'Preparing' });
      expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
      expect(screen.queryByText(/Live updates are interrupted/)).not.toBeNull();
      serverStatus = 'delivered';
      await act(() => vi.advanceTimersByTimeAsync(POLL_WHILE_NOT_LIVE_MS + 100));
      await screen.findByRole('heading', { name: 'Delivered' });
      // Delivered is final: nothing more to poll for.
      const fetchesAtEnd = orderFetches(requests).length;
      await act(() => vi.advanceTimersByTimeAsync(10 * POLL_WHILE_NOT_LIVE_MS));
      expect(orderFetches(requests).length).toBeLessThanOrEqual(fetchesAtEnd + 1);
    });
  });

  it('a page opened while live updates are down follows the order by polling', async () => {
    await withPollingClock(async () => {
      renderApp(PATH);
      act(() => FakeWebSocket.latest().drop(1006));
      await screen.findByRole('heading', { name: 'Received' });
      serverStatus = 'out_for_delivery';
      await act(() => vi.advanceTimersByTimeAsync(POLL_WHILE_NOT_LIVE_MS + 100));
      await screen.findByRole('heading', { name: 'Out for delivery' });
    });
  });

  it('while the link is live, it does not poll', async () => {
    await withPollingClock(async () => {
      renderApp(PATH);
      await screen.findByRole('heading', { name: 'Received' });
      act(() => FakeWebSocket.latest().open());
      await indicator('Live');
      await act(() => vi.advanceTimersByTimeAsync(100)); // the resync of the connect
      const fetches = orderFetches(requests).length;
      await act(() => vi.advanceTimersByTimeAsync(10 * POLL_WHILE_NOT_LIVE_MS));
      expect(orderFetches(requests)).toHaveLength(fetches);
    });
  });

  it('when the server accepts and then closes at once, then the reconnect delay keeps growing', async () => {
    renderApp(PATH);
    await screen.findByRole('heading', { name: 'Received' });
    vi.useFakeTimers();
    try {
      // Attempts 0..3 wait at most 500, 1000, 2000 and 4000 ms.
      for (const ceiling of [500, 1_000, 2_000, 4_000]) {
        const before = FakeWebSocket.instances.length;
        act(() => FakeWebSocket.latest().open());
        act(() => FakeWebSocket.latest().drop(1011));
        act(() => vi.advanceTimersByTime(ceiling));
        expect(FakeWebSocket.instances).toHaveLength(before + 1);
      }
      // Attempt 4 waits at least 4000 ms: an open without any message did not start the backoff over.
      act(() => FakeWebSocket.latest().open());
      act(() => FakeWebSocket.latest().drop(1011));
      act(() => vi.advanceTimersByTime(3_000));
      expect(FakeWebSocket.instances).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('after a valid message, the reconnect delay starts over', async () => {
    renderApp(PATH);
    await screen.findByRole('heading', { name: 'Received' });
    vi.useFakeTimers();
    try {
      failThreeOpenedConnections();
      expect(FakeWebSocket.instances).toHaveLength(4);
      act(() => FakeWebSocket.latest().open());
      act(() => FakeWebSocket.latest().send(statusMessage('created', 'e0')));
      act(() => FakeWebSocket.latest().drop(1006));
      act(() => vi.advanceTimersByTime(500));
      expect(FakeWebSocket.instances).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('after the socket stayed open a while without messages, the reconnect delay starts over', async () => {
    renderApp(PATH);
    await screen.findByRole('heading', { name: 'Received' });
    vi.useFakeTimers();
    try {
      failThreeOpenedConnections();
      act(() => FakeWebSocket.latest().open());
      act(() => vi.advanceTimersByTime(5_000));
      act(() => FakeWebSocket.latest().drop(1006));
      act(() => vi.advanceTimersByTime(500));
      expect(FakeWebSocket.instances).toHaveLength(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('when the order ends while a reconnect is waiting, then no new socket is opened', async () => {
    renderApp(PATH);
    const cancel = await screen.findByRole('button', { name: 'Cancel order' });
    act(() => FakeWebSocket.latest().open());
    await indicator('Live');
    vi.useFakeTimers();
    try {
      act(() => FakeWebSocket.latest().drop(1006));
      act(() => fireEvent.click(cancel));
      // Let the cancel answer and the resync land, well before the 250 ms shortest backoff.
      for (let step = 0; step < 50 && screen.queryByRole('heading', { name: 'Cancelled' }) === null; step += 1)
        await act(() => vi.advanceTimersByTimeAsync(1));
      expect(screen.queryByRole('heading', { name: 'Cancelled' })).not.toBeNull();
      await act(() => vi.advanceTimersByTimeAsync(60_000));
      expect(FakeWebSocket.instances).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
    await indicator('Final');
  });

  it('when the HTTP order is 404, then it shows not found', async () => {
    requests = stubFetch(() => json(404, { error: { code: 'not_found', message: 'Order not found' } }));
    renderApp(PATH);
    await screen.findByText('Order not found.');
  });

  it('while cancellation is allowed, the cancel button cancels the order', async () => {
    const { user } = renderApp(PATH);
    await user.click(await screen.findByRole('button', { name: 'Cancel order' }));
    await screen.findByRole('heading', { name: 'Cancelled' });
    expect(screen.queryByRole('button', { name: 'Cancel order' })).toBeNull();
    const cancel = requests.find((request) => request.method === 'POST');
    expect(cancel?.headers.get('authorization')).toBe('Bearer t0k');
    expect(cancel?.url.search).toBe('');
  });
});
