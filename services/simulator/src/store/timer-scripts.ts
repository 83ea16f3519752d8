/**
 * The simulator's Redis scripts. Timers live in Redis so that a SIGKILLed simulator loses none:
 * a sorted set scored by due time (member = timer id) and a hash holding each timer's stream entry.
 *
 * Firing is ONE script that pops the due timers AND writes their events with XADD. We chose it over a
 * claim-with-lease / publish / delete protocol because Redis runs a script as a unit (and persists and
 * replicates its effects as a unit): no client can ever see a timer gone without its event, or an event
 * written while its timer is still due. So a crash at any moment neither loses a timer nor fires it twice,
 * two replicas running the script at once fire each timer once, and there is no in-flight state to
 * recover. The price: the entry is built at scheduling time (the event id is fixed then); only its
 * `timestamp` is set at firing time, formatted by the caller (due times are judged on the Redis clock).
 *
 * The scripts assume a single Redis (or a primary with replicas), not Redis Cluster: fire_due_timers writes
 * each due timer's fired marker (ARGV[2] .. id) without it being declared in KEYS, since which timers are
 * due is known only inside the script. Under Cluster every key would need one hash slot (a `{sim}` hash tag).
 */

/**
 * schedule_timer: add one timer unless it is already pending, has already fired, or its order was cancelled.
 * KEYS[1] due set (zset: score = due time in ms on the Redis clock, member = timer id)
 * KEYS[2] timer entries (hash: field = timer id, value = JSON {stream, fields = [k1, v1, …]})
 * KEYS[3] this timer's fired marker     KEYS[4] the order's cancellation marker
 * ARGV[1] timer id, ARGV[2] delay in ms, ARGV[3] the entry JSON, ARGV[4] the wake-up channel,
 * ARGV[5] '1' for a re-drive: the step has made no progress, so the event it fired (if it did) was lost and
 * the fired marker does not stop it firing again (the owner's guards drop a step taken twice).
 * Returns 1 scheduled, 0 already pending or fired, -1 the order was cancelled.
 * A scheduled timer is announced on the wake-up channel (its delay as the message), so idle replicas sleeping
 * until their next due timer look again: in the same command, so it costs no extra round trip.
 */
export const SCHEDULE_TIMER = `
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
if ARGV[5] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local t = redis.call('TIME')
local due = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
if redis.call('ZADD', KEYS[1], 'NX', due, ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[2])
return 1
`;

/**
 * fire_due_timers: pop up to ARGV[1] due timers and XADD their entries, atomically.
 * KEYS[1] due set, KEYS[2] timer entries, KEYS[3..] the streams a timer may write to (anything else is dropped)
 * ARGV[1] batch size, ARGV[2] fired-marker key prefix, ARGV[3] fired-marker TTL in seconds,
 * ARGV[4] the firing time (ISO 8601) that becomes each event's `timestamp`.
 * No MAXLEN on the XADD: the bus's trimmer trims these streams, and only below what every group acknowledged.
 * Returns {timers popped, events written, ms until the next timer is due or -1 when none is pending}.
 * The fired marker (a key per timer, with a TTL) makes a simulate event redelivered after its timer fired
 * a no-op instead of a second firing.
 */
export const FIRE_DUE_TIMERS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local allowed = {}
for i = 3, #KEYS do allowed[KEYS[i]] = true end
local due = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]))
local written = 0
for _, id in ipairs(due) do
  local raw = redis.call('HGET', KEYS[2], id)
  if raw then
    local entry = cjson.decode(raw)
    if allowed[entry.stream] then
      local fields = entry.fields
      for i = 1, #fields - 1, 2 do
        if fields[i] == 'timestamp' then fields[i + 1] = ARGV[4] end
      end
      redis.call('XADD', entry.stream, '*', unpack(fields))
      written = written + 1
    end
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('SET', ARGV[2] .. id, '1', 'EX', tonumber(ARGV[3]))
end
local nextDue = -1
local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if head[2] then nextDue = math.max(0, tonumber(head[2]) - now) end
return {#due, written, nextDue}
`;

/**
 * cancel_order_timers: forget an order's pending timers and remember the cancellation for a while, so a
 * simulate event that arrives late is not scheduled.
 * KEYS[1] due set, KEYS[2] timer entries, KEYS[3] the order's cancellation marker
 * ARGV[1] marker TTL in seconds, ARGV[2..] the order's timer ids
 * Returns how many pending timers were removed.
 */
export const CANCEL_ORDER_TIMERS = `
redis.call('SET', KEYS[3], '1', 'EX', tonumber(ARGV[1]))
local removed = 0
for i = 2, #ARGV do
  removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return removed
`;
