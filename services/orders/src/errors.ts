import { AppError, ConflictError } from '@pizza/shared';
import type { ShortItem } from './domain/pricing';

/** The order service's own failures, each with its contract code and HTTP status. */

export class OutOfStockError extends ConflictError {
  constructor(readonly items: ShortItem[]) {
    super('out_of_stock', `Not enough stock for: ${items.map((i) => i.item_id).join(', ')}`, { items });
  }
}

export class NotCancellableError extends ConflictError {
  constructor(status: string) {
    super('not_cancellable', `The order is ${status}; only created or confirmed orders can be cancelled`);
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super('This Idempotency-Key was used with a different request body', {
      code: 'idempotency_key_reused',
      httpStatus: 422,
    });
  }
}

export class UnauthorizedError extends AppError {
  constructor() {
    super('Missing or wrong bearer token', { code: 'unauthorized', httpStatus: 401 });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super('Request body must be application/json', { code: 'unsupported_media_type', httpStatus: 415 });
  }
}
