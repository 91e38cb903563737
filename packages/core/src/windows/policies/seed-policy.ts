/**
 * The shape shared by the seed's window policies (`Time`, `Count`, `Delta`): how each acts as the
 * window size (an evictor over a global window) and as the slide (a trigger), and the composition
 * `window(size).every(slide)` = global window + size's evictor + slide's trigger, except
 * Time/Time, which is a sliding event-time window.
 * @internal
 */
import { type Evictor } from '../../contract/evictor.js';
import { type Trigger } from '../../contract/trigger.js';
import { type Window } from '../../contract/window.js';
import type { Windowing, WindowPolicy } from '../../contract/window-definition.js';
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

  toWindowing(slide?: WindowPolicy): Windowing<unknown, Window> {
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

/**
 * @internal A seed policy by shape, not by class: a policy made by another copy of weir (its
 * ESM and CJS builds loaded together) is one too.
 */
export function isSeedPolicy(p: unknown): p is SeedPolicy {
  const x = p as Partial<SeedPolicy> | null;
  return typeof x === 'object' && x !== null && x.kind === 'window-policy' && typeof x.asEvictor === 'function' && typeof x.asSlideTrigger === 'function';
}

/** @internal */
export function toSeedPolicy(p: WindowPolicy): SeedPolicy {
  if (isSeedPolicy(p)) return p;
  throw new TypeError(`Not one of the seed's window policies (Time.of, Count.of, Delta.of): ${String(p)}`);
}
