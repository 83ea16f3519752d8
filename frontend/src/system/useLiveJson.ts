import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { reconnectDelay } from '../tracking/backoff';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'not_found';

export function socketUrl(
  path: string,
  location: Pick<Location, 'protocol' | 'host'> = window.location,
): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}

/**
 * A WebSocket channel that pushes whole JSON documents (the system view, an order's trace): keeps the
 * newest one that matches the schema, and reconnects with backoff. Close code 4404 ends it for good.
 * `protocols` (e.g. a token subprotocol) should be stable between renders (memoised).
 */
export function useLiveJson<S extends z.ZodType>(
  path: string | undefined,
  schema: S,
  protocols?: readonly string[],
) {
  const [data, setData] = useState<z.infer<S> | undefined>(undefined);
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    if (path === undefined) return;
    let disposed = false;
    let attempt = 0;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      socket = new WebSocket(socketUrl(path), protocols ? [...protocols] : undefined);
      socket.onmessage = (message) => {
        attempt = 0;
        const parsed = schema.safeParse(JSON.parse(String(message.data)));
        if (parsed.success) {
          setData(parsed.data);
          setState('live');
        }
      };
      socket.onclose = (event) => {
        if (disposed) return;
        if (event.code === 4404) return setState('not_found');
        setState('reconnecting');
        retry = setTimeout(connect, reconnectDelay(attempt++));
      };
    };
    setState('connecting');
    setData(undefined);
    connect();
    return () => {
      disposed = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [path, schema, protocols]);

  return { data, state };
}
