/**
 * The browser-safe part of the shared library: zod schemas and constants only (no Node imports),
 * so the frontend and the services validate with the very same schemas.
 */
export * from './lifecycle';
export * from './lifecycle-views';
export * from './statuses';
export * from './streams';
export * from './money';
export * from './events';
export * from './http';
export * from './ws';
export * from './system';
export * from './stock';
