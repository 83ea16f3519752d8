import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout. Child loggers add `correlation_id` and `event_id`, so one order can be followed
 * through every service's logs.
 */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
