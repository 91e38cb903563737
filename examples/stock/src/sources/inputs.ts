/**
 * The application's inputs: one generated stream per stock (SPX, FTSE, DJI, BUX, each with its
 * own volatility and seed), optionally merged with socket ticks, and the generated tweets.
 *
 * In event time each generated stream gets its own monotonous watermarks *before* the merge, as
 * four separate sources would in Flink: the merged watermark is then the minimum over the stocks,
 * so no tick of any stock is ever late, whatever order the runtime interleaves the sources in,
 * and the results depend on the seed only.
 */
import { type DataStream, type DeadLetter, type StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { GENERATED_STOCKS, type StockPrice } from '../domain.js';
import { StockWalk, TweetGenerator } from '../generators.js';
import type { Pacer } from '../market-clock.js';
import type { TimeMode } from '../pipeline.js';
import { GeneratedSource } from './generated-source.js';
import { SocketUntil, socketTicks } from './socket-input.js';

/**
 * What the inputs are built from.
 *
 * @example
 * ```ts
 * stockInputs(env, { seed: 1, start: MARKET_OPEN, end: MARKET_OPEN + 60_000, pacer: UNPACED, time: 'event' });
 * ```
 */
export interface InputOptions {
  readonly seed: number;
  /** Market time of the first event. */
  readonly start: number;
  /** Market time at which the generators (and the socket) end. */
  readonly end: number;
  readonly pacer: Pacer;
  readonly time: TimeMode;
  readonly socket?: { readonly host: string; readonly port: number };
}

/**
 * The input streams.
 *
 * @example
 * ```ts
 * const { prices, tweets, deadLetters } = stockInputs(env, options);
 * ```
 */
export interface StockInputs {
  readonly prices: DataStream<StockPrice>;
  readonly tweets: DataStream<string>;
  /** Rejected socket input (absent without a socket). */
  readonly deadLetters: DataStream<DeadLetter> | undefined;
}

function generated<T>(env: StreamEnvironment, name: string, source: GeneratedSource<T>, time: TimeMode): DataStream<T> {
  const stream = env.fromSource(source, name).uid(`source-${name}`);
  return time === 'event'
    ? stream.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<T>()).name(`${name} watermarks`).uid(`watermarks-${name}`)
    : stream;
}

/**
 * Builds the input streams on `env`.
 *
 * @example
 * ```ts
 * const { prices, tweets } = stockInputs(env, { seed: 42, start: MARKET_OPEN, end: MARKET_OPEN + 300_000, pacer: clock, time: 'event' });
 * ```
 */
export function stockInputs(env: StreamEnvironment, o: InputOptions): StockInputs {
  const opts = { end: o.end, pacer: o.pacer, eventTime: o.time === 'event' };
  const stocks = GENERATED_STOCKS.map(({ symbol, sigma }) =>
    generated(env, symbol, new GeneratedSource(symbol, () => new StockWalk(symbol, sigma, o.seed, o.start), opts), o.time),
  );
  const tweets = generated(env, 'tweets', new GeneratedSource('tweets', () => new TweetGenerator(o.seed, o.start), opts), o.time);
  let deadLetters: DataStream<DeadLetter> | undefined;
  if (o.socket) {
    const lines = env.fromSource(new SocketUntil(o.socket.host, o.socket.port, o.end, o.pacer)).uid('source-socket');
    const fromSocket = socketTicks(lines);
    stocks.push(fromSocket.ticks);
    deadLetters = fromSocket.deadLetters;
  }
  const [first, ...rest] = stocks;
  return { prices: first!.merge(...rest), tweets, deadLetters };
}
