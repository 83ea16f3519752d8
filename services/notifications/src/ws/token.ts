/** Whether a token hashes to the `token_hash` of order.created, compared in constant time. */
export { trackingTokenMatches as tokenMatches } from '@pizza/shared';
