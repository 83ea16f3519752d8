import { OutOfStockDetails, ValidationDetails } from '@pizza/shared/contract';
import type { z } from 'zod';

export type OutOfStockItem = z.infer<typeof OutOfStockDetails>['items'][number];
export type FieldProblem = z.infer<typeof ValidationDetails>[number];

interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/** Any error answer of the API, carrying the machine code of its `{"error": ...}` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor({ status, code, message, details }: ApiErrorInit) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export class OutOfStockError extends ApiError {
  readonly items: OutOfStockItem[];

  constructor(init: ApiErrorInit & { items: OutOfStockItem[] }) {
    super(init);
    this.name = 'OutOfStockError';
    this.items = init.items;
  }
}

export class ValidationFailedError extends ApiError {
  readonly problems: FieldProblem[];

  constructor(init: ApiErrorInit & { problems: FieldProblem[] }) {
    super(init);
    this.name = 'ValidationFailedError';
    this.problems = init.problems;
  }
}

/** The request never got an HTTP answer (server down, proxy gone, offline). */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** The server answered 2xx with a body that does not match the contract. */
export class ResponseShapeError extends Error {
  constructor(path: string, options?: { cause: unknown }) {
    super(`Unexpected response from ${path}`, options);
    this.name = 'ResponseShapeError';
  }
}

/** Typed form of an error body: the specific class when its details match the contract. */
export function apiErrorFrom(init: ApiErrorInit): ApiError {
  if (init.code === 'out_of_stock') {
    const details = OutOfStockDetails.safeParse(init.details);
    if (details.success) return new OutOfStockError({ ...init, items: details.data.items });
  }
  if (init.code === 'validation_error') {
    const details = ValidationDetails.safeParse(init.details);
    if (details.success) return new ValidationFailedError({ ...init, problems: details.data });
  }
  return new ApiError(init);
}

/** True when the API cannot serve at all, as opposed to refusing one request. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.status >= 500);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
