/**
 * Global windows (Flink's `GlobalWindows`): every element of a key in one window that never
 * ends. `create()`'s default trigger never fires (give a trigger); `createWithEndOfStreamTrigger()`
 * fires once, at the end of input. Nothing is ever late in a global window.
 */
import { GlobalWindow } from '../../contract/window.js';
import { type Trigger } from '../../contract/trigger.js';
import { type WindowAssigner } from '../../contract/window-assigner.js';
import { EndOfStreamTrigger, NeverTrigger } from '../triggers/never-trigger.js';

const ONLY: readonly GlobalWindow[] = [GlobalWindow.INSTANCE];

/**
 * @example
 * ```ts
 * keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(100));
 * ```
 */
export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  /** Every element goes to the one global window (lets the translator pick count and delta windows' operator). */
  readonly globalWindow = true;
  private constructor(private readonly endOfStream: boolean) {}
  static create(): GlobalWindows {
    return new GlobalWindows(false);
  }
  static createWithEndOfStreamTrigger(): GlobalWindows {
    return new GlobalWindows(true);
  }
  assignWindows(): readonly GlobalWindow[] {
    return ONLY;
  }
  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return this.endOfStream ? new EndOfStreamTrigger() : new NeverTrigger();
  }
  isEventTime(): boolean {
    return false;
  }
  toString(): string {
    return 'GlobalWindows()';
  }
}
