import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors';

export const BODY_LIMIT = '16kb';

/**
 * JSON bodies only, at most 16 kB: a body of another type is a 415, a larger one a 413 (the shared error
 * mapper turns the parser's errors into the contract's shape). A request without a body passes through.
 */
export function jsonBody(): RequestHandler[] {
  const onlyJson: RequestHandler = (req, _res, next) => {
    // An empty body (Content-Length: 0, as clients send on a bare POST) is no body at all.
    const length = req.headers['content-length'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
    if (hasBody && !req.is(['application/json', 'application/*+json'])) throw new UnsupportedMediaTypeError();
    next();
  };
  return [onlyJson, express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] })];
}
