/**
 * Structured logs through pino: one JSON object per line when the output is piped (for log
 * collectors), human-readable lines when it is a terminal (pino-pretty, in-process and
 * synchronous — no worker thread), the level from an option.
 *
 * The logger has the `{ info(message), warn(message) }` shape of the environment's `logger`
 * option, plus an optional second argument of structured fields, so the same object takes the
 * engine's own messages and the lifecycle events (lifecycle.ts) with their fields:
 * ```
 * {"level":30,"time":1767225600000,"name":"weir","event":"checkpoint.completed","checkpointId":3,"durationMs":41,"msg":"checkpoint 3 completed"}
 * ```
 */
import type { LogFields } from '@weir/core';
import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * Log levels, least to most severe; `silent` logs nothing.
 *
 * @example
 * ```ts
 * const level: LogLevel = 'debug';
 * ```
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';


/**
 * Options of {@link createLogger}.
 *
 * @example
 * ```ts
 * const options: LoggerOptions = { level: 'debug', pretty: false, destination: process.stdout };
 * ```
 */
export interface LoggerOptions {
  /** Minimum level (default: `WEIR_LOG_LEVEL` from the environment, else `info`). */
  readonly level?: LogLevel;
  /** Human-readable lines instead of JSON (default: when the destination is a terminal). */
  readonly pretty?: boolean;
  /** Where lines go (default: standard error, so that a program's output stays clean). */
  readonly destination?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** The `name` field of every line (default `weir`). */
  readonly name?: string;
  /** Fields added to every line (e.g. `{ job: 'orders' }`). */
  readonly base?: LogFields;
}

/**
 * A structured logger that fits the environment's `logger` option.
 *
 * @example
 * ```ts
 * const logger: WeirLogger = createLogger();
 * logger.info('started', { job: 'orders' });
 * ```
 */
export interface WeirLogger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): WeirLogger;
  /** True when a line at `level` would be written. */
  isLevelEnabled(level: LogLevel): boolean;
  /** The pino logger underneath, for anything else pino offers. */
  readonly pino: Logger;
}

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The level a logger uses: the option, else `WEIR_LOG_LEVEL`, else `info`. An unknown name is
 * a clear error rather than a silent default.
 *
 * @example
 * ```ts
 * resolveLevel(undefined, { WEIR_LOG_LEVEL: 'debug' }); // 'debug'
 * ```
 */
export function resolveLevel(level: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): LogLevel {
  const chosen = level ?? env['WEIR_LOG_LEVEL'] ?? 'info';
  if (!(LEVELS as readonly string[]).includes(chosen)) {
    throw new RangeError(`Unknown log level '${chosen}' (from ${level !== undefined ? 'the level option' : 'WEIR_LOG_LEVEL'}); use one of ${LEVELS.join(', ')}`);
  }
  return chosen as LogLevel;
}

function wrap(logger: Logger): WeirLogger {
  const at =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (fields === undefined) logger[level](message);
      else logger[level](fields, message);
    };
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(logger.child(bindings)),
    isLevelEnabled: (level) => logger.isLevelEnabled(level),
    pino: logger,
  };
}

/**
 * Creates a structured logger.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'info' });
 * const env = StreamEnvironment.create({ logger, checkpointing: { intervalMs: 1000 } });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): WeirLogger {
  const destination = options.destination ?? process.stderr;
  const pretty = options.pretty ?? destination.isTTY === true;
  const stream: DestinationStream = pretty
    ? pinoPretty({ destination, sync: true, colorize: destination.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
    : (destination as unknown as DestinationStream);
  const logger = pino(
    {
      name: options.name ?? 'weir',
      level: resolveLevel(options.level),
      base: { pid: process.pid, ...(options.base ?? {}) },
      // Errors in fields are serialised with their stack, as pino does for `err`.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    stream,
  );
  return wrap(logger);
}
