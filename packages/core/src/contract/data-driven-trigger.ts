/**
 * What weir's count and delta triggers say about themselves, so that count and delta windows
 * (a global window with one of them) can run on a lean operator that keeps the trigger's count or
 * reference point next to the window's accumulator instead of in the trigger's partitioned state.
 * The rule states exactly what the trigger does; a trigger without one runs on the generic
 * operator.
 * @internal
 */

/** A count trigger: fires every `n` elements. */
export interface CountRule {
  readonly kind: 'count';
  readonly n: number;
  /**
   * false: Flink's CountTrigger (the n-th element is added, then the window fires and the count
   * restarts at 0). true: the seed's count policy (decided before the element is added: the
   * (n+1)-th element fires the previous n and counts as the first of the next window).
   */
  readonly before: boolean;
  readonly purge: boolean;
  /** Fires the last, partial window at the end of bounded input (the seed's policies). */
  readonly fireAtEnd: boolean;
}

/** A delta trigger: fires when an element is more than `threshold` away from the reference. */
export interface DeltaRule {
  readonly kind: 'delta';
  readonly threshold: number;
  readonly delta: (oldPoint: unknown, newPoint: unknown) => number;
  /**
   * false: Flink's DeltaTrigger (the element is added first; the first element becomes the
   * reference; a firing element becomes the reference). true: the seed's delta policy (decided
   * before the element is added, from `initial` at first; the firing element becomes the
   * reference and opens the next window).
   */
  readonly before: boolean;
  /** The seed policy's initial reference point. */
  readonly initial?: { readonly value: unknown };
  readonly purge: boolean;
  readonly fireAtEnd: boolean;
}

/** The rule of a count or delta trigger. */
export type DataDrivenRule = CountRule | DeltaRule;

/** A trigger that can state its rule. */
export interface DataDrivenTrigger {
  dataDrivenRule(): DataDrivenRule | undefined;
}

/** The rule of a trigger, if it states one. */
export function dataDrivenRuleOf(trigger: unknown): DataDrivenRule | undefined {
  const t = trigger as Partial<DataDrivenTrigger> | null;
  return typeof t === 'object' && t !== null && typeof t.dataDrivenRule === 'function' ? t.dataDrivenRule() : undefined;
}
