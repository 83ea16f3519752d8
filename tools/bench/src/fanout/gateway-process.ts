import { resolve } from 'node:path';
import { listeningPort, spawnChild, waitForLine, type ChildHandle } from '@pizza/stack';
import { GENEROUS_LIMITS_ENV } from '@pizza/shared/testing';

/** One notifications (WebSocket gateway) process on its own port, as the launcher runs it. */
export interface GatewayProcess {
  url: string;
  pid: number;
  handle: ChildHandle;
  lastLines: string[];
}

const ROOT = resolve(__dirname, '../../../..');

export async function startGatewayProcess(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const handle = spawnChild(process.execPath, ['--import', 'tsx', 'services/notifications/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      HTTP_PORT: '0',
      SERVICE_NAME: 'notifications',
      LOG_LEVEL: 'info',
      // Every tracker is 127.0.0.1, and there are more than the default total cap.
      ...GENEROUS_LIMITS_ENV,
      ...env,
    },
  });
  const lastLines: string[] = [];
  const keep = (chunk: Buffer) => {
    lastLines.push(...chunk.toString().split('\n').filter(Boolean));
    lastLines.splice(0, Math.max(0, lastLines.length - 20));
  };
  try {
    const line = await waitForLine(handle, (l) => listeningPort(l) !== undefined, {
      timeoutMs: 60_000,
      what: 'notifications',
    });
    handle.child.stdout?.on('data', keep);
    handle.child.stderr?.on('data', keep);
    return { url: `http://127.0.0.1:${listeningPort(line)}`, pid: handle.child.pid ?? 0, handle, lastLines };
  } catch (error) {
    await handle.stop(1_000);
    throw error;
  }
}
