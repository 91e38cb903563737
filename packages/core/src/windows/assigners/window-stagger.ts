/**
 * How tumbling processing-time windows are staggered (Flink's `WindowStagger`): the offset added
 * to the windows' alignment, fixed when the window operator sees its first element. Staggering
 * spreads the firing of many windows over time instead of firing all at the same instant.
 */
import { TimeWindow } from '../../contract/window.js';

/**
 * A stagger policy: the offset of the windows, from the processing time of the first element and
 * the window size.
 *
 * @example
 * ```ts
 * WindowStagger.NATURAL.getStaggerOffset(5500, 5000); // 500
 * ```
 */
export interface WindowStagger {
  readonly name: 'ALIGNED' | 'RANDOM' | 'NATURAL';
  getStaggerOffset(currentProcessingTime: number, size: number): number;
}

/**
 * The stagger policies: `ALIGNED` (no stagger: every window fires at the same time everywhere,
 * the default), `RANDOM` (an offset drawn uniformly from [0, size)), `NATURAL` (the offset of the
 * first element within its aligned window, so windows start when the first element arrived).
 *
 * @example
 * ```ts
 * keyed.window(TumblingProcessingTimeWindows.of(Time.minutes(1), 0, WindowStagger.RANDOM));
 * ```
 */
export const WindowStagger: { readonly ALIGNED: WindowStagger; readonly RANDOM: WindowStagger; readonly NATURAL: WindowStagger } = {
  ALIGNED: { name: 'ALIGNED', getStaggerOffset: () => 0 },
  RANDOM: { name: 'RANDOM', getStaggerOffset: (_now, size) => Math.floor(Math.random() * size) },
  NATURAL: {
    name: 'NATURAL',
    getStaggerOffset: (now, size) => Math.max(0, now - TimeWindow.getWindowStartWithOffset(now, 0, size)),
  },
};
