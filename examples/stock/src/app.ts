/**
 * The application assembled: the environment (market clock, checkpointing), the inputs, the
 * pipeline and the tagged result stream. Views and sinks are attached by the caller (the CLI or a
 * test), so the same job runs in a terminal, in tests with `collect()`, and with committed output.
 */
import { join } from 'node:path';
import { type Clock, type DataStream, type LogFields, ManualClock, StreamEnvironment } from '@weir/core';
import { webDashboard } from '@weir/web';
import { MARKET_OPEN } from './domain.js';
import { MarketClock, type Pacer, UNPACED } from './market-clock.js';
import { buildStockPipeline, type StockStreams, type TimeMode } from './pipeline.js';
import { type StockResult, tagResults } from './results.js';
import { stockInputs } from './sources/inputs.js';

/**
 * What a run is.
 *
 * @example
 * ```ts
 * const config: StockJobConfig = { seed: 42, marketMs: 300_000, rate: 10, time: 'event', checkpointDir: './cp' };
 * ```
 */
export interface StockJobConfig {
  readonly seed: number;
  /** Market time the generators cover, ms (the demo's duration times its rate). */
  readonly marketMs: number;
  /** Market seconds per wall second, or no pacing at all (event time only; for tests). */
  readonly rate: number | 'unpaced';
  readonly time: TimeMode;
  readonly socket?: { readonly host: string; readonly port: number };
  /** Checkpoints go to `<dir>/checkpoints` and a run continues from the newest one there. */
  readonly checkpointDir?: string;
  /** Wall-clock time between checkpoints, ms (default 1000). */
  readonly checkpointEveryMs?: number;
  /** Gets the engine's messages; lifecycle lines come with structured fields (an `event` field). */
  readonly logger?: { info(message: string, fields?: LogFields): void; warn(message: string, fields?: LogFields): void };
  /** Serve the dashboard and `/metrics` while the job runs. */
  readonly web?: { readonly port: number; readonly host?: string };
  /** Called with the dashboard's address once it listens (with `web`). */
  readonly onWebServer?: (url: string) => void;
}

/**
 * A built job, ready for sinks and `env.execute()`.
 *
 * @example
 * ```ts
 * const { env, results } = createStockJob(config); results.print(); await env.execute();
 * ```
 */
export interface StockJob {
  readonly env: StreamEnvironment;
  readonly streams: StockStreams;
  /** Every result (and, with a socket, every dead letter) as one stream. */
  readonly results: DataStream<StockResult>;
  /** The market clock (undefined when unpaced). */
  readonly clock: MarketClock | undefined;
  /** Market time of the first event and the end of the generated input. */
  readonly start: number;
  readonly end: number;
}

/**
 * Builds the stock-price job.
 *
 * @example
 * ```ts
 * const job = createStockJob({ seed: 42, marketMs: 300_000, rate: 10, time: 'event' });
 * const out = job.results.collect();
 * await job.env.execute('stock prices');
 * ```
 */
export function createStockJob(config: StockJobConfig): StockJob {
  const start = MARKET_OPEN;
  const end = start + config.marketMs;
  const paced = config.rate !== 'unpaced';
  if (!paced && (config.time === 'processing' || config.socket)) {
    throw new RangeError('an unpaced run has no clock to read: use a rate with processing time or a socket');
  }
  const clock = paced ? new MarketClock(config.rate as number, start) : undefined;
  const pacer: Pacer = clock ?? UNPACED;
  const envClock: Clock = clock ?? new ManualClock(start);
  const rate = paced ? (config.rate as number) : 1;
  const env = StreamEnvironment.create({
    clock: envClock,
    ...(config.checkpointDir !== undefined
      ? {
          checkpointing: { intervalMs: Math.max(1, Math.round((config.checkpointEveryMs ?? 1000) * rate)), dir: join(config.checkpointDir, 'checkpoints'), retain: 3 },
          restore: 'latest' as const,
          // Socket nodes are stateless; a restart with or without --socket keeps the rest.
          allowNonRestoredState: true,
        }
      : {}),
    ...(config.logger ? { logger: config.logger } : {}),
    // The dashboard is @weir/web's observer (core installs no web server).
    ...(config.web ? { observers: [webDashboard({ ...config.web, ...(config.onWebServer ? { onListening: config.onWebServer } : {}) })] } : {}),
  });
  const inputs = stockInputs(env, { seed: config.seed, start, end, pacer, time: config.time, ...(config.socket ? { socket: config.socket } : {}) });
  const streams = buildStockPipeline(inputs.prices, inputs.tweets, config.time);
  const results = tagResults(streams, inputs.deadLetters);
  return { env, streams, results, clock, start, end };
}
