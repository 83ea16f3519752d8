import { loadConfig, LocalStackEnv, parseCommandLine, UsageError } from '@pizza/shared';
import { SERVICE_NAMES, type ServiceName } from './services';

export const USAGE =
  'usage: npm start -- [--port N] [--scale SERVICE=N]… [--data-dir DIR] [--fresh] [--quiet]';

export interface StackArgs {
  port: number;
  scale: Partial<Record<ServiceName, number>>;
  quiet: boolean;
  /** Where Redis and MongoDB keep their data: --data-dir, else STACK_DATA_DIR (default `.data/`). */
  dataDir: string;
  /** Wipe the data folder first. */
  fresh: boolean;
  help: boolean;
}

function isServiceName(name: string | undefined): name is ServiceName {
  return SERVICE_NAMES.some((s) => s === name);
}

function parseScale(values: readonly string[]): Partial<Record<ServiceName, number>> {
  const scale: Partial<Record<ServiceName, number>> = {};
  for (const value of values) {
    const [name, count] = value.split('=');
    if (!isServiceName(name) || !/^[1-9]\d?$/.test(count ?? '')) {
      throw new UsageError(
        `--scale ${value}: expected SERVICE=N with SERVICE one of ${SERVICE_NAMES.join(', ')}`,
      );
    }
    scale[name] = Number(count);
  }
  return scale;
}

/** argv after the script name (and PORT) → the launcher's options, or a UsageError naming what is wrong. */
export function parseStackArgs(argv: readonly string[], env: NodeJS.ProcessEnv): StackArgs {
  const { values } = parseCommandLine({
    args: [...argv],
    options: {
      port: { type: 'string' },
      scale: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const portText = values.port ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`PORT/--port: not a port number: ${portText}`);
  return {
    port,
    scale: parseScale(values.scale),
    quiet: values.quiet,
    dataDir: values['data-dir'] ?? loadConfig(LocalStackEnv, env).STACK_DATA_DIR,
    fresh: values.fresh,
    help: values.help,
  };
}
