/**
 * The micro cases' input: keyed numeric events `{ key, value, ts }`, in event-time order.
 *
 * - Keys come in blocks: every block of `keys` consecutive events holds each key exactly once, in
 *   a fresh random order. So with 1,000 keys at 1,000 events per second of event time, every
 *   1 s window holds each key once (one window result per input); at 100,000 events/s each key
 *   100 times (one result per 100 inputs). Numbers of results are exact, not statistical.
 * - `ts = BASE_TIME + floor(i * 1000 / eventsPerSecond)`: deterministic, like Nexmark's
 *   `timestampForEvent`, so any event is computable from its index.
 * - `value` is uniform in 0..99.
 *
 * Worked example: keys 3, rate 1000/s: events 0..2 at ts +0, +1, +2 ms with keys (2, 0, 1),
 * events 3..5 at +3..+5 with keys (1, 2, 0), ...
 */
import { Rng } from '../harness/rng.js';

/** A keyed numeric event. */
export interface KeyedEvent {
  readonly key: number;
  readonly value: number;
  readonly ts: number;
}

/** 2024-01-01T00:00:00Z: epoch-millisecond timestamps, as real events have (not small integers). */
export const BASE_TIME = 1_704_067_200_000;

/** Shape of a keyed event stream. */
export interface KeyedEventsOptions {
  readonly keys: number;
  /** Events per second of event time. */
  readonly eventsPerSecond: number;
  readonly seed?: number;
}

/**
 * Generates keyed events one at a time (for streaming sources that must not hold the input).
 *
 * @example
 * ```ts
 * const gen = new KeyedEventGenerator({ keys: 1000, eventsPerSecond: 1000 });
 * const first = gen.next(); // { key, value, ts: BASE_TIME }
 * ```
 */
export class KeyedEventGenerator {
  private readonly rng: Rng;
  private readonly perm: Int32Array;
  private index = 0;

  constructor(private readonly options: KeyedEventsOptions) {
    this.rng = new Rng(options.seed ?? 1);
    this.perm = new Int32Array(options.keys);
    for (let k = 0; k < options.keys; k++) this.perm[k] = k;
  }

  /** Events generated so far. */
  get position(): number {
    return this.index;
  }

  next(): KeyedEvent {
    const i = this.index++;
    const keys = this.options.keys;
    const slot = i % keys;
    if (slot === 0) this.shuffle();
    return { key: this.perm[slot]!, value: this.rng.int(100), ts: BASE_TIME + Math.floor((i * 1000) / this.options.eventsPerSecond) };
  }

  private shuffle(): void {
    const p = this.perm;
    for (let k = p.length - 1; k > 0; k--) {
      const j = this.rng.int(k + 1);
      const t = p[k]!;
      p[k] = p[j]!;
      p[j] = t;
    }
  }
}

/**
 * Pre-generates `n` keyed events (all implementations of a case then read the same objects).
 *
 * @example
 * ```ts
 * const events = keyedEvents(10_000_000, { keys: 1000, eventsPerSecond: 1000 });
 * ```
 */
export function keyedEvents(n: number, options: KeyedEventsOptions): KeyedEvent[] {
  const gen = new KeyedEventGenerator(options);
  // push, not new Array(n): a packed array, like the slices cases take of it (one elements kind).
  const out: KeyedEvent[] = [];
  for (let i = 0; i < n; i++) out.push(gen.next());
  return out;
}
