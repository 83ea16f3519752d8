import type Redis from 'ioredis';
import { z } from 'zod';
import { defineScript } from '@pizza/shared';
import type { EventPayload, StockLevelView } from '@pizza/shared/contract';

/** One hash of the menu's latest stock levels, field = item id, value = `<version>:<stock>`. */
export const STOCK_LEVELS_KEY = 'notif:stock';

/**
 * apply_stock_levels: KEYS[1] the hash; ARGV item, version, stock triples. Each item's level is replaced only
 * by a higher version, so an event applied twice, or after a newer one, changes nothing. Returns how many
 * items changed.
 */
const APPLY_STOCK_LEVELS = `
local changed = 0
for i = 1, #ARGV, 3 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  local version = current and tonumber(string.match(current, '^(%d+):')) or 0
  if tonumber(ARGV[i + 1]) > version then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[i + 2])
    changed = changed + 1
  end
end
return changed
`;

type Levels = EventPayload<'stock.changed'>['items'];

/** The gateway's copy of the stock levels, fed by `stock.changed` and read by the stock channel. */
export class StockLevels {
  private readonly applyLevels;

  constructor(private readonly redis: Redis) {
    this.applyLevels = defineScript(redis, {
      name: 'apply_stock_levels',
      lua: APPLY_STOCK_LEVELS,
      reply: z.number().int(),
    });
  }

  /** Applies the levels of one or more events in one round trip; returns how many items moved. */
  async apply(levels: Levels): Promise<number> {
    if (levels.length === 0) return 0;
    const args = levels.flatMap((l) => [l.item_id, l.version, l.stock]);
    return this.applyLevels([STOCK_LEVELS_KEY], args);
  }

  /** Every known level, by item id. */
  async read(): Promise<StockLevelView[]> {
    const hash = await this.redis.hgetall(STOCK_LEVELS_KEY);
    return Object.entries(hash)
      .flatMap(([itemId, value]) => {
        const stock = Number(value.split(':')[1]);
        return Number.isInteger(stock) ? [{ item_id: itemId, stock }] : [];
      })
      .sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0));
  }
}
