import { ConfigError, connectMongo, createLogger, errorMessage, EventBus, loadConfig, renderTable } from '@pizza/shared';
import type { Output } from './dlq/run';
import type { RefillChange } from './domain/refill';
import { RefillEnv } from './config';
import { opsOutbox } from './outbox';
import { refillStock } from './refill';
import { relayUntilPublished } from './relay';


export function formatChanges(changes: readonly RefillChange[]): string {
  if (changes.length === 0) return 'nothing to refill';
  const rows = changes.map((c) => [c.item_id, String(c.from), String(c.to)]);
  return `${renderTable(['ITEM', 'FROM', 'TO'], rows)}\nrefilled ${changes.length} item(s)`;
}

/**
 * `npm run stock:refill`: one refill, its `menu.restocked` event relayed from the outbox before exit.
 * Exit codes: 0 done (also when nothing needed a refill); 1 bad environment or any failure.
 */
export async function refillMain(env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  let config;
  try {
    config = loadConfig(RefillEnv, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`stock-refill: ${error.message}`);
    return 1;
  }
  const logger = createLogger({ service: 'stock-refill', level: config.LOG_LEVEL });
  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB, 'stock-refill').catch(
    (error: unknown) => {
      io.err(`stock-refill: cannot connect to MongoDB: ${errorMessage(error)}`);
    },
  );
  if (!mongo) return 1;
  const bus = new EventBus({ redisUrl: config.REDIS_URL, logger, name: 'stock-refill' });
  const outbox = opsOutbox({ db: mongo.db, bus, logger });
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

if (require.main === module) {
  const io: Output = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  };
  refillMain(process.env, io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
