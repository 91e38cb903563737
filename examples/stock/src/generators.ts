/**
 * The event generators, as pure state machines over a {@link SeededRandom}: a stock's Gaussian
 * random walk (2015's `StockSource`: `price += nextGaussian() * sigma`, emit, wait 0-199 ms) and
 * the tweet stream (2015's `TweetSource`: wait 0-499 ms, emit three random symbols). Each event
 * carries its event time; the state (including the random generator's) is plain data, so a
 * source built on a generator is replayable from a checkpoint.
 *
 * Example (sigma 10): prices 1000 -> 1003.1 @ t0, 997.4 @ t0+118, 1005.0 @ t0+131, ...
 */
import { DEFAULT_PRICE, type StockPrice, SYMBOLS } from './domain.js';
import { deriveSeed, type RandomState, SeededRandom } from './random.js';

/**
 * A deterministic, checkpointable sequence of timestamped events.
 *
 * @example
 * ```ts
 * const walk = new StockWalk('SPX', 10, 42, MARKET_OPEN);
 * while (walk.peekTimestamp() < MARKET_OPEN + 60_000) console.log(walk.next());
 * ```
 */
export interface EventGenerator<T, S = unknown> {
  /** Event time of the next event. */
  peekTimestamp(): number;
  /** The next event; advances the generator. */
  next(): { readonly value: T; readonly timestamp: number };
  snapshot(): S;
  restore(state: S): void;
}

/**
 * State of a {@link StockWalk}.
 *
 * @example
 * ```ts
 * const saved: StockWalkState = walk.snapshot(); walk.restore(saved);
 * ```
 */
export interface StockWalkState {
  readonly price: number;
  readonly nextTimestamp: number;
  readonly random: RandomState;
}

/**
 * One stock's random walk, starting at 1000 at `start`.
 *
 * @example
 * ```ts
 * const spx = new StockWalk('SPX', 10, 42, MARKET_OPEN);
 * spx.next(); // { value: { symbol: 'SPX', price: 1003.1... }, timestamp: MARKET_OPEN }
 * ```
 */
export class StockWalk implements EventGenerator<StockPrice, StockWalkState> {
  private price = DEFAULT_PRICE;
  private nextTimestamp: number;
  private random: SeededRandom;

  constructor(
    readonly symbol: string,
    readonly sigma: number,
    seed: number,
    start: number,
  ) {
    this.random = new SeededRandom(deriveSeed(seed, symbol));
    this.nextTimestamp = start;
  }

  peekTimestamp(): number {
    return this.nextTimestamp;
  }

  next(): { value: StockPrice; timestamp: number } {
    this.price += this.random.nextGaussian() * this.sigma;
    const timestamp = this.nextTimestamp;
    this.nextTimestamp += this.random.nextInt(200);
    return { value: { symbol: this.symbol, price: this.price }, timestamp };
  }

  snapshot(): StockWalkState {
    return { price: this.price, nextTimestamp: this.nextTimestamp, random: this.random.snapshot() };
  }

  restore(state: StockWalkState): void {
    this.price = state.price;
    this.nextTimestamp = state.nextTimestamp;
    this.random = SeededRandom.restore(state.random);
  }
}

/**
 * State of a {@link TweetGenerator}.
 *
 * @example
 * ```ts
 * const saved: TweetState = tweets.snapshot(); tweets.restore(saved);
 * ```
 */
export interface TweetState {
  readonly nextTimestamp: number;
  readonly random: RandomState;
}

/**
 * Tweets of three random symbols each (`"DJI SPX DJI"`), 0-499 ms apart.
 *
 * @example
 * ```ts
 * const tweets = new TweetGenerator(42, MARKET_OPEN);
 * tweets.next().value; // e.g. 'GOOG BUX SPX'
 * ```
 */
export class TweetGenerator implements EventGenerator<string, TweetState> {
  private nextTimestamp: number;
  private random: SeededRandom;

  constructor(seed: number, start: number) {
    this.random = new SeededRandom(deriveSeed(seed, 'tweets'));
    this.nextTimestamp = start + this.random.nextInt(500);
  }

  peekTimestamp(): number {
    return this.nextTimestamp;
  }

  next(): { value: string; timestamp: number } {
    const words: string[] = [];
    for (let i = 0; i < 3; i++) words.push(SYMBOLS[this.random.nextInt(SYMBOLS.length)]!);
    const timestamp = this.nextTimestamp;
    this.nextTimestamp += this.random.nextInt(500);
    return { value: words.join(' '), timestamp };
  }

  snapshot(): TweetState {
    return { nextTimestamp: this.nextTimestamp, random: this.random.snapshot() };
  }

  restore(state: TweetState): void {
    this.nextTimestamp = state.nextTimestamp;
    this.random = SeededRandom.restore(state.random);
  }
}

/**
 * Every event of a generator before `end` (for models and tests).
 *
 * @example
 * ```ts
 * const ticks = eventsUntil(new StockWalk('SPX', 10, 42, MARKET_OPEN), MARKET_OPEN + 60_000);
 * ```
 */
export function eventsUntil<T>(generator: EventGenerator<T>, end: number): Array<{ value: T; timestamp: number }> {
  const out: Array<{ value: T; timestamp: number }> = [];
  while (generator.peekTimestamp() < end) out.push(generator.next());
  return out;
}
