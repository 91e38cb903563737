/**
 * The records of the stock-price application, as in Flink's 2015 streaming example:
 * `StockPrice{symbol, price}` and `Count{symbol, count}`, the symbols, the volatility of each
 * generated stock, and the simulated market's opening time.
 */

/**
 * A price tick. Event time travels beside the record (as a weir record timestamp), as in Flink.
 *
 * @example
 * ```ts
 * const tick: StockPrice = { symbol: 'SPX', price: 1011.34 };
 * ```
 */
export interface StockPrice {
  readonly symbol: string;
  readonly price: number;
}

/**
 * A count per symbol (warnings or tweets), summed per 30 s window with `sum('count')`.
 *
 * @example
 * ```ts
 * const one: Count = { symbol: 'DJI', count: 1 };
 * ```
 */
export interface Count {
  readonly symbol: string;
  readonly count: number;
}

/**
 * The symbols tweets mention (the 2015 example's `SYMBOLS`).
 *
 * @example
 * ```ts
 * SYMBOLS.includes('SPX'); // true
 * ```
 */
export const SYMBOLS: readonly string[] = ['SPX', 'FTSE', 'DJI', 'DJT', 'BUX', 'DAX', 'GOOG'];

/**
 * The generated stocks and their volatility (standard deviation of one random-walk step).
 *
 * @example
 * ```ts
 * GENERATED_STOCKS.map((s) => s.symbol); // ['SPX', 'FTSE', 'DJI', 'BUX']
 * ```
 */
export const GENERATED_STOCKS: ReadonlyArray<{ readonly symbol: string; readonly sigma: number }> = [
  { symbol: 'SPX', sigma: 10 },
  { symbol: 'FTSE', sigma: 20 },
  { symbol: 'DJI', sigma: 30 },
  { symbol: 'BUX', sigma: 40 },
];

/**
 * Where every random walk starts, and the reference of the first price warning.
 *
 * @example
 * ```ts
 * const DEFAULT: StockPrice = { symbol: '', price: DEFAULT_PRICE };
 * ```
 */
export const DEFAULT_PRICE = 1000;

/**
 * The simulated market opens at 2015-02-09 09:00:00 UTC, the day "Introducing Flink Streaming"
 * was published. A fixed origin keeps event times, and so every window, the same for a seed.
 *
 * @example
 * ```ts
 * new Date(MARKET_OPEN).toISOString(); // '2015-02-09T09:00:00.000Z'
 * ```
 */
export const MARKET_OPEN = Date.UTC(2015, 1, 9, 9, 0, 0);
