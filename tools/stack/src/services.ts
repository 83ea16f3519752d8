import { resolve } from 'node:path';
import { listeningPort, spawnChild, waitForLine, type ChildHandle } from './infra/process';
import { pipeLines, type LineSink } from './logs';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const SERVICE_NAMES = ['orders', 'delivery', 'notifications', 'simulator'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServiceProcess {
  name: ServiceName;
  /** Name in logs: `orders`, or `notifications-2` for a second replica. */
  label: string;
  url: string;
  pid: number;
  handle: ChildHandle;
}

/** Runs one service as its own process (HTTP_PORT=0) and resolves once it has said which port it took. */
export async function spawnService(
  name: ServiceName,
  label: string,
  env: NodeJS.ProcessEnv,
  sink: LineSink,
): Promise<ServiceProcess> {
  const handle = spawnChild(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: REPO_ROOT,
    env: { ...env, HTTP_PORT: '0', SERVICE_NAME: name, CONSUMER_NAME: `${label}-${Date.now().toString(36)}` },
  });
  const listening = waitForLine(handle, (line) => listeningPort(line) !== undefined, { timeoutMs: 60_000, what: label });
  pipeLines(handle.child.stdout, label, sink);
  pipeLines(handle.child.stderr, label, sink);
  let port: number | undefined;
  try {
    port = listeningPort(await listening);
  } catch (error) {
    await handle.stop(1_000);
    throw error;
  }
  return { name, label, url: `http://127.0.0.1:${port}`, pid: handle.child.pid ?? 0, handle };
}


export async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(3_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}
