import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectMongo } from '@pizza/shared';
import { seedMenu } from '@pizza/orders/src/seed';
import { spawnChild } from './infra/process';
import { pipeLines, type LineSink } from './logs';
import { REPO_ROOT } from './services';

export const STATIC_DIR = join(REPO_ROOT, 'frontend', 'dist');

/** Adds the menu items that are missing; kept ones, and their stock, stay as they are. */
export async function seedMissing(url: string, dbName: string, log: (m: string) => void) {
  const mongo = await connectMongo(url, dbName, 'stack-seed');
  try {
    const inserted = await seedMenu(mongo.db);
    if (inserted > 0) log(`menu: seeded ${inserted} item(s)`);
  } finally {
    await mongo.close();
  }
}

export async function buildFrontendIfMissing(log: (m: string) => void, sink: LineSink) {
  if (existsSync(join(STATIC_DIR, 'index.html'))) return;
  log('frontend: no build found; building it once (npm run build:frontend)');
  const build = spawnChild('npm', ['run', 'build', '-w', 'frontend'], { cwd: REPO_ROOT, env: process.env });
  pipeLines(build.child.stdout, 'frontend-build', sink);
  pipeLines(build.child.stderr, 'frontend-build', sink);
  const code = await build.exited;
  if (code !== 0) throw new Error(`frontend build failed (exit ${code})`);
}
