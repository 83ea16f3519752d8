import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ChildHandle {
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Every child spawned here that has not exited yet. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * If this process ends while children still run (a crash, process.exit, an uncaught error), kill them:
 * the 'exit' event is synchronous, so SIGKILL is all that can be sent, and nothing is left orphaned.
 */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** Spawns a child that dies with us where possible, and whose stop always ends in an exit. */
export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildHandle {
  installExitHook();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.exitCode === null && child.signalCode === null) running.add(child);
  const forget = () => running.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  const stop = async (graceMs = 5_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, stop, exited };
}

/** Resolves with the first line of `stream` that `match` accepts; rejects if the process exits first. */
export function waitForLine(
  handle: ChildHandle,
  match: (line: string) => boolean,
  options: { timeoutMs: number; what: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const seen: string[] = [];
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        seen.push(line);
        if (seen.length > 20) seen.shift();
        if (match(line)) {
          cleanup();
          resolve(line);
          return;
        }
        newline = buffer.indexOf('\n');
      }
    };
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${options.what}: ${why}\n${seen.join('\n')}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${options.timeoutMs} ms`), options.timeoutMs);
    const onExit = (code: number | null) => fail(`exited with ${code}`);
    const cleanup = () => {
      clearTimeout(timer);
      handle.child.stdout?.off('data', onData);
      handle.child.stderr?.off('data', onData);
      handle.child.off('exit', onExit);
    };
    handle.child.stdout?.on('data', onData);
    handle.child.stderr?.on('data', onData);
    handle.child.once('exit', onExit);
  });
}

/**
 * The port a service announces in its `<name> listening` log line (JSON, with `port`), or undefined for any
 * other line: how a launcher learns the port a service given HTTP_PORT=0 took.
 */
export function listeningPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return typeof entry.msg === 'string' && entry.msg.endsWith('listening') && typeof entry.port === 'number'
      ? entry.port
      : undefined;
  } catch {
    return undefined;
  }
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point as a real process (`node --import tsx <script>`) with only the environment
 * given (plus PATH) and collects its output; killed, and rejected, after `timeoutMs`.
 */
export async function runScript(
  script: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ScriptResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const handle = spawnChild(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
  // 'close' comes once the process has exited and its pipes are drained
  const closed = new Promise<number | null>((resolve) => {
    handle.child.once('close', (code) => resolve(code));
    handle.child.once('error', () => resolve(null));
  });
  let stdout = '';
  let stderr = '';
  handle.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  handle.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      handle.child.kill('SIGKILL');
      reject(
        new Error(`${script} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`),
      );
    }, timeoutMs);
  });
  try {
    const code = await Promise.race([closed, deadline]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
