import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAdminToken } from '../src/system/adminApi';
import { json, renderApp, stubFetch } from './helpers';

afterEach(() => vi.unstubAllGlobals());

describe('dev tools page', () => {
  it('sends the typed admin token as a bearer token and shows the dead-letter count', async () => {
    const requests = stubFetch((request) =>
      request.url.pathname === '/api/v1/admin/dead-letters'
        ? json(200, { count: 3, items: [] })
        : json(200, { items: [] }),
    );
    const { user } = renderApp('/dev');
    await user.type(screen.getByLabelText('Admin token'), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Show dead letters' }));

    expect(await screen.findByText('3')).toBeTruthy();
    const call = requests.find((request) => request.url.pathname === '/api/v1/admin/dead-letters');
    expect(call?.headers.get('Authorization')).toBe('Bearer s3cret');
    expect(window.sessionStorage.getItem('pizza.admin-token')).toBe('s3cret');
    // The system view's admin controls read the token the panel kept, through the same accessor.
    expect(readAdminToken()).toBe('s3cret');
    expect(screen.getByRole('link', { name: 'API documentation' }).getAttribute('href')).toBe('/api/docs');
  });

  it('shows which consumer group each dead letter failed in, so one entry failing twice is two distinct rows', async () => {
    const failed = (group: string) => ({
      id: `1-${group}`,
      original_stream: 'orders-stream',
      group,
      event_type: 'order.created',
      attempts: 5,
      last_error: 'boom',
      failed_at: '2026-01-01T12:00:00.000Z',
    });
    stubFetch((request) =>
      request.url.pathname === '/api/v1/admin/dead-letters'
        ? json(200, { count: 2, items: [failed('delivery-group'), failed('notifications-group')] })
        : json(200, { items: [] }),
    );
    const { user } = renderApp('/dev');
    await user.type(screen.getByLabelText('Admin token'), 's3cret');
    await user.click(screen.getByRole('button', { name: 'Show dead letters' }));
    const rows = await screen.findAllByRole('listitem');
    const texts = rows.map((row) => row.textContent ?? '').filter((text) => text.includes('orders-stream'));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('failed in delivery-group after 5 attempts');
    expect(texts[1]).toContain('failed in notifications-group after 5 attempts');
  });

  it('when the token is refused, then it says so clearly', async () => {
    stubFetch((request) =>
      request.url.pathname === '/api/v1/admin/dead-letters'
        ? json(401, { error: { code: 'unauthorized', message: 'Bad token' } })
        : json(200, { items: [] }),
    );
    const { user } = renderApp('/dev');
    await user.type(screen.getByLabelText('Admin token'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Show dead letters' }));
    expect(await screen.findByText(/admin token was refused \(401\)/)).toBeTruthy();
  });
});
