import { DemoLoadRequest } from '@pizza/shared/contract';
import {
  loadConfig,
  parseCommandLine,
  processOutput,
  runCommand,
  readLocalStack,
  runDemoLoad,
  UsageError,
  type Output,
} from '@pizza/shared';
import { DemoLoadEnv } from './config';

export const USAGE = `usage: npm run demo:load -- [--count N] [--per-second R] [--url URL]
  Sends N demo orders (at most 500) at R per second (at most 50) through the public HTTP API of URL
  (default http://localhost:8080, what npm start prints). The system page's admin control runs the same code.
  The orders carry the admin token (ADMIN_TOKEN, else the running npm start's), so that the per-client
  order limit does not refuse them; without one they are ordinary orders, and that limit applies.`;

/** ADMIN_TOKEN if set, else the token of the stack `npm start` runs here, if any. */
export function demoLoadAdminToken(env: NodeJS.ProcessEnv): string | undefined {
  const config = loadConfig(DemoLoadEnv, env);
  return config.ADMIN_TOKEN ?? readLocalStack(config.STACK_DATA_DIR)?.admin_token;
}

/** `npm run demo:load`: exit 0 when every order was answered, 1 on failure, 2 on a usage error. */
export async function demoLoadMain(
  argv: string[],
  io: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let request: DemoLoadRequest;
  let url: string;
  try {
    const { values } = parseCommandLine({
      args: argv,
      strict: true,
      options: {
        count: { type: 'string', default: '100' },
        'per-second': { type: 'string', default: '10' },
        url: { type: 'string', default: 'http://localhost:8080' },
      },
    });
    const parsed = DemoLoadRequest.safeParse({
      count: Number(values.count),
      per_second: Number(values['per-second']),
    });
    if (!parsed.success)
      throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    request = parsed.data;
    url = values.url;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`demo:load: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const token = demoLoadAdminToken(env);
  if (!token)
    io.err('demo:load: no admin token (ADMIN_TOKEN, or a running npm start): the order limit applies');
  const result = await runDemoLoad(url, request, { adminToken: token });
  io.out(`sent ${result.sent}, accepted ${result.accepted}, refused ${JSON.stringify(result.refused)}`);
  return 0;
}

if (require.main === module) runCommand(() => demoLoadMain(process.argv.slice(2), processOutput));
