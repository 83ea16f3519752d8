// mongo-lite --port P [--host H] [--dbpath DIR] [--exit-with-parent]
// Prints one JSON line when listening; stops cleanly (flushing the journal) on SIGTERM/SIGINT.
import { start } from './server';

interface CliArgs {
  port: number;
  host?: string;
  dbpath?: string;
  /** Stop when the process that started us goes away (used when run as a child of the launcher). */
  exitWithParent?: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { port: 27017 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
        out.port = port;
        break;
      }
      case '--host':
      case '--bind_ip':
        out.host = value();
        break;
      case '--dbpath':
        out.dbpath = value();
        break;
      case '--exit-with-parent':
        out.exitWithParent = true;
        break;
      case '--help':
        console.log('usage: mongo-lite --port P [--host 127.0.0.1] [--dbpath DIR]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
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
