import type { MenuItem } from '@pizza/shared/contract';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, useLocation } from 'react-router';
import { vi } from 'vitest';
import { App } from '../src/App';

export interface FakeRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export type FakeServer = (request: FakeRequest) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Replaces fetch with `server`; returns the requests it saw. */
export function stubFetch(server: FakeServer): FakeRequest[] {
  const seen: FakeRequest[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const request = {
      method: init.method ?? 'GET',
      url: new URL(input, 'http://shop.test'),
      headers: new Headers(init.headers),
      body,
    };
    seen.push(request);
    return server(request);
  });
  return seen;
}

export function menuItem(id: string, overrides: Partial<MenuItem> = {}): MenuItem {
  return {
    id,
    name: id,
    description: `A ${id}`,
    price: 1_250,
    stock: 10,
    category: 'pizza',
    target_stock: 20,
    ...overrides,
  };
}

let currentPath = '';
function PathProbe() {
  const location = useLocation();
  currentPath = `${location.pathname}${location.search}`;
  return null;
}

/** The whole app at `path`, with a fresh cache and no retries so failures show at once. */
export function renderApp(path: string) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } },
  });
  const user = userEvent.setup();
  const view = render(
    <MemoryRouter initialEntries={[path]}>
      <App queryClient={queryClient} />
      <PathProbe />
    </MemoryRouter>,
  );
  return { ...view, user, queryClient, currentPath: () => currentPath };
}
