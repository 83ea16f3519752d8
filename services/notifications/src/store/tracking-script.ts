/**
 * apply_tracking_update: apply one event to an order's cached state and fan the new state out, atomically.
 * KEYS[1] the order's hash (notif:order:<id>), KEYS[2] the event's dedupe key (notif:seen:<event_id>)
 * ARGV[1] the update's rank, ARGV[2] the rank it requires, ARGV[3] '1' to apply even if the required rank
 * was not reached (the last attempt: better a skipped step than a stale state), ARGV[4] TTL in seconds of
 * the hash and the dedupe key, ARGV[5] the fan-out channel, ARGV[6] the order id, ARGV[7..] field/value
 * pairs to set (status, delivery_status, token_hash, at, event_id, ts).
 * Returns {outcome} or {'applied', message}, outcome one of:
 *   'duplicate' the event was applied before        'stale'   the state is already at or past it
 *   'early'     a step before it is not applied yet  'unknown' forced, but the order was never created
 *   'applied'   the hash moved forward and `message` (JSON of the new state) was PUBLISHed
 * A duplicate, stale or unknown event marks the dedupe key; an early one does not, so its retry can apply.
 */
export const APPLY_TRACKING_UPDATE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return {'duplicate'} end
local ttl = tonumber(ARGV[4])
local current = tonumber(redis.call('HGET', KEYS[1], 'rank') or '0')
local rank = tonumber(ARGV[1])
local requires = tonumber(ARGV[2])
if rank <= current then
  redis.call('SET', KEYS[2], '1', 'EX', ttl)
  return {'stale'}
end
if current < requires and ARGV[3] ~= '1' then return {'early'} end
if current == 0 and requires > 0 then
  redis.call('SET', KEYS[2], '1', 'EX', ttl)
  return {'unknown'}
end
redis.call('HSET', KEYS[1], 'rank', ARGV[1], unpack(ARGV, 7))
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], '1', 'EX', ttl)
local s = redis.call('HMGET', KEYS[1], 'status', 'delivery_status', 'at', 'event_id', 'ts')
local delivery = cjson.null
if s[2] and s[2] ~= '' then delivery = s[2] end
local message = cjson.encode({
  order_id = ARGV[6], status = s[1], delivery_status = delivery, at = s[3], event_id = s[4], ts = s[5], rank = rank
})
redis.call('PUBLISH', ARGV[5], message)
return {'applied', message}
`;
