/**
 * What an assigner tells the window operator so it can aggregate by panes (slices): fixed-size
 * event-time windows of `size` every `slide`, aligned to `offset` (tumbling: slide = size).
 */
export interface Slicing {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  /**
   * A staggered assigner's offset (Flink's WindowStagger): fixed from the processing time of the
   * first element; `offset` is used when absent.
   */
  readonly offsetAt?: (now: number) => number;
}

/** An assigner that exposes its {@link Slicing}. */
export interface SlicingAssigner {
  readonly slicing: Slicing;
}

/** @internal */
export function slicingOf(assigner: unknown): Slicing | undefined {
  const s = (assigner as Partial<SlicingAssigner>).slicing;
  return s !== undefined && s.size > 0 && s.slide > 0 ? s : undefined;
}
