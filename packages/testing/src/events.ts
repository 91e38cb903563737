/**
 * The events the kit generates and runs: `{ key, value, timestamp }`, in arrival order. An array
 * made by {@link arbEventStream} also remembers the disorder bound it was generated with, so that
 * `runPipeline` and `windowModel` pick the same watermarks without being told.
 */

/**
 * One generated event: a key, a value and an event-time timestamp (ms since the epoch).
 *
 * @example
 * ```ts
 * const e: TestEvent<number> = { key: 'SPX', value: 1012.5, timestamp: 10_250 };
 * ```
 */
export interface TestEvent<V = number, K = string> {
  key: K;
  value: V;
  timestamp: number;
}

/**
 * Anything with an event-time `timestamp` field: what `runPipeline` and the models accept.
 *
 * @example
 * ```ts
 * interface Reading extends Timestamped { sensor: string; celsius: number }
 * const out = await runPipeline<Reading, number>(readings, (s) => s.map((r) => r.celsius));
 * ```
 */
export interface Timestamped {
  readonly timestamp: number;
}

/**
 * What a generated stream remembers about how it was made.
 *
 * @example
 * ```ts
 * streamInfo(events)?.maxDisorderMs; // 500
 * ```
 */
export interface EventStreamInfo {
  /** The out-of-orderness bound: the default watermark trails the largest timestamp by this + 1 ms. */
  readonly maxDisorderMs: number;
}

const INFO = Symbol.for('weir.testing.eventStreamInfo');

/** @internal Attaches the stream info as a hidden (non-enumerable) property. */
export function withStreamInfo<T extends object[]>(events: T, info: EventStreamInfo): T {
  Object.defineProperty(events, INFO, { value: info, enumerable: false, configurable: true });
  return events;
}

/**
 * The info of a stream made by {@link arbEventStream}, or undefined for a hand-made array.
 *
 * @example
 * ```ts
 * const bound = streamInfo(events)?.maxDisorderMs ?? 0;
 * ```
 */
export function streamInfo(events: readonly unknown[]): EventStreamInfo | undefined {
  return (events as unknown as { [INFO]?: EventStreamInfo })[INFO];
}

/** @internal The disorder bound to use: explicit option, else the stream's, else 0 (monotonous). */
export function disorderBound(events: readonly unknown[], explicit: number | undefined): number {
  const b = explicit ?? streamInfo(events)?.maxDisorderMs ?? 0;
  if (!(b >= 0) || !Number.isFinite(b)) throw new RangeError(`maxDisorderMs must be a finite number >= 0 (got ${b})`);
  return b;
}
