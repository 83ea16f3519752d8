import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
    expect(screen.getByRole('link', { name: 'API documentation' }).getAttribute('href')).toBe('/api/docs');
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
