// Runs the mongo-lite CLI as a child process, as users and resolveMongo do.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface LiteProcess {
  uri: string;
  port: number;
  child: ChildProcess;
  output: string[];
  /** Sends the signal and resolves with the exit code (or signal name). */
  kill(signal: NodeJS.Signals): Promise<number | string | null>;
}

const BIN = path.join(__dirname, '..', '..', 'bin', 'mongo-lite.js');

export async function startLite(args: string[], timeoutMs = 20_000): Promise<LiteProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const listening = new Promise<{ uri: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mongo-lite did not listen within ${timeoutMs} ms: ${output.join('')}`)),
      timeoutMs,
    );
    lines.on('line', (line) => {
      output.push(line);
      if (line.includes('"listening"')) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { uri: string; port: number });
      }
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`mongo-lite exited with ${code}: ${output.join('')}`));
    });
  });
  try {
    const { uri, port } = await listening;
    return {
      uri,
      port,
      child,
      output,
      kill: async (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const [code, sig] = await exited;
        return code ?? sig;
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
}
