import { UsageError } from '@pizza/shared';
import { parseStackArgs, USAGE, type StackArgs } from './args';
import { startStack, type Stack } from './stack';
import { terminalSink } from './logs';
import { readyBlock } from './start-log';

/**
 * `npm start [-- --port 8080 --scale notifications=2 --data-dir DIR --fresh]`: the whole system on this
 * machine, its data kept in DIR (default `.data/`, or STACK_DATA_DIR). Ctrl-C (SIGINT) or SIGTERM stops
 * every process it started.
 */
async function main() {
  let args: StackArgs;
  try {
    args = parseStackArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`stack: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { port, quiet } = args;
  const pretty = process.stdout.isTTY === true;
  const say = (message: string) =>
    console.log(
      pretty
        ? `\x1b[1mstack\x1b[0m           | ${message}`
        : JSON.stringify({ process: 'stack', msg: message }),
    );
  const warn = (message: string) =>
    console.log(
      pretty
        ? `\x1b[1mstack\x1b[0m           | \x1b[33mwarn\x1b[0m  ${message}`
        : JSON.stringify({ process: 'stack', level: 'warn', msg: message }),
    );
  const sink = quiet ? () => undefined : terminalSink(pretty);

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
      scale: args.scale,
      sink,
      log: say,
      warn,
      dataDir: args.dataDir,
      fresh: args.fresh,
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
