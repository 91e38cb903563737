/**
 * The 2015 StockPrices pipeline on weir, step by step (flink-semantics.md section 4.2):
 *
 * 1. rolling statistics over `window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds'))`:
 *    the lowest price over all symbols (`minBy`), `groupBy('symbol').maxBy('price')` (and
 *    `minBy`), and the mean per symbol (`mapWindow(windowMean)`);
 * 2. price warnings: `groupBy('symbol').window(Delta.of(0.05, relativeChange, DEFAULT))` with
 *    `mapWindow(sendWarning)` (a >5% move closes the window; the closing tick opens the next);
 * 3. warnings per symbol per 30 s (`sum('count')`), tweets per symbol per 30 s;
 * 4. their window join on symbol, and the Pearson correlation of the joined counts per 30 s.
 *
 * In event time the windows are the seed's `Time` policies on the events' timestamps; with
 * `processing` they are processing-time windows of the same sizes on the job's clock.
 */
import type { AllWindowedStream, DataStream, KeyedStream, TimeWindow, WindowedStream } from '@weir/core';
import {
  Delta,
  SlidingProcessingTimeWindows,
  Time,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '@weir/windows';
import { type Count, type StockPrice, SYMBOLS } from './domain.js';
import { type CountPair, DEFAULT, relativeChange, sendWarning, windowCorrelation, windowMean } from './functions.js';

/**
 * Event time (timestamps of the events) or processing time (the job's clock).
 *
 * @example
 * ```ts
 * buildStockPipeline(prices, tweets, 'processing');
 * ```
 */
export type TimeMode = 'event' | 'processing';

/**
 * Size of the rolling-statistics window, ms.
 *
 * @example
 * ```ts
 * const start = result.end - STATS_SIZE_MS;
 * ```
 */
export const STATS_SIZE_MS = 10_000;

/**
 * Slide of the rolling-statistics window, ms.
 *
 * @example
 * ```ts
 * const nextEnd = window.end + STATS_SLIDE_MS;
 * ```
 */
export const STATS_SLIDE_MS = 5_000;

/**
 * Size of the warning, tweet, join and correlation windows, ms.
 *
 * @example
 * ```ts
 * const start = pair.end - COUNT_WINDOW_MS;
 * ```
 */
export const COUNT_WINDOW_MS = 30_000;

/** Every stream the pipeline computes. */
export interface StockStreams {
  /** Lowest price over all symbols per 10 s window, every 5 s. */
  readonly lowest: DataStream<StockPrice>;
  /** Highest tick per symbol per 10 s window. */
  readonly maxByStock: DataStream<StockPrice>;
  /** Lowest tick per symbol per 10 s window. */
  readonly minByStock: DataStream<StockPrice>;
  /** Mean price per symbol per 10 s window. */
  readonly rollingMean: DataStream<StockPrice>;
  /** A symbol per >5% move. */
  readonly priceWarnings: DataStream<string>;
  readonly warningsPerStock: DataStream<Count>;
  readonly tweetsPerStock: DataStream<Count>;
  readonly tweetsAndWarnings: DataStream<CountPair>;
  readonly correlation: DataStream<number>;
}

function statsWindow(prices: DataStream<StockPrice>, mode: TimeMode): AllWindowedStream<StockPrice, TimeWindow> {
  return mode === 'event'
    ? prices.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds'))
    : prices.window(SlidingProcessingTimeWindows.of(Time.of(10, 'seconds'), Time.of(5, 'seconds')));
}

function countWindow<T>(keyed: KeyedStream<T, string>, mode: TimeMode): WindowedStream<T, string, TimeWindow> {
  return mode === 'event' ? keyed.window(Time.of(30, 'seconds')) : keyed.window(TumblingProcessingTimeWindows.of(Time.of(30, 'seconds')));
}

function thirtySeconds(mode: TimeMode) {
  return mode === 'event' ? TumblingEventTimeWindows.of(Time.of(30, 'seconds')) : TumblingProcessingTimeWindows.of(Time.of(30, 'seconds'));
}

/**
 * Builds the pipeline on the merged price stream and the tweet stream.
 *
 * @example
 * ```ts
 * const streams = buildStockPipeline(prices, tweets, 'event');
 * streams.correlation.print('correlation');
 * await env.execute('stocks');
 * ```
 */
export function buildStockPipeline(stockStream: DataStream<StockPrice>, tweetStream: DataStream<string>, mode: TimeMode): StockStreams {
  // 1. Rolling statistics, computed on the whole stream every 5 s (groupBy after window: central
  //    windows, per-symbol functions, as in the seed).
  const windowedStream = statsWindow(stockStream, mode);
  const lowest = windowedStream.minBy('price').flatten().uid('stats-lowest');
  const maxByStock = windowedStream.groupBy('symbol').maxBy('price').flatten().uid('stats-max');
  const minByStock = windowedStream.groupBy('symbol').minBy('price').flatten().uid('stats-min');
  const rollingMean = windowedStream.groupBy('symbol').mapWindow(windowMean).flatten().uid('stats-mean');

  // 2. Price warnings: a data-driven window per symbol.
  const priceWarnings = stockStream
    .groupBy('symbol')
    .window(Delta.of(0.05, relativeChange, DEFAULT))
    .mapWindow(sendWarning)
    .flatten()
    .uid('price-warnings');

  // 3. Counts per symbol per 30 s.
  const warningsPerStock = countWindow(
    priceWarnings.map((symbol): Count => ({ symbol, count: 1 })).groupBy('symbol'),
    mode,
  )
    .sum('count')
    .flatten()
    .uid('warnings-per-stock');
  const tweetsPerStock = countWindow(
    tweetStream
      .flatMap((tweet: string) => tweet.split(' '))
      .map((word) => word.toUpperCase())
      .filter((word) => SYMBOLS.includes(word))
      .map((symbol): Count => ({ symbol, count: 1 }))
      .groupBy('symbol'),
    mode,
  )
    .sum('count')
    .flatten()
    .uid('tweets-per-stock');

  // 4. Join on symbol within 30 s windows, then correlate the pairs of each window.
  const tweetsAndWarnings = warningsPerStock
    .join(tweetsPerStock)
    .where('symbol')
    .equalTo('symbol')
    .window(thirtySeconds(mode))
    .apply((w, t): CountPair => ({ symbol: w.symbol, warnings: w.count, tweets: t.count }))
    .uid('warnings-tweets-join');
  const correlation = (mode === 'event' ? tweetsAndWarnings.window(Time.of(30, 'seconds')) : tweetsAndWarnings.window(thirtySeconds(mode)))
    .mapWindow(windowCorrelation)
    .uid('correlation');

  return { lowest, maxByStock, minByStock, rollingMean, priceWarnings, warningsPerStock, tweetsPerStock, tweetsAndWarnings, correlation };
}
