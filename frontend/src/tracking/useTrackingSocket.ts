import {
  trackingProtocols,
  TrackingMessage,
  WS_CLOSE_NOT_FOUND,
  WS_TRACKING_PATH,
  type StatusMessage,
} from '@pizza/shared/contract';
import { useEffect, useRef, useState } from 'react';
import { reconnectDelay } from './backoff';

/** How long a socket must stay open, without any message, before the reconnect backoff starts over. */
const STABLE_AFTER_MS = 5_000;

/** The state of the live link, as the "live / reconnecting" indicator shows it. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'not_found' | 'ended';

/** The socket's URL: no token in it, the token goes as a subprotocol (`trackingProtocols`). */
export function trackingSocketUrl(location: Pick<Location, 'protocol' | 'host'>, orderId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_TRACKING_PATH}${encodeURIComponent(orderId)}`;
}

interface TrackingSocketOptions {
  orderId: string;
  token: string;
  /** Once the order is delivered or cancelled nothing more will come: close and stay closed. */
  finished: boolean;
  onStatus: (message: StatusMessage) => void;
  /** Called on every (re)connect, to resynchronise what may have been missed while away. */
  onConnected: () => void;
}

export function useTrackingSocket({
  orderId,
  token,
  finished,
  onStatus,
  onConnected,
}: TrackingSocketOptions): LinkState {
  const [linkState, setLinkState] = useState<LinkState>('connecting');
  const handlers = useRef({ onStatus, onConnected });
  handlers.current = { onStatus, onConnected };
  const finishedRef = useRef(finished);
  finishedRef.current = finished;
  const socketRef = useRef<WebSocket | null>(null);
  /** A reconnect waiting out its backoff, so that finishing can call it off. */
  const retryTimerRef = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    // Without both there is nothing the server could find.
    if (orderId === '' || token === '') return setLinkState('not_found');
    let attempt = 0;
    let disposed = false;
    const clearRetry = () => {
      if (retryTimerRef.current !== undefined) clearTimeout(retryTimerRef.current);
      retryTimerRef.current = undefined;
    };

    const connect = () => {
      retryTimerRef.current = undefined;
      // Finished while a reconnect was waiting: nothing more will come, so do not open another socket.
      if (finishedRef.current) return setLinkState('ended');
      const socket = new WebSocket(trackingSocketUrl(window.location, orderId), trackingProtocols(token));
      socketRef.current = socket;
      // An accepted connection is not yet a working one: a server that accepts and then closes at once
      // must keep backing off. The backoff starts over after the first valid message, or after the
      // socket has stayed open a while (an order with nothing cached may send nothing at first).
      let stableTimer: ReturnType<typeof setTimeout> | undefined;
      const settled = () => {
        if (stableTimer !== undefined) clearTimeout(stableTimer);
        stableTimer = undefined;
      };
      socket.onopen = () => {
        stableTimer = setTimeout(() => {
          stableTimer = undefined;
          attempt = 0;
        }, STABLE_AFTER_MS);
        setLinkState('live');
        handlers.current.onConnected();
      };
      socket.onmessage = (event: MessageEvent) => {
        const parsed = TrackingMessage.safeParse(parseJson(event.data));
        if (!parsed.success) return;
        settled();
        attempt = 0;
        if (parsed.data.type === 'status') handlers.current.onStatus(parsed.data);
      };
      socket.onclose = (event: CloseEvent) => {
        settled();
        if (disposed) return;
        if (event.code === WS_CLOSE_NOT_FOUND) return setLinkState('not_found');
        if (finishedRef.current) return setLinkState('ended');
        setLinkState('reconnecting');
        retryTimerRef.current = setTimeout(connect, reconnectDelay(attempt));
        attempt += 1;
      };
    };

    // Back online: try now rather than wait out the backoff.
    const onOnline = () => {
      if (retryTimerRef.current === undefined) return;
      clearRetry();
      connect();
    };

    setLinkState('connecting');
    connect();
    window.addEventListener('online', onOnline);
    return () => {
      disposed = true;
      window.removeEventListener('online', onOnline);
      clearRetry();
      socketRef.current?.close(1000);
    };
  }, [orderId, token]);

  useEffect(() => {
    if (!finished) return;
    if (retryTimerRef.current !== undefined) {
      clearTimeout(retryTimerRef.current);
      retryTimerRef.current = undefined;
      setLinkState('ended');
    }
    const socket = socketRef.current;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) socket.close(1000);
  }, [finished]);

  return linkState;
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return null;
  }
}
