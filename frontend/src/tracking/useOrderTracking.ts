import { useCallback, useEffect, useReducer, useState } from 'react';
import type { StatusMessage } from '@pizza/shared/contract';
import { isNotFound } from '../api/errors';
import { useOrder } from '../api/queries';
import { INITIAL_TRACKING, isTerminal, trackingReducer } from './reducer';
import { useTrackingSocket } from './useTrackingSocket';

/** While the live link is down, the order is asked for over HTTP this often. */
export const POLL_WHILE_NOT_LIVE_MS = 3_000;

/**
 * An order's live state: HTTP for the full picture, the WebSocket for changes, merged by the reducer.
 * Whenever the WebSocket is not live (connecting, reconnecting, or refused with 4404 while the order
 * exists), HTTP polling keeps the page true until the order ends.
 */
export function useOrderTracking(orderId: string, token: string) {
  const [polling, setPolling] = useState(false);
  const order = useOrder(orderId, token, { pollMs: polling ? POLL_WHILE_NOT_LIVE_MS : undefined });
  const [state, dispatch] = useReducer(trackingReducer, INITIAL_TRACKING);
  const { refetch } = order;

  useEffect(() => {
    if (order.data !== undefined) dispatch({ type: 'snapshot', order: order.data });
  }, [order.data]);

  const onStatus = useCallback((message: StatusMessage) => dispatch({ type: 'message', message }), []);
  // Joins a fetch already in flight instead of restarting it.
  const resync = useCallback(() => void refetch({ cancelRefetch: false }), [refetch]);

  const finished = isTerminal(state.status);
  const link = useTrackingSocket({ orderId, token, finished, onStatus, onConnected: resync });

  const shouldPoll = !finished && link !== 'live' && link !== 'ended' && !isNotFound(order.error);
  useEffect(() => setPolling(shouldPoll), [shouldPoll]);

  // The last step may have come over the socket alone: fetch its full timeline and delivery once.
  useEffect(() => {
    if (finished) resync();
  }, [finished, resync]);

  return { order, state, link, polling: shouldPoll, resync };
}
