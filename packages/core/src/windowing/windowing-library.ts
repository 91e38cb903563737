/**
 * How core reaches the concrete windows of `@weir/windows` without depending on it: that package
 * registers itself here when imported. Core then turns the seed's policies (`Time`, `Count`,
 * `Delta`, `every`) and `countWindow` into assigner + trigger + evictor through it, and never
 * names a concrete window class.
 */
import { ConfigError } from '../errors.js';
import { isTime, type Time } from '../time/time.js';
import type { Evictor } from './evictor.js';
import { isWindowAssigner, type WindowAssigner } from './window-assigner.js';
import type { Trigger } from './trigger.js';
import type { Window } from './window.js';

/**
 * A window definition: the assigner, and optionally a trigger (default: the assigner's) and an
 * evictor.
 *
 * @example
 * ```ts
 * const countWindow: Windowing<Tick, GlobalWindow> = {
 *   assigner: GlobalWindows.create(),
 *   trigger: PurgingTrigger.of(CountTrigger.of(100)),
 * };
 * ```
 */
export interface Windowing<T, W extends Window> {
  readonly assigner: WindowAssigner<T, W>;
  readonly trigger?: Trigger<T, W>;
  readonly evictor?: Evictor<T, W>;
}

/**
 * One of the seed's window policies (`Time.of`, `Count.of`, `Delta.of`): `window(p)` uses it as
 * the window size, `window(p).every(q)` as size and slide.
 *
 * @example
 * ```ts
 * const size: WindowPolicy = Count.of(100);
 * ticks.keyBy('symbol').window(size).every(Count.of(10)).maxBy('price');
 * ```
 */
export interface WindowPolicy<W extends Window = Window> {
  readonly kind: 'window-policy';
  /** Phantom: the window type the policy produces (TimeWindow for Time, GlobalWindow otherwise). */
  readonly _window?: W;
  /** The windowing of `window(this)` alone, or of `window(this).every(slide)`. */
  toWindowing(slide?: WindowPolicyLike): Windowing<unknown, Window>;
  toString(): string;
}

/**
 * What `window(...)` and `every(...)` accept besides an assigner.
 *
 * @example
 * ```ts
 * const slide: WindowPolicyLike = Time.of(5, 'seconds');
 * ticks.window(Time.of(10, 'seconds')).every(slide).minBy('price');
 * ```
 */
export type WindowPolicyLike = WindowPolicy | Time;

/**
 * What `@weir/windows` provides to core.
 *
 * @example
 * ```ts
 * // @weir/windows registers itself when imported:
 * import '@weir/windows';
 * ticks.keyBy('symbol').countWindow(100).sum('price');
 * ```
 */
export interface WindowingLibrary {
  /** The policy of a bare duration: `window(Time.of(10, 'seconds'))`. */
  timePolicy(size: Time): WindowPolicy;
  /** Modern Flink `countWindow(size, slide?)`. */
  countWindow(size: number, slide?: number): Windowing<unknown, Window>;
}

let library: WindowingLibrary | undefined;

/**
 * Called by `@weir/windows` when it is imported.
 *
 * @example
 * ```ts
 * registerWindowingLibrary({ timePolicy, countWindow });
 * ```
 */
export function registerWindowingLibrary(lib: WindowingLibrary): void {
  library = lib;
}

/** @internal */
export function windowingLibrary(what: string): WindowingLibrary {
  if (library === undefined) {
    throw new ConfigError(`${what} needs the window library: add \`import '@weir/windows'\` (or import any name from it) to your program`);
  }
  return library;
}

/** @internal */
export function isWindowPolicy(x: unknown): x is WindowPolicy {
  return typeof x === 'object' && x !== null && (x as WindowPolicy).kind === 'window-policy' && typeof (x as WindowPolicy).toWindowing === 'function';
}

/**
 * What `window(...)` accepts.
 *
 * @example
 * ```ts
 * const spec: WindowSpec<Tick, TimeWindow> = TumblingEventTimeWindows.of(Time.seconds(10));
 * ticks.keyBy('symbol').window(spec).maxBy('price');
 * ```
 */
export type WindowSpec<T, W extends Window> = WindowAssigner<T, W> | WindowPolicy<W>;

/** @internal Resolves `window(spec)` and an optional `every(slide)`. */
export function resolveWindowing(spec: unknown, slide?: unknown): Windowing<unknown, Window> {
  if (isWindowAssigner(spec)) {
    if (slide !== undefined) {
      throw new ConfigError(`every() applies to the seed's window policies (Time.of, Count.of, Delta.of); with an assigner use e.g. SlidingEventTimeWindows.of(size, slide)`);
    }
    return { assigner: spec };
  }
  if (slide !== undefined && !isWindowPolicy(slide) && !isTime(slide)) {
    throw new ConfigError(`every() takes a window policy (Time.of, Count.of, Delta.of), got ${String(slide)}`);
  }
  if (isWindowPolicy(spec)) return spec.toWindowing(slide as WindowPolicyLike | undefined);
  if (isTime(spec)) return windowingLibrary('window(Time)').timePolicy(spec).toWindowing(slide as WindowPolicyLike | undefined);
  throw new ConfigError(`window() takes a window assigner or a policy (Time.of, Count.of, Delta.of), got ${String(spec)}`);
}
