import { ErrorBody } from '@pizza/shared/contract';
import type { z } from 'zod';
import { apiErrorFrom, NetworkError, ResponseShapeError } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Calls the API on the page's own origin and returns the body parsed with `schema`.
 * Failures come out typed: NetworkError, ApiError (or a subclass), ResponseShapeError.
 */
export async function requestJson<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  options: RequestOptions = {},
): Promise<z.infer<Schema>> {
  const response = await send(path, options);
  const body = await readJson(response);
  if (!response.ok) throw errorFromResponse(response, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ResponseShapeError(path, { cause: parsed.error });
  return parsed.data;
}

async function send(path: string, { method = 'GET', body, headers = {}, signal }: RequestOptions) {
  const init: RequestInit = {
    method,
    headers: { Accept: 'application/json', ...headers },
    signal: signal ?? null,
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'Content-Type': 'application/json' };
  }
  try {
    return await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError('The server could not be reached.', { cause });
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function errorFromResponse(response: Response, body: unknown) {
  const parsed = ErrorBody.safeParse(body);
  if (parsed.success) return apiErrorFrom({ status: response.status, ...parsed.data.error });
  // A proxy in front of a stopped service answers with HTML or nothing: still an error with a code.
  return apiErrorFrom({
    status: response.status,
    code: response.status >= 500 ? 'unavailable' : `http_${response.status}`,
    message: response.statusText || `HTTP ${response.status}`,
  });
}
