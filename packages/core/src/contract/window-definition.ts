/**
 * What a window definition is: an assigner with an optional trigger and evictor ({@link Windowing}),
 * or one of the seed's policies ({@link WindowPolicy}: `Time.of`, `Count.of`, `Delta.of`) that
 * turns into one. The API resolves `window(...)` / `every(...)` / `countWindow(...)` into a
 * Windowing (api/resolve-windowing.ts); nothing here is registered at import time.
 */
import type { Time } from '../time/time.js';
import type { Evictor } from './evictor.js';
import type { WindowAssigner } from './window-assigner.js';
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
  toWindowing(slide?: WindowPolicy): Windowing<unknown, Window>;
  toString(): string;
}

/** @internal What `window(...)` and `every(...)` accept besides an assigner. */
export type WindowPolicyLike = WindowPolicy | Time;

/** @internal */
export function isWindowPolicy(x: unknown): x is WindowPolicy {
  return typeof x === 'object' && x !== null && (x as WindowPolicy).kind === 'window-policy' && typeof (x as WindowPolicy).toWindowing === 'function';
}

/** @internal What `window(...)` accepts. */
export type WindowSpec<T, W extends Window> = WindowAssigner<T, W> | WindowPolicy<W>;
