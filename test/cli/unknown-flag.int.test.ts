import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ENTRY_POINTS, runScript } from '@pizza/stack';

/**
 * Every command-line entry point parses its arguments strictly: an unknown flag is refused with exit 2, a
 * message naming it and the usage, before anything starts (no Redis, MongoDB or stack is needed to see it).
 * The list is every `tsx` script of the root package.json, the services (configured by their environment
 * only, so any argument is refused) and the entry points the tools start themselves, so a new command that
 * ignores its arguments fails here.
 */
const ROOT = path.resolve(__dirname, '../..');

const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const npmScripts = Object.values(scripts).flatMap((command) => /^tsx (\S+\.ts)$/.exec(command)?.[1] ?? []);
const startedByTools = [
  ...Object.values(ENTRY_POINTS),
  'tools/bench/src/stack-host.ts',
  'tools/mongo-lite/src/cli.ts',
];

// Each case is a tsx process, which alone takes seconds on a loaded machine.
jest.setTimeout(120_000);

test('the package.json commands are found', () => {
  expect(npmScripts).toEqual(
    expect.arrayContaining([
      'services/orders/src/seed.ts',
      'tools/ops/src/stack-env-cli.ts',
      'tools/bench/src/bus.ts',
    ]),
  );
});

test.concurrent.each([...npmScripts, ...startedByTools])(
  '%s refuses an unknown flag: exit 2, the flag named, the usage',
  async (script) => {
    const result = await runScript(script, ['--no-such-flag'], { cwd: ROOT, env: {}, timeoutMs: 100_000 });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toContain("Unknown option '--no-such-flag'");
    expect(result.stderr).toMatch(/usage/i);
  },
);
