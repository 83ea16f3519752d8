import {
  CreatedOrder,
  DeadLettersResponse,
  MenuResponse,
  OrderView,
  type CreateOrderRequest,
} from '@pizza/shared/contract';
import { z } from 'zod';
import { requestJson } from './http';

/** One function per API call of the contract, each validating what comes back. */

const API = '/api/v1';

export function fetchMenu(signal?: AbortSignal): Promise<MenuResponse> {
  return requestJson(`${API}/menu`, MenuResponse, { signal });
}

export function placeOrder(request: CreateOrderRequest, idempotencyKey: string): Promise<CreatedOrder> {
  return requestJson(`${API}/orders`, CreatedOrder, {
    method: 'POST',
    body: request,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

function orderPath(orderId: string, suffix = ''): string {
  return `${API}/orders/${encodeURIComponent(orderId)}${suffix}`;
}

/** The tracking token goes in a header, never in the URL, where proxies and servers would log it. */
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function fetchOrder(orderId: string, token: string, signal?: AbortSignal): Promise<OrderView> {
  return requestJson(orderPath(orderId), OrderView, { headers: bearer(token), signal });
}

/** Resolves with the cancelled order when the server sends it back, else null (callers refetch anyway). */
export async function cancelOrder(orderId: string, token: string): Promise<OrderView | null> {
  const body = await requestJson(orderPath(orderId, '/cancel'), z.unknown(), { method: 'POST', headers: bearer(token) });
  const order = OrderView.safeParse(body);
  return order.success ? order.data : null;
}

export async function checkLiveness(signal?: AbortSignal): Promise<true> {
  await requestJson(`${API}/health/live`, z.unknown(), { signal });
  return true;
}

export function fetchDeadLetters(adminToken: string, signal?: AbortSignal): Promise<DeadLettersResponse> {
  return requestJson(`${API}/admin/dead-letters`, DeadLettersResponse, {
    headers: bearer(adminToken),
    signal,
  });
}
