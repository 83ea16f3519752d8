/** A small fetch wrapper for the tests: JSON in, JSON (or text) out. */

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, headers: res.headers, body: (isJson && text ? JSON.parse(text) : text) as T };
}

export interface OrderBody {
  id: string;
  status: string;
  total: number;
  tracking_token: string;
  items: { item_id: string; quantity: number; unit_price: number; line_total: number; name: string }[];
  timeline: { status: string; at: string }[];
  delivery: { id: string; status: string; updated_at: string } | null;
}

export interface ErrorReply {
  error: { code: string; message: string; details?: unknown };
}

export const customer = { name: 'Ada Lovelace', address: '12 Analytical Row' };

export function orderRequest(...lines: [string, number][]) {
  return { items: lines.map(([item_id, quantity]) => ({ item_id, quantity })), customer };
}
