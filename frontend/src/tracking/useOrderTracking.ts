import { useCallback, useEffect, useReducer } from 'react';
import type { StatusMessage } from '@pizza/shared/contract';
import { useOrder } from '../api/queries';
import { INITIAL_TRACKING, isTerminal, trackingReducer } from './reducer';
import { useTrackingSocket } from './useTrackingSocket';

/** An order's live state: HTTP for the full picture, the WebSocket for changes, merged by the reducer. */
export function useOrderTracking(orderId: string, token: string) {
  const order = useOrder(orderId, token);
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

  // The last step may have come over the socket alone: fetch its full timeline and delivery once.
  useEffect(() => {
    if (finished) resync();
  }, [finished, resync]);

  return { order, state, link, resync };
}
