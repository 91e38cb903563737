/**
 * Every result of the pipeline as one tagged record, for the views and the committed output.
 * Window results carry their window `[start, end)` in market time, read from the result's
 * timestamp (a time window's result is stamped `end - 1`, as in Flink); a price warning carries
 * the time of the last tick of the window it closed; a dead letter the time it was rejected.
 */
import type { DataStream, DeadLetter, ProcessContext } from '@weir/core';
import type { Count, StockPrice } from './domain.js';
import type { CountPair } from './functions.js';
import { COUNT_WINDOW_MS, STATS_SIZE_MS, type StockStreams } from './pipeline.js';

/**
 * A window in market time, `[start, end)`.
 *
 * @example
 * ```ts
 * const w: WindowBounds = { start: MARKET_OPEN, end: MARKET_OPEN + 30_000 };
 * ```
 */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

/**
 * One line of output.
 *
 * @example
 * ```ts
 * const r: StockResult = { kind: 'max', start: 0, end: 10_000, symbol: 'SPX', price: 1012.5 };
 * ```
 */
export type StockResult =
  | ({ readonly kind: 'lowest' } & WindowBounds & StockPrice)
  | ({ readonly kind: 'max' } & WindowBounds & StockPrice)
  | ({ readonly kind: 'min' } & WindowBounds & StockPrice)
  | ({ readonly kind: 'mean' } & WindowBounds & StockPrice)
  | ({ readonly kind: 'warnings' } & WindowBounds & Count)
  | ({ readonly kind: 'tweets' } & WindowBounds & Count)
  | ({ readonly kind: 'pair' } & WindowBounds & CountPair)
  | ({ readonly kind: 'correlation'; readonly correlation: number } & WindowBounds)
  | { readonly kind: 'warning'; readonly time: number; readonly symbol: string }
  | { readonly kind: 'dead-letter'; readonly time: number; readonly source: string; readonly reason: string; readonly input: string };

/**
 * Kinds of {@link StockResult}.
 *
 * @example
 * ```ts
 * const kinds: ResultKind[] = ['lowest', 'max', 'correlation'];
 * ```
 */
export type ResultKind = StockResult['kind'];

function windowOf(ctx: ProcessContext, size: number): WindowBounds {
  const end = ctx.timestamp + 1;
  return { start: end - size, end };
}

function tag<T>(stream: DataStream<T>, name: string, f: (value: T, ctx: ProcessContext) => StockResult): DataStream<StockResult> {
  return stream.process<StockResult>((value, ctx, out) => out.collect(f(value, ctx))).name(`tag ${name}`);
}

/**
 * All results in one stream.
 *
 * @example
 * ```ts
 * const results = tagResults(buildStockPipeline(prices, tweets, 'event'), deadLetters);
 * results.sinkTo(new TerminalSink(view));
 * ```
 */
export function tagResults(s: StockStreams, deadLetters?: DataStream<DeadLetter>): DataStream<StockResult> {
  const parts = [
    tag(s.lowest, 'lowest', (p, ctx) => ({ kind: 'lowest', ...windowOf(ctx, STATS_SIZE_MS), symbol: p.symbol, price: p.price })),
    tag(s.maxByStock, 'max', (p, ctx) => ({ kind: 'max', ...windowOf(ctx, STATS_SIZE_MS), symbol: p.symbol, price: p.price })),
    tag(s.minByStock, 'min', (p, ctx) => ({ kind: 'min', ...windowOf(ctx, STATS_SIZE_MS), symbol: p.symbol, price: p.price })),
    tag(s.rollingMean, 'mean', (p, ctx) => ({ kind: 'mean', ...windowOf(ctx, STATS_SIZE_MS), symbol: p.symbol, price: p.price })),
    tag(s.priceWarnings, 'warning', (symbol, ctx) => ({ kind: 'warning', time: ctx.timestamp, symbol })),
    tag(s.warningsPerStock, 'warnings', (c, ctx) => ({ kind: 'warnings', ...windowOf(ctx, COUNT_WINDOW_MS), symbol: c.symbol, count: c.count })),
    tag(s.tweetsPerStock, 'tweets', (c, ctx) => ({ kind: 'tweets', ...windowOf(ctx, COUNT_WINDOW_MS), symbol: c.symbol, count: c.count })),
    tag(s.tweetsAndWarnings, 'pair', (p, ctx) => ({ kind: 'pair', ...windowOf(ctx, COUNT_WINDOW_MS), ...p })),
    tag(s.correlation, 'correlation', (r, ctx) => ({ kind: 'correlation', ...windowOf(ctx, COUNT_WINDOW_MS), correlation: r })),
  ];
  if (deadLetters) {
    parts.push(
      tag(deadLetters, 'dead letter', (d, ctx) => ({
        kind: 'dead-letter',
        time: ctx.timestamp,
        source: d.source,
        reason: d.reason,
        input: typeof d.input === 'string' ? d.input : String(d.input),
      })),
    );
  }
  const [first, ...rest] = parts;
  return first!.merge(...rest);
}

/**
 * One JSON line for a result. Numbers JSON cannot hold (a NaN correlation) are written as
 * strings (`"NaN"`), so that they are not confused with a missing value.
 *
 * @example
 * ```ts
 * toJsonLine({ kind: 'correlation', start: 0, end: 30_000, correlation: NaN });
 * // '{"kind":"correlation","start":0,"end":30000,"correlation":"NaN"}'
 * ```
 */
export function toJsonLine(result: StockResult): string {
  return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/**
 * Parses a line written by {@link toJsonLine} (`"NaN"` back to NaN).
 *
 * @example
 * ```ts
 * fromJsonLine('{"kind":"correlation","start":0,"end":30000,"correlation":"NaN"}').correlation; // NaN
 * ```
 */
export function fromJsonLine(line: string): StockResult {
  return JSON.parse(line, (k, v: unknown) => ((k === 'correlation' || k === 'price') && typeof v === 'string' ? Number(v) : v)) as StockResult;
}
