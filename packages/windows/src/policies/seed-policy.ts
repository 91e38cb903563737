/**
 * The shape shared by the seed's window policies (`Time`, `Count`, `Delta`): how each acts as the
 * window size (an evictor over a global window) and as the slide (a trigger), and the composition
 * `window(size).every(slide)` = global window + size's evictor + slide's trigger, except
 * Time/Time, which is a sliding event-time window.
 * @internal
 */
import { type Evictor, isTime, type Trigger, type Window, type Windowing, type WindowPolicy, type WindowPolicyLike } from '@weir/core';
import { GlobalWindows } from '../assigners/global-windows.js';

export abstract class SeedPolicy<W extends Window = Window> implements WindowPolicy<W> {
  declare readonly _window?: W;
  readonly kind = 'window-policy' as const;
  /** The windowing of `window(this)` alone. */
  protected abstract alone(): Windowing<unknown, Window>;
  /** This policy as the window size of a sliding policy window. */
  abstract asEvictor(): Evictor<unknown, Window>;
  /** This policy as the slide of a policy window. */
  abstract asSlideTrigger(): Trigger<unknown, Window>;
  abstract toString(): string;

  toWindowing(slide?: WindowPolicyLike): Windowing<unknown, Window> {
    if (slide === undefined) return this.alone();
    const s = toSeedPolicy(slide);
    const special = this.combineWith(s);
    if (special) return special;
    return { assigner: GlobalWindows.create(), evictor: this.asEvictor(), trigger: s.asSlideTrigger() };
  }

  /** Hook for a better composition with a given slide (Time/Time). */
  protected combineWith(_slide: SeedPolicy): Windowing<unknown, Window> | undefined {
    return undefined;
  }
}

let timePolicyOf: ((t: import('@weir/core').Time) => SeedPolicy) | undefined;

/** @internal Set by time-policy.ts to break the import cycle. */
export function setTimePolicyFactory(f: (t: import('@weir/core').Time) => SeedPolicy): void {
  timePolicyOf = f;
}

/** @internal */
export function toSeedPolicy(p: WindowPolicyLike): SeedPolicy {
  if (p instanceof SeedPolicy) return p;
  if (isTime(p) && timePolicyOf) return timePolicyOf(p);
  throw new TypeError(`Not a window policy: ${String(p)}`);
}
