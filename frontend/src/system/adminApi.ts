import { DemoLoadStarted, type DemoLoadRequest } from '@pizza/shared/contract';
import { z } from 'zod';
import { requestJson } from '../api/http';

/** The admin calls of the system view and the dead-letter panel (Bearer ADMIN_TOKEN). */
const ADMIN = '/api/v1/admin';
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export function startDemoLoad(token: string, request: DemoLoadRequest): Promise<DemoLoadStarted> {
  return requestJson(`${ADMIN}/demo-load`, DemoLoadStarted, {
    method: 'POST',
    body: request,
    headers: auth(token),
  });
}

export const DeadLetterDetail = z.object({
  id: z.string(),
  meta: z.record(z.string(), z.string()),
  original: z.record(z.string(), z.string()),
});
export type DeadLetterDetail = z.infer<typeof DeadLetterDetail>;

export function fetchDeadLetter(token: string, id: string): Promise<DeadLetterDetail> {
  return requestJson(`${ADMIN}/dead-letters/${encodeURIComponent(id)}`, DeadLetterDetail, {
    headers: auth(token),
  });
}

export function replayDeadLetter(token: string, id: string): Promise<{ stream: string; new_id: string }> {
  return requestJson(
    `${ADMIN}/dead-letters/${encodeURIComponent(id)}/replay`,
    z.object({ stream: z.string(), new_id: z.string() }),
    { method: 'POST', headers: auth(token) },
  );
}

export function purgeDeadLetters(token: string): Promise<{ purged: number }> {
  return requestJson(`${ADMIN}/dead-letters`, z.object({ purged: z.number() }), {
    method: 'DELETE',
    headers: auth(token),
  });
}

const ADMIN_TOKEN_KEY = 'pizza.admin-token';

/** The admin token as the Dev tools panel keeps it: for this tab's session only. */
export function readAdminToken(): string {
  try {
    return window.sessionStorage.getItem(ADMIN_TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keeps the admin token for this tab's session; an empty one is forgotten. */
export function keepAdminToken(token: string): void {
  try {
    if (token === '') window.sessionStorage.removeItem(ADMIN_TOKEN_KEY);
    else window.sessionStorage.setItem(ADMIN_TOKEN_KEY, token);
  } catch {
    // Session storage disabled: the token lasts as long as the page.
  }
}
