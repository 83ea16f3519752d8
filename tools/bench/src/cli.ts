/**
 * npm run bench — load benchmark of the whole system: delivered orders/s at fixed rates and at
 * saturation, CPU ms and Redis/MongoDB commands per delivered order, latencies, overload, and the
 * invariants (exit 1 if one fails). `--baseline-ref REF` runs the same scenario against another commit
 * first and prints a before/after table. `--help` lists the options.
 */
import { resolve } from 'node:path';
import { UsageError } from '@pizza/shared';
import { parseArgs, USAGE, type BenchArgs } from './args';
import { baselineCheckout } from './baseline-ref';
import { compareSides } from './compare';
import { renderReport } from './report';
import { writeResults, type ScenarioResult } from './results';
import { runScenario } from './scenario';
import { stepsChart } from './svg';
import { existingStack, hostedStack, type Target } from './target';

const REPO_ROOT = resolve(__dirname, '../../..');
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

/** The target running now, so that a signal can stop it (and everything it started) before exiting. */
let running: Target | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the stack`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function onStack(
  args: BenchArgs,
  start: () => Promise<Target>,
  side: Parameters<typeof runScenario>[2],
): Promise<ScenarioResult> {
  running = await start();
  try {
    log(`${side.name}: target ${running.url}`);
    return await runScenario(args, running, side, log);
  } finally {
    await running.stop();
    running = undefined;
  }
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const sides: ScenarioResult[] = [];
  if (args.baselineRef) {
    const checkout = await baselineCheckout(args.baselineRef, REPO_ROOT, log);
    sides.push(
      await onStack(args, () => hostedStack(checkout.root, (m) => log(`[before] ${m}`)), {
        name: 'before',
        commit: checkout.commit,
        ref: checkout.ref,
        baselines: false,
      }),
    );
  }
  const after = await onStack(
    args,
    () =>
      args.url
        ? Promise.resolve(existingStack({ ...args, url: args.url }))
        : hostedStack(REPO_ROOT, (m) => log(m)),
    { name: args.baselineRef ? 'after' : 'this checkout', baselines: args.baselines },
  );
  sides.push(after);

  for (const side of sides) process.stdout.write(renderReport(side));
  const comparison = sides.length === 2 ? compareSides(sides[0]!, sides[1]!) : undefined;
  if (comparison) process.stdout.write(`\n=== before / after\n\n${comparison}`);
  const extras = sides.flatMap((s) =>
    s.search?.points.length
      ? [
          {
            suffix: `-${s.side.replace(/\W+/g, '-')}.svg`,
            content: stepsChart(s.search, `${s.side}: latency vs offered rate`),
          },
        ]
      : [],
  );
  if (comparison) extras.push({ suffix: '-before-after.md', content: comparison });
  const written = writeResults(args.outDir, { startedAt, sides, comparison }, extras);
  process.stdout.write(`\nwritten: ${written.join(', ')}\n`);
  return after.invariants.every((i) => i.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
    await running?.stop().catch(() => undefined);
    process.exit(1);
  },
);
