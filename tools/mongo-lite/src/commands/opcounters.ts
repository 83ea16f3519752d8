// serverStatus().opcounters as mongod keeps them, so that tools can count the operations a unit of
// work costs on either server: inserted documents, update and delete statements, find and getMore
// commands, and every other command (transactions' commits, hello, aggregate…) once.
import type { Doc } from '../bson';

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

export function newOpCounters(): OpCounters {
  return { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
}

const statements = (cmd: Doc, field: string) => {
  const list = cmd[field];
  return Array.isArray(list) ? list.length : 0;
};

export function countOp(counters: OpCounters, name: string, cmd: Doc): void {
  if (name === 'insert') counters.insert += statements(cmd, 'documents');
  else if (name === 'update') counters.update += statements(cmd, 'updates');
  else if (name === 'delete') counters.delete += statements(cmd, 'deletes');
  else if (name === 'find') counters.query++;
  else if (name === 'getMore') counters.getmore++;
  else counters.command++;
}
