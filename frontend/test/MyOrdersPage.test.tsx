import { screen, within } from '@testing-library/react';
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
});
