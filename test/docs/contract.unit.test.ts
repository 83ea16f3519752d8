import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BaseEnv, FaultEnv, MongoEnv } from '@pizza/shared';
import {
  DeliveryStatus,
  ERROR_CODES,
  EVENT_STREAM,
  EVENT_TYPES,
  GROUPS,
  OrderStatus,
  STREAMS,
  WS_CLOSE_NOT_FOUND,
  WS_CLOSE_TOO_MANY_CONNECTIONS,
  WS_CLOSE_TRY_AGAIN_LATER,
  WS_TOKEN_PROTOCOL_PREFIX,
  WS_TRACKING_PATH,
  WS_TRACKING_PROTOCOL,
} from '@pizza/shared/contract';
import { DeliveryEnv } from '@pizza/delivery/src/config';
import { NotificationsEnv } from '@pizza/notifications/src/config';
import { OrdersEnv } from '@pizza/orders/src/main';
import { RefillEnv, SchedulerEnv } from '@pizza/orders/src/stock-refill/config';
import { SimulatorEnv } from '@pizza/simulator/src/config';
import { DemoLoadEnv, DlqEnv } from '@pizza/ops/src/config';

/**
 * docs/contract.md is kept true where a machine can tell: everything the code defines as public (streams,
 * groups, event types and their streams, error codes, statuses, environment variables) must be in it, and
 * every variable a config loader reads must be in the README's configuration table as well.
 */
const ROOT = path.resolve(__dirname, '../..');
const contract = readFileSync(path.join(ROOT, 'docs/contract.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The text of a `## title` section, up to the next `## `. */
function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`no "## ${title}" section`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** The table row that starts with `name` in backticks. */
function rowOf(text: string, name: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`| \`${name}\``));
}

const missingFrom = (text: string, names: readonly (string | number)[]) =>
  names.filter((name) => !text.includes(`\`${name}\``) && !text.includes(`**${name}**`));

const CONFIG_SCHEMAS: z.ZodObject[] = [
  BaseEnv,
  MongoEnv,
  FaultEnv,
  OrdersEnv,
  DeliveryEnv,
  NotificationsEnv,
  SimulatorEnv,
  SchedulerEnv,
  RefillEnv,
  DlqEnv,
  DemoLoadEnv,
];
const ENV_VARIABLES = [...new Set(CONFIG_SCHEMAS.flatMap((schema) => Object.keys(schema.shape)))].sort();

describe('docs/contract.md', () => {
  test('names every variable a config loader reads, and so does the README configuration table', () => {
    expect(ENV_VARIABLES).toContain('STOCK_REFILL_CRON');
    expect(missingFrom(section(contract, 'Environment'), ENV_VARIABLES)).toEqual([]);
    expect(missingFrom(section(readme, 'Configuration'), ENV_VARIABLES)).toEqual([]);
  });

  test('lists every stream as a row, each event type in the row of the stream it goes to', () => {
    const streams = section(contract, 'Redis Streams');
    expect(Object.values(STREAMS).filter((stream) => !rowOf(streams, stream))).toEqual([]);
    const misplaced = EVENT_TYPES.filter(
      (type) => !rowOf(streams, EVENT_STREAM[type])?.includes(`\`${type}\``),
    );
    expect(misplaced).toEqual([]);
    expect(EVENT_TYPES.filter((type) => !rowOf(streams, type))).toEqual([]); // its payload row
    expect(missingFrom(streams, Object.values(GROUPS))).toEqual([]);
  });

  test('names every error code, status, and the tracking path and close code', () => {
    expect(missingFrom(section(contract, 'HTTP'), [...ERROR_CODES])).toEqual([]);
    expect(missingFrom(contract, [...OrderStatus.options, ...DeliveryStatus.options])).toEqual([]);
    const ws = section(contract, 'WebSocket');
    expect(ws).toContain(`\`${WS_TRACKING_PATH}{order_id}?token=T\``);
    expect(ws).toContain(`\`${WS_TRACKING_PROTOCOL}\``);
    expect(ws).toContain(`\`${WS_TOKEN_PROTOCOL_PREFIX}<tracking_token>\``);
    expect(
      missingFrom(ws, [WS_CLOSE_NOT_FOUND, WS_CLOSE_TOO_MANY_CONNECTIONS, WS_CLOSE_TRY_AGAIN_LATER]),
    ).toEqual([]);
  });

  test('is linked from the README', () => {
    expect(readme).toContain('(docs/contract.md)');
  });
});
