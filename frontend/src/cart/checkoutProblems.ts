import { LIMITS } from '@pizza/shared/contract';
import type { z } from 'zod';
import {
  ApiError,
  NetworkError,
  OutOfStockError,
  ValidationFailedError,
  type FieldProblem,
} from '../api/errors';
import type { CartLine } from './cart';

/** Where each checkout problem is shown: next to the field or the cart line that caused it. */
export interface CheckoutProblems {
  name?: string;
  address?: string;
  /** By item_id. */
  lines: Record<string, string>;
  general: string[];
}

export const NO_PROBLEMS: CheckoutProblems = { lines: {}, general: [] };

/** Places `{path, message}` problems (a 400's details, or the shared schema's issues) next to their cause. */
export function problemsFromFields(
  fields: readonly FieldProblem[],
  lines: readonly CartLine[],
): CheckoutProblems {
  const problems: CheckoutProblems = { lines: {}, general: [] };
  for (const { path, message } of fields) {
    const lineIndex = /^items\.(\d+)/.exec(path)?.[1];
    const line = lineIndex === undefined ? undefined : lines[Number(lineIndex)];
    if (path === 'customer.name') problems.name ??= message;
    else if (path === 'customer.address') problems.address ??= message;
    else if (line !== undefined) problems.lines[line.item_id] ??= message;
    else problems.general.push(message);
  }
  return problems;
}

/** The shared schema's own words are for developers; say the same to a customer. */
export function problemsFromSchema(error: z.ZodError, lines: readonly CartLine[]): CheckoutProblems {
  const fields = error.issues.map((issue) => {
    const path = issue.path.join('.');
    return { path, message: friendlyMessage(path, issue.code) ?? issue.message };
  });
  return problemsFromFields(fields, lines);
}

function friendlyMessage(path: string, code: string): string | undefined {
  const field = path === 'customer.name' ? 'name' : path === 'customer.address' ? 'address' : undefined;
  if (field === undefined)
    return path === 'items' && code === 'too_small' ? 'Your cart is empty.' : undefined;
  if (code === 'too_small') return `Please enter your ${field}.`;
  if (code === 'too_big')
    return `Your ${field} is too long (at most ${field === 'name' ? LIMITS.nameMax : LIMITS.addressMax} characters).`;
  return undefined;
}

export function outOfStockText(requested: number, available: number): string {
  const left = available <= 0 ? 'none are left' : `only ${available} ${available === 1 ? 'is' : 'are'} left`;
  return `Not enough in stock: you asked for ${requested}, ${left}.`;
}

export function problemsFromError(error: unknown, lines: readonly CartLine[]): CheckoutProblems {
  if (error instanceof OutOfStockError) {
    const problems: CheckoutProblems = { lines: {}, general: [] };
    for (const item of error.items) {
      const text = outOfStockText(item.requested, item.available);
      if (lines.some((line) => line.item_id === item.item_id)) problems.lines[item.item_id] = text;
      else problems.general.push(text);
    }
    return problems;
  }
  if (error instanceof ValidationFailedError) return problemsFromFields(error.problems, lines);
  if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
    return {
      lines: {},
      general: ['The service could not be reached. Try again: the same order is never placed twice.'],
    };
  }
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return { lines: {}, general: [message] };
}
