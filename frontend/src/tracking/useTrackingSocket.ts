import {
  TrackingMessage,
  WS_CLOSE_NOT_FOUND,
  WS_TRACKING_PATH,
  type StatusMessage,
} from '@pizza/shared/contract';
import { useEffect, useRef, useState } from 'react';
import { reconnectDelay } from './backoff';

/** The state of the live link, as the "live / reconnecting" indicator shows it. */
export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'not_found' | 'ended';

export function trackingSocketUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  orderId: string,
  token: string,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_TRACKING_PATH}${encodeURIComponent(orderId)}?token=${encodeURIComponent(token)}`;
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

  useEffect(() => {
    // Without both there is nothing the server could find.
    if (orderId === '' || token === '') return setLinkState('not_found');
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;

    const connect = () => {
      retryTimer = undefined;
      const socket = new WebSocket(trackingSocketUrl(window.location, orderId, token));
      socketRef.current = socket;
      socket.onopen = () => {
        attempt = 0;
        setLinkState('live');
        handlers.current.onConnected();
      };
      socket.onmessage = (event: MessageEvent) => {
        const parsed = TrackingMessage.safeParse(parseJson(event.data));
        if (parsed.success && parsed.data.type === 'status') handlers.current.onStatus(parsed.data);
      };
      socket.onclose = (event: CloseEvent) => {
        if (disposed) return;
        if (event.code === WS_CLOSE_NOT_FOUND) return setLinkState('not_found');
        if (finishedRef.current) return setLinkState('ended');
        setLinkState('reconnecting');
        retryTimer = setTimeout(connect, reconnectDelay(attempt));
        attempt += 1;
      };
    };

    // Back online: try now rather than wait out the backoff.
    const onOnline = () => {
      if (retryTimer === undefined) return;
      clearTimeout(retryTimer);
      connect();
    };

    setLinkState('connecting');
    connect();
    window.addEventListener('online', onOnline);
    return () => {
      disposed = true;
      window.removeEventListener('online', onOnline);
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      socketRef.current?.close(1000);
    };
  }, [orderId, token]);

  useEffect(() => {
    if (!finished) return;
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
