import { DemoLoadRequest } from '@pizza/shared/contract';
import {
  parseCommandLine,
  processOutput,
  runCommand,
  runDemoLoad,
  UsageError,
  type Output,
} from '@pizza/shared';

export const USAGE = `npm run demo:load -- [--count N] [--per-second R] [--url URL]
  Sends N demo orders (at most 500) at R per second (at most 50) through the public HTTP API of URL
  (default http://localhost:8080, what npm start prints). The system page's admin control runs the same code.`;

/** `npm run demo:load`: exit 0 when every order was answered, 1 on failure, 2 on a usage error. */
export async function demoLoadMain(argv: string[], io: Output): Promise<number> {
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
  const result = await runDemoLoad(url, request);
  io.out(`sent ${result.sent}, accepted ${result.accepted}, refused ${JSON.stringify(result.refused)}`);
  return 0;
}

if (require.main === module) runCommand(() => demoLoadMain(process.argv.slice(2), processOutput));
