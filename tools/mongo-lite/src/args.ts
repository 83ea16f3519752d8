import { parseArgs } from 'node:util';

export const USAGE = 'usage: mongo-lite --port P [--host 127.0.0.1] [--dbpath DIR] [--exit-with-parent]';

export interface CliArgs {
  port: number;
  host?: string;
  dbpath?: string;
  /** Stop when the process that started us goes away (used when run as a child of the launcher). */
  exitWithParent: boolean;
  help: boolean;
}

/**
 * argv after the script name → the options (`--bind_ip` is mongod's name for `--host`). Strict: an unknown
 * option or a stray argument throws, naming it. (mongo-lite depends on nothing of the project's.)
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string' },
      bind_ip: { type: 'string' },
      dbpath: { type: 'string' },
      'exit-with-parent': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error('--port must be 0..65535');
  return {
    port,
    host: values.host ?? values.bind_ip,
    dbpath: values.dbpath,
    exitWithParent: values['exit-with-parent'],
    help: values.help,
  };
}
