import type { OrderStatus } from '@pizza/shared/contract';
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadMyOrders, rememberOrder } from '../src/tracking/myOrders';
import { json, renderApp, stubFetch } from './helpers';

afterEach(() => vi.unstubAllGlobals());

describe('my orders page', () => {
  it('lists the orders placed from this browser with their current status and tracking links', async () => {
    rememberOrder(window.localStorage, { id: 'old', token: 'gone', placed_at: '2026-01-01T10:00:00.000Z' });
    rememberOrder(window.localStorage, { id: 'new', token: 'tk', placed_at: '2026-01-01T11:00:00.000Z' });
    stubFetch((request) => {
      if (request.url.pathname === '/api/v1/orders/new') {
        return json(200, {
          id: 'new',
          status: 'out_for_delivery',
          items: [],
          total: 2_500,
          customer: { name: 'A', address: 'B' },
          created_at: '2026-01-01T11:00:00.000Z',
          timeline: [],
          delivery: null,
        });
      }
      if (request.url.pathname === '/api/v1/orders/old')
        return json(404, { error: { code: 'not_found', message: 'No such order' } });
      return json(200, { items: [] });
    });
    const { user } = renderApp('/my-orders');

    const rows = screen.getAllByRole('listitem');
    expect(within(rows[0]!).getByRole('link', { name: 'Order new' }).getAttribute('href')).toBe(
      '/orders/new?token=tk',
    );
    expect(await within(rows[0]!).findByText('Out for delivery')).toBeTruthy();
    expect(await within(rows[1]!).findByText('Not found')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Forget order old' }));
    expect(loadMyOrders(window.localStorage).map((order) => order.id)).toEqual(['new']);
  });

  it('keeps refreshing orders still under way, and stops for delivered, cancelled and unknown ones', async () => {
    const statuses: Record<string, OrderStatus> = { moving: 'preparing', done: 'delivered', off: 'cancelled' };
    for (const id of ['moving', 'done', 'off', 'lost'])
      rememberOrder(window.localStorage, { id, token: 'tk', placed_at: '2026-01-01T11:00:00.000Z' });
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const requests = stubFetch((request) => {
        const id = request.url.pathname.split('/').at(-1) ?? '';
        const status = statuses[id];
        if (status === undefined) return json(404, { error: { code: 'not_found', message: 'No such order' } });
        return json(200, {
          id,
          status,
          items: [],
          total: 1_000,
          customer: { name: 'A', address: 'B' },
          created_at: '2026-01-01T11:00:00.000Z',
          timeline: [],
          delivery: null,
        });
      });
      renderApp('/my-orders');
      await screen.findByText('Preparing');
      await screen.findByText('Delivered');
      await screen.findByText('Cancelled');
      await screen.findByText('Not found');

      await act(() => vi.advanceTimersByTimeAsync(16_000));
      const fetchesOf = (id: string) => requests.filter((request) => request.url.pathname === `/api/v1/orders/${id}`).length;
      expect(fetchesOf('moving')).toBeGreaterThanOrEqual(3);
      expect(fetchesOf('done')).toBe(1);
      expect(fetchesOf('off')).toBe(1);
      expect(fetchesOf('lost')).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
