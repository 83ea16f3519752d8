import { parseArgs } from 'node:util';
import { loadConfig, LocalStackEnv } from '@pizza/shared';
import { SERVICE_NAMES, type ServiceName } from './services';
import { startStack, type Stack } from './stack';
import { terminalSink } from './logs';
import { readyBlock } from './start-log';

/**
 * `npm start [-- --port 8080 --scale notifications=2 --data-dir DIR --fresh]`: the whole system on this
 * machine, its data kept in DIR (default `.data/`, or STACK_DATA_DIR). Ctrl-C (SIGINT) or SIGTERM stops
 * every process it started.
 */
const usage = 'usage: npm start -- [--port N] [--scale SERVICE=N]… [--data-dir DIR] [--fresh] [--quiet]';

function parseScale(values: string[]): Partial<Record<ServiceName, number>> {
  const scale: Partial<Record<ServiceName, number>> = {};
  for (const value of values) {
    const [name, count] = value.split('=');
    if (!SERVICE_NAMES.includes(name as ServiceName) || !/^[1-9]\d?$/.test(count ?? '')) {
      throw new Error(`--scale ${value}: expected SERVICE=N with SERVICE one of ${SERVICE_NAMES.join(', ')}`);
    }
    scale[name as ServiceName] = Number(count);
  }
  return scale;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      scale: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT/--port: not a port number: ${values.port ?? process.env.PORT}`);
  const pretty = process.stdout.isTTY === true;
  const say = (message: string) => console.log(pretty ? `\x1b[1mstack\x1b[0m           | ${message}` : JSON.stringify({ process: 'stack', msg: message }));
  const warn = (message: string) =>
    console.log(pretty ? `\x1b[1mstack\x1b[0m           | \x1b[33mwarn\x1b[0m  ${message}` : JSON.stringify({ process: 'stack', level: 'warn', msg: message }));
  const dataDir = values['data-dir'] ?? loadConfig(LocalStackEnv).STACK_DATA_DIR;
  const sink = values.quiet ? () => undefined : terminalSink(pretty);

  // A signal during start-up aborts it: startStack stops what it had started and rejects.
  const startup = new AbortController();
  const state: { stopping: boolean; stop?: () => Promise<void> } = { stopping: false };
  const stopAndExit = (stop: () => Promise<void>) => void stop().finally(() => process.exit(0));
  const onSignal = (signal: NodeJS.Signals) => {
    if (state.stopping) return;
    state.stopping = true;
    say(`${signal}: stopping every process`);
    if (state.stop) stopAndExit(state.stop);
    else startup.abort(new Error(`${signal} during start-up`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let stack: Stack;
  try {
    stack = await startStack({
      port,
      scale: parseScale(values.scale),
      sink,
      log: say,
      warn,
      dataDir,
      fresh: values.fresh,
      signal: startup.signal,
    });
  } catch (error) {
    // Stopped on request: everything started has been stopped already.
    if (startup.signal.aborted) process.exit(0);
    throw error;
  }
  state.stop = stack.stop;
  if (state.stopping) return stopAndExit(stack.stop);
  for (const line of readyBlock(stack)) say(line);
}

main().catch((error: unknown) => {
  console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
