import pino from 'pino';
import { activeTraceFields } from './tracing/spans';

export type Logger = pino.Logger;

/**
 * JSON lines on stdout. Child loggers add `correlation_id` and `event_id`, so one order can be followed
 * through every service's logs. While a span is active (tracing on), each line also carries its `trace_id`
 * and `span_id`, which lead to the trace.
 */
export function createLogger(options: { service: string; level?: string }): Logger {
  return pino({
    level: knownLevel(options.level ?? process.env.LOG_LEVEL),
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeTraceFields,
  });
}

/**
 * A level pino accepts, else 'info'. A logger made before the configuration is read must not crash on a bad
 * LOG_LEVEL: validation then rejects it with a message naming the variable.
 */
function knownLevel(level: string | undefined): string {
  return level !== undefined && (level === 'silent' || Object.hasOwn(pino.levels.values, level)) ? level : 'info';
}
