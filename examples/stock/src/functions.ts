/**
 * The user functions of the 2015 pipeline, pure and testable on their own: the delta of a price
 * warning, the window mean (correct per window: the 2015 Java `WindowMean` kept its sum and count
 * in fields that were never reset, so its "mean" ran across windows and symbols), the warning
 * emitter and the rolling Pearson correlation.
 */
import type { Collector } from '@weir/core';
import { DEFAULT_PRICE, type StockPrice } from './domain.js';

/**
 * The reference point of the first price warning (2015's `StockPrice("", 1000)`).
 *
 * @example
 * ```ts
 * Delta.of(0.05, relativeChange, DEFAULT);
 * ```
 */
export const DEFAULT: StockPrice = { symbol: '', price: DEFAULT_PRICE };

/**
 * Relative change from the reference price to the new one: `|new / old - 1|`. Above 0.05 the
 * price moved more than 5% since the last warning.
 *
 * @example
 * ```ts
 * relativeChange({ symbol: 'SPX', price: 1000 }, { symbol: 'SPX', price: 1060 }); // 0.06
 * ```
 */
export function relativeChange(reference: StockPrice, next: StockPrice): number {
  return Math.abs(next.price / reference.price - 1);
}

/**
 * The mean price of one symbol's window, as a `StockPrice` (the Scala version's `mean`).
 *
 * @example
 * ```ts
 * windowed.groupBy('symbol').mapWindow(windowMean); // StockPrice{SPX, 1003.2}
 * ```
 */
export function windowMean(ticks: readonly StockPrice[], out: Collector<StockPrice>): void {
  if (ticks.length === 0) return;
  let sum = 0;
  for (const t of ticks) sum += t.price;
  out.collect({ symbol: ticks[0]!.symbol, price: sum / ticks.length });
}

/**
 * A price warning: the symbol of a window that a >5% move closed (2015's `SendWarning`).
 *
 * @example
 * ```ts
 * prices.groupBy('symbol').window(Delta.of(0.05, relativeChange, DEFAULT)).mapWindow(sendWarning);
 * ```
 */
export function sendWarning(ticks: readonly StockPrice[], out: Collector<string>): void {
  if (ticks.length > 0) out.collect(ticks[0]!.symbol);
}

/**
 * Warning and tweet counts of one symbol in one 30 s window (a join result).
 *
 * @example
 * ```ts
 * const pair: CountPair = { symbol: 'DJI', warnings: 7, tweets: 12 };
 * ```
 */
export interface CountPair {
  readonly symbol: string;
  readonly warnings: number;
  readonly tweets: number;
}

/**
 * Population Pearson correlation of `x` and `y`: `cov / (sdX * sdY)` with `/n` moments, as
 * 2015's `WindowCorrelation`. NaN when a side is constant (or there are fewer than 2 pairs).
 *
 * @example
 * ```ts
 * pearson([1, 2, 3], [2, 4, 7]); // 0.993...
 * pearson([1, 1, 1], [2, 4, 7]); // NaN
 * ```
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n === 0 || n !== y.length) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  if (vx === 0 || vy === 0) return Number.NaN;
  return cov / n / (Math.sqrt(vx / n) * Math.sqrt(vy / n));
}

/**
 * The correlation of warning counts and tweet counts over a window's join pairs. Pairs are taken
 * in symbol order, so the floating-point sums do not depend on arrival order.
 *
 * @example
 * ```ts
 * pairs.window(Time.of(30, 'seconds')).mapWindow(windowCorrelation);
 * ```
 */
export function windowCorrelation(pairs: readonly CountPair[], out: Collector<number>): void {
  const sorted = [...pairs].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  out.collect(pearson(sorted.map((p) => p.warnings), sorted.map((p) => p.tweets)));
}
