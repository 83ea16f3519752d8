import { relative } from 'node:path';
import { MONGO_KIND_TEXT } from './infra/mongo';
import type { Stack } from './stack';

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere !== '' && !fromHere.startsWith('..') ? fromHere : path;
}

/** What a person needs once the stack is up, in one block: where to go, what runs, where the data is. */
export function readyBlock(stack: Stack): string[] {
  const data = stack.dataDir
    ? `${shown(stack.dataDir)} (kept across restarts; npm start -- --fresh starts afresh)`
    : 'not kept: everything goes when the stack stops';
  return [
    `ready: open ${stack.url}`,
    `  API docs     ${stack.url}/api/docs`,
    `  Redis        ${redact(stack.redisUrl)}`,
    `  MongoDB      ${redact(stack.mongoUrl)} (${MONGO_KIND_TEXT[stack.mongoKind]}), database ${stack.mongoDb}`,
    `  data         ${data}`,
    `  admin token  ${stack.adminToken} (dev tools page)`,
    `processes: ${stack.processes().map((p) => `${p.name} ${p.pid}`).join(', ')}`,
  ];
}

/** `processes: orders 12, notifications-2 14` → the pids. */
export function pidsOfProcessesLine(line: string): number[] {
  return [...line.replace(/^processes:/, '').matchAll(/\S+ (\d+)(?:,|$)/g)].map((m) => Number(m[1]));
}
