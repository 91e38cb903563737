/**
 * Side outputs: a typed tag names an extra output of an operator (late data, dead letters, any
 * user split). `stream.getSideOutput(tag)` returns its stream.
 */

/**
 * Names a side output of type `T`. Two tags with the same id are the same output.
 *
 * @example
 * ```ts
 * const lateTag = new OutputTag<Tick>('late-ticks');
 * const maxima = ticks.keyBy('symbol').window(TumblingEventTimeWindows.of(Time.seconds(10)))
 *   .sideOutputLateData(lateTag).maxBy('price');
 * const late = maxima.getSideOutput(lateTag);
 * ```
 */
export class OutputTag<T> {
  declare readonly _type?: T;
  constructor(readonly id: string) {
    if (typeof id !== 'string' || id.length === 0) throw new TypeError('OutputTag: the id must be a non-empty string');
  }
  toString(): string {
    return `OutputTag(${this.id})`;
  }
}

/**
 * A record that could not be processed, with the reason. Sources and parsing operators send them
 * to the {@link DEAD_LETTERS} side output instead of crashing or dropping them.
 *
 * @example
 * ```ts
 * const bad = stream.getSideOutput(DEAD_LETTERS);
 * bad.map((d) => `${d.source}: ${d.reason}`).print('dead');
 * ```
 */
export interface DeadLetter<I = unknown> {
  /** The raw input that failed (a line, a buffer, an element). */
  readonly input: I;
  /** Why it failed, for people. */
  readonly reason: string;
  /** The operator or source that rejected it. */
  readonly source: string;
  /** Position in the source (offset, line number, entry id) when known. */
  readonly position?: unknown;
}

/**
 * The side output that sources and parsers send malformed records to.
 *
 * @example
 * ```ts
 * env.socketTextStream('localhost', 9999).getSideOutput(DEAD_LETTERS).print('rejected');
 * ```
 */
export const DEAD_LETTERS = new OutputTag<DeadLetter>('weir.dead-letters');
