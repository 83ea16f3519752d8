import { QueryClient, useQuery } from '@tanstack/react-query';
import { checkLiveness, fetchDeadLetters, fetchMenu, fetchOrder } from './endpoints';
import { ApiError } from './errors';

/** Server state: query keys and the hooks that read them. */

export const MENU_REFRESH_MS = 3_000;
const HEALTH_REFRESH_MS = 10_000;

export const queryKeys = {
  menu: ['menu'] as const,
  health: ['health', 'live'] as const,
  order: (orderId: string, token: string) => ['order', orderId, token] as const,
  deadLetters: (adminToken: string) => ['dead-letters', adminToken] as const,
};

/** A 4xx will not change by asking again; anything else gets a couple more tries. */
function retryUnlessRefused(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: retryUnlessRefused, refetchOnWindowFocus: true, staleTime: 1_000 },
      mutations: { retry: false },
    },
  });
}

/**
 * The menu. `poll` (default) asks again every MENU_REFRESH_MS, and on focus, since stock moves with every
 * order; off where something else keeps the stock fresh (the live stock socket) or only errors matter.
 */
export function useMenu(options: { poll?: boolean } = {}) {
  const poll = options.poll ?? true;
  return useQuery({
    queryKey: queryKeys.menu,
    queryFn: ({ signal }) => fetchMenu(signal),
    refetchInterval: poll ? MENU_REFRESH_MS : false,
    refetchOnWindowFocus: poll,
  });
}

export function useLiveness() {
  return useQuery({
    queryKey: queryKeys.health,
    queryFn: ({ signal }) => checkLiveness(signal),
    refetchInterval: HEALTH_REFRESH_MS,
    retry: false,
  });
}

/** One order; `pollMs` asks for it again that often (while nothing else keeps it fresh). */
export function useOrder(orderId: string, token: string, options: { pollMs?: number } = {}) {
  return useQuery({
    queryKey: queryKeys.order(orderId, token),
    queryFn: ({ signal }) => fetchOrder(orderId, token, signal),
    enabled: orderId !== '' && token !== '',
    refetchInterval: options.pollMs ?? false,
  });
}

export function useDeadLetters(adminToken: string) {
  return useQuery({
    queryKey: queryKeys.deadLetters(adminToken),
    queryFn: ({ signal }) => fetchDeadLetters(adminToken, signal),
    enabled: adminToken !== '',
  });
}
