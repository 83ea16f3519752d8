import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLocalStack } from '@pizza/shared';

/** Where `npm start` keeps what it must find again: Redis's append-only file and MongoDB's files. */
export interface DataDir {
  root: string;
  redis: string;
  /** resolveMongo puts each kind of MongoDB in a folder of its own below this. */
  mongo: string;
}

/**
 * Creates the folder (owner-only) after wiping it when `fresh`; refuses a folder another running
 * `npm start` uses, since two servers on one append-only file would corrupt it.
 */
export function prepareDataDir(dir: string, options: { fresh?: boolean } = {}): DataDir {
  const root = resolve(dir);
  const other = readLocalStack(root);
  if (other && other.launcher_pid !== process.pid) {
    throw new Error(
      `another npm start (pid ${other.launcher_pid}, ${other.gateway_url}) uses ${root}: stop it, or give this one its own --data-dir`,
    );
  }
  if (options.fresh) rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const layout = { root, redis: join(root, 'redis'), mongo: join(root, 'mongo') };
  mkdirSync(layout.redis, { recursive: true, mode: 0o700 });
  mkdirSync(layout.mongo, { recursive: true, mode: 0o700 });
  return layout;
}
