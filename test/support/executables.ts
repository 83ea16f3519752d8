import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found executable in a PATH folder, then in `extraDirs`. */
export function findOnPath(names: readonly string[], env: NodeJS.ProcessEnv, extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  return dirs.flatMap((dir) => names.map((name) => join(dir, name))).find(isExecutable);
}
