/**
 * An independent computation of every output of the stock application, in plain TypeScript over
 * the generated events (no weir): epoch-aligned sliding and tumbling windows by hand, the seed's
 * delta-window semantics (Flink 0.9 `DeltaPolicy`: a tick more than 5% from the reference closes
 * the window *without* itself and becomes the reference; the window still open at the end of
 * input is emitted too), counts, the inner join per window and symbol, and Pearson's r from
 * sums. Used by the tests to check the pipeline's results.
 */
import { DEFAULT_PRICE, GENERATED_STOCKS, MARKET_OPEN, type StockPrice, SYMBOLS } from '../domain.js';
import { eventsUntil, StockWalk, TweetGenerator } from '../generators.js';

/** A window's start and end, ms. */
export interface ModelWindow {
  readonly start: number;
  readonly end: number;
}

/** Everything the application outputs, keyed for comparison. */
export interface ModelResults {
  /** `start` -> lowest tick over all symbols. */
  readonly lowest: Map<number, StockPrice>;
  /** `start|symbol` -> highest / lowest price and mean. */
  readonly max: Map<string, number>;
  readonly min: Map<string, number>;
  readonly mean: Map<string, number>;
  /** Warnings as `symbol@time`, in no particular order. */
  readonly warnings: string[];
  /** `start|symbol` -> count. */
  readonly warningCounts: Map<string, number>;
  readonly tweetCounts: Map<string, number>;
  /** `start|symbol` -> [warnings, tweets]. */
  readonly pairs: Map<string, readonly [number, number]>;
  /** `start` -> r. */
  readonly correlation: Map<number, number>;
}

type Tick = { readonly symbol: string; readonly price: number; readonly ts: number };

/** The generated ticks and tweets of a run with `seed` over `marketMs`. */
export function generatedInput(seed: number, marketMs: number): { ticks: Tick[]; tweets: Array<{ text: string; ts: number }> } {
  const end = MARKET_OPEN + marketMs;
  const ticks: Tick[] = [];
  for (const { symbol, sigma } of GENERATED_STOCKS) {
    for (const e of eventsUntil(new StockWalk(symbol, sigma, seed, MARKET_OPEN), end)) ticks.push({ symbol, price: e.value.price, ts: e.timestamp });
  }
  const tweets = eventsUntil(new TweetGenerator(seed, MARKET_OPEN), end).map((e) => ({ text: e.value, ts: e.timestamp }));
  return { ticks, tweets };
}

const floorTo = (t: number, size: number) => t - (((t % size) + size) % size);

function pearsonFromSums(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
    sxx += xs[i]! * xs[i]!;
    syy += ys[i]! * ys[i]!;
    sxy += xs[i]! * ys[i]!;
  }
  const varX = n * sxx - sx * sx;
  const varY = n * syy - sy * sy;
  // Integer counts: the sums are exact, so a constant side gives exactly 0.
  if (varX === 0 || varY === 0) return Number.NaN;
  return (n * sxy - sx * sy) / Math.sqrt(varX * varY);
}

/**
 * Computes every output for the given input.
 *
 * @example
 * ```ts
 * const model = referenceModel(generatedInput(42, 180_000));
 * ```
 */
export function referenceModel(input: { ticks: readonly Tick[]; tweets: ReadonlyArray<{ text: string; ts: number }> }): ModelResults {
  const lowest = new Map<number, StockPrice>();
  const max = new Map<string, number>();
  const min = new Map<string, number>();
  const sums = new Map<string, { sum: number; n: number }>();
  // Sliding 10 s every 5 s: a tick belongs to the windows starting at floor(ts, 5 s) and 5 s before.
  for (const t of input.ticks) {
    const last = floorTo(t.ts, 5000);
    for (const start of [last - 5000, last]) {
      const low = lowest.get(start);
      if (!low || t.price < low.price) lowest.set(start, { symbol: t.symbol, price: t.price });
      const k = `${start}|${t.symbol}`;
      max.set(k, Math.max(max.get(k) ?? Number.NEGATIVE_INFINITY, t.price));
      min.set(k, Math.min(min.get(k) ?? Number.POSITIVE_INFINITY, t.price));
      const s = sums.get(k) ?? { sum: 0, n: 0 };
      sums.set(k, { sum: s.sum + t.price, n: s.n + 1 });
    }
  }
  const mean = new Map([...sums].map(([k, s]) => [k, s.sum / s.n] as const));

  // Price warnings per symbol, in each symbol's own order.
  const warnings: Array<{ symbol: string; time: number }> = [];
  for (const { symbol } of GENERATED_STOCKS) {
    let reference = DEFAULT_PRICE;
    let window: Tick[] = [];
    for (const t of input.ticks.filter((x) => x.symbol === symbol)) {
      if (Math.abs(t.price / reference - 1) > 0.05) {
        if (window.length > 0) warnings.push({ symbol, time: Math.max(...window.map((w) => w.ts)) });
        window = [];
        reference = t.price;
      }
      window.push(t);
    }
    if (window.length > 0) warnings.push({ symbol, time: Math.max(...window.map((w) => w.ts)) });
  }

  const warningCounts = new Map<string, number>();
  for (const w of warnings) {
    const k = `${floorTo(w.time, 30_000)}|${w.symbol}`;
    warningCounts.set(k, (warningCounts.get(k) ?? 0) + 1);
  }
  const tweetCounts = new Map<string, number>();
  for (const tweet of input.tweets) {
    for (const word of tweet.text.split(' ')) {
      const symbol = word.toUpperCase();
      if (!SYMBOLS.includes(symbol)) continue;
      const k = `${floorTo(tweet.ts, 30_000)}|${symbol}`;
      tweetCounts.set(k, (tweetCounts.get(k) ?? 0) + 1);
    }
  }
  const pairs = new Map<string, readonly [number, number]>();
  for (const [k, w] of warningCounts) {
    const t = tweetCounts.get(k);
    if (t !== undefined) pairs.set(k, [w, t]);
  }
  const byWindow = new Map<number, Array<readonly [number, number]>>();
  for (const [k, p] of pairs) {
    const start = Number(k.split('|')[0]);
    byWindow.set(start, [...(byWindow.get(start) ?? []), p]);
  }
  const correlation = new Map([...byWindow].map(([start, ps]) => [start, pearsonFromSums(ps.map((p) => p[0]), ps.map((p) => p[1]))] as const));
  return { lowest, max, min, mean, warnings: warnings.map((w) => `${w.symbol}@${w.time}`), warningCounts, tweetCounts, pairs, correlation };
}
