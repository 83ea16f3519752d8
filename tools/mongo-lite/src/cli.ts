// mongo-lite --port P [--host H] [--dbpath DIR] [--exit-with-parent] (see args.ts)
// Prints one JSON line when listening; stops cleanly (flushing the journal) on SIGTERM/SIGINT.
import { parseCliArgs, USAGE, type CliArgs } from './args';
import { start } from './server';

/** The options, or exit 2 with the usage (as mongod does for bad options). */
function argsOrExit(): CliArgs {
  try {
    return parseCliArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`mongo-lite: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = argsOrExit();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const server = await start({ port: args.port, host: args.host, dbpath: args.dbpath });
  console.log(
    JSON.stringify({ msg: 'listening', port: server.port, uri: server.uri, dbpath: args.dbpath ?? null }),
  );
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => {
        console.log(JSON.stringify({ msg: 'stopped', signal }));
        process.exit(0);
      },
      (err: unknown) => {
        console.error('mongo-lite: error while stopping', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (args.exitWithParent) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown('parent exited');
    }, 1000).unref();
  }
}

main().catch((err: unknown) => {
  console.error(`mongo-lite: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
