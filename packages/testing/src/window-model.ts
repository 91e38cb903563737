/**
 * `windowModel`: independent reference computations of keyed window results, to compare a weir
 * pipeline against. Each model walks the events in arrival order with the same default
 * watermarks as `runPipeline` (bounded out-of-orderness with the stream's `maxDisorderMs`, after
 * every event), groups events into windows by the window formula, leaves out what is late, and
 * evaluates windows when the watermark reaches their end - 1 (count windows: on their n-th
 * element). See model/*.ts for each model's rules with a worked example.
 */
import { disorderBound, type Timestamped } from './events.js';
import { simulateCountWindows } from './model/count-windows.js';
import type { WatermarkSettings } from './model/firing.js';
import { WindowModelResult } from './model/model-result.js';
import { simulateSessionWindows } from './model/session-windows.js';
import { simulateTimeWindows } from './model/time-windows.js';

/**
 * Options of the time-window models.
 *
 * @example
 * ```ts
 * windowModel.tumbling(events, 10_000, { offsetMs: 2000, allowedLatenessMs: 500 });
 * ```
 */
export interface WindowModelOptions<E> {
  /** Disorder bound of the watermarks (default: the stream's, else 0). */
  readonly maxDisorderMs?: number;
  /** The window offset (tumbling and sliding), as in `TumblingEventTimeWindows.of(size, offset)`. */
  readonly offsetMs?: number;
  /** As `allowedLateness(ms)` on the window (default 0). */
  readonly allowedLatenessMs?: number;
  /** The key of an event (default `e.key`). */
  readonly key?: (e: E) => unknown;
}

const defaultKey = (e: unknown) => (e as { key?: unknown }).key;

function settings<E extends Timestamped>(events: readonly E[], o: WindowModelOptions<E>): WatermarkSettings<E> {
  const lateness = o.allowedLatenessMs ?? 0;
  if (!(lateness >= 0)) throw new RangeError(`windowModel: allowedLatenessMs must be >= 0 (got ${lateness})`);
  return { bound: disorderBound(events, o.maxDisorderMs), lateness, keyOf: o.key ?? defaultKey, timestampOf: (e) => e.timestamp };
}

function positive(name: string, n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`windowModel: ${name} must be a finite number > 0 (got ${n})`);
  return n;
}

/**
 * Reference models of keyed windows.
 *
 * @example
 * ```ts
 * const out = await runPipeline(events, (s) => s.groupBy('key')
 *   .window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('value'));
 * expect(out.results).toEqual(windowModel.tumbling(events, 10_000).maxBy('value'));
 * ```
 */
export const windowModel = {
  /** `TumblingEventTimeWindows.of(sizeMs, offsetMs)`. @example `windowModel.tumbling(events, 1000).sum('value')` */
  tumbling<E extends Timestamped>(events: readonly E[], sizeMs: number, options: WindowModelOptions<E> = {}): WindowModelResult<E> {
    const size = positive('sizeMs', sizeMs);
    return new WindowModelResult(simulateTimeWindows(events, size, size, options.offsetMs ?? 0, settings(events, options)));
  },
  /** `SlidingEventTimeWindows.of(sizeMs, slideMs, offsetMs)`. @example `windowModel.sliding(events, 1000, 500).max('value')` */
  sliding<E extends Timestamped>(events: readonly E[], sizeMs: number, slideMs: number, options: WindowModelOptions<E> = {}): WindowModelResult<E> {
    return new WindowModelResult(
      simulateTimeWindows(events, positive('sizeMs', sizeMs), positive('slideMs', slideMs), options.offsetMs ?? 0, settings(events, options)),
    );
  },
  /** `EventTimeSessionWindows.withGap(gapMs)`. @example `windowModel.session(events, 3000).count()` */
  session<E extends Timestamped>(events: readonly E[], gapMs: number, options: WindowModelOptions<E> = {}): WindowModelResult<E> {
    return new WindowModelResult(simulateSessionWindows(events, positive('gapMs', gapMs), settings(events, options)));
  },
  /**
   * `countWindow(size)` / `countWindow(size, slide)` (modern Flink semantics).
   *
   * @example
   * ```ts
   * windowModel.count(events, 3).sum('value');      // tumbling: every 3rd element, then purge
   * windowModel.count(events, 3, 1).sum('value');   // the last 3 elements, at every element
   * ```
   */
  count<E extends Timestamped>(events: readonly E[], size: number, slide?: number, options: Pick<WindowModelOptions<E>, 'key'> = {}): WindowModelResult<E> {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`windowModel.count: size must be a positive integer (got ${size})`);
    if (slide !== undefined && (!Number.isInteger(slide) || slide < 1)) throw new RangeError(`windowModel.count: slide must be a positive integer (got ${slide})`);
    return new WindowModelResult(simulateCountWindows(events, size, slide, options.key ?? defaultKey, (e) => e.timestamp));
  },
};
