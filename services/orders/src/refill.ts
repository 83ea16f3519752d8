import {
  ConfigError,
  connectMongo,
  mongoTimeoutsOf,
  createLogger,
  errorMessage,
  EventBus,
  loadConfig,
  opsEnvironment,
  parseCommandLine,
  processOutput,
  renderTable,
  runCommand,
  UsageError,
  type Output,
} from '@pizza/shared';
import { RefillEnv } from './stock-refill/config';
import type { RefillChange } from './stock-refill/plan';
import { refillStock } from './stock-refill/refill-stock';
import { relayUntilPublished } from './stock-refill/relay';
import { ordersOutbox } from './store/collections';

export const USAGE =
  'usage: npm run stock:refill (no arguments; environment: MONGO_URL, MONGO_DB, REDIS_URL)';

export function formatChanges(changes: readonly RefillChange[]): string {
  if (changes.length === 0) return 'nothing to refill';
  const rows = changes.map((c) => [c.item_id, String(c.from), String(c.to)]);
  return `${renderTable(['ITEM', 'FROM', 'TO'], rows)}\nrefilled ${changes.length} item(s)`;
}

/**
 * `npm run stock:refill` (and the CronJob): one refill, its `menu.restocked` event relayed from the order
 * service's outbox before exit. Exit codes: 0 done (also when nothing needed a refill); 1 bad environment or
 * any failure; 2 arguments given (it takes none).
 */
export async function refillMain(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: Output,
): Promise<number> {
  try {
    parseCommandLine({ args: [...argv], options: {} });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`stock-refill: ${error.message}\n${USAGE}`);
    return 2;
  }
  // MONGO_URL and REDIS_URL if set, else the stack `npm start` runs.
  const found = opsEnvironment(env, ['MONGO_URL', 'REDIS_URL']);
  if (!found.ok) {
    io.err(`stock-refill: ${found.message}`);
    return 1;
  }
  // The CronJob sets both and stays quiet; a developer's run says which stack it refilled.
  if (!env.MONGO_URL || !env.REDIS_URL) io.err(`stock-refill: using ${found.source}`);
  let config;
  try {
    config = loadConfig(RefillEnv, found.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`stock-refill: ${error.message}`);
    return 1;
  }
  const logger = createLogger({ service: 'stock-refill', level: config.LOG_LEVEL });
  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB, 'stock-refill', mongoTimeoutsOf(config)).catch(
    (error: unknown) => {
      io.err(`stock-refill: cannot connect to MongoDB: ${errorMessage(error)}`);
    },
  );
  if (!mongo) return 1;
  const bus = new EventBus({ redisUrl: config.REDIS_URL, logger, name: 'stock-refill' });
  const outbox = ordersOutbox({ db: mongo.db, bus, logger });
  try {
    const { changes, eventId } = await refillStock({ client: mongo.client, db: mongo.db, outbox });
    io.out(formatChanges(changes));
    await relayUntilPublished(outbox, mongo.db, eventId);
    return 0;
  } catch (error) {
    io.err(`stock-refill: ${errorMessage(error)}`);
    return 1;
  } finally {
    await bus.close();
    await mongo.close();
  }
}

if (require.main === module) runCommand(() => refillMain(process.argv.slice(2), process.env, processOutput));
