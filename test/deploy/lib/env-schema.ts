/** Loads the zod schema a process validates its environment with, so deploy tests can parse their env with it. */
import path from 'node:path';
import { REPO_ROOT, type DeployedProcess } from './catalogue';
import { repoPathExists } from './compose';

export interface EnvSchema {
  safeParse(env: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

function isSchema(value: unknown): value is EnvSchema {
  return typeof value === 'object' && value !== null && typeof (value as EnvSchema).safeParse === 'function';
}

/** undefined while the process's module does not exist yet; an error when it no longer exports the schema. */
export async function loadEnvSchema(proc: DeployedProcess): Promise<EnvSchema | undefined> {
  if (!proc.schema || !repoPathExists(proc.schema.module)) return undefined;
  const mod = (await import(path.join(REPO_ROOT, proc.schema.module))) as Record<string, unknown>;
  const schema = mod[proc.schema.exportName];
  if (!isSchema(schema)) {
    throw new Error(
      `${proc.schema.module} does not export ${proc.schema.exportName}: update test/deploy/lib/catalogue.ts`,
    );
  }
  return schema;
}

/** "VARIABLE: message" for every problem the schema finds; empty when the env is valid or there is no schema. */
export async function schemaIssues(proc: DeployedProcess, env: Record<string, string>): Promise<string[]> {
  const schema = await loadEnvSchema(proc);
  if (!schema) return [];
  const result = schema.safeParse(env);
  return (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}
