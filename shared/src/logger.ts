import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout. Child loggers add `correlation_id` and `event_id`, so one order can be followed
 * through every service's logs.
 */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    level: knownLevel(options.level ?? process.env.LOG_LEVEL),
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/**
 * A level pino accepts, else 'info'. A logger made before the configuration is read must not crash on a bad
 * LOG_LEVEL: validation then rejects it with a message naming the variable.
 */
function knownLevel(level: string | undefined): string {
  return level !== undefined && (level === 'silent' || Object.hasOwn(pino.levels.values, level)) ? level : 'info';
}
