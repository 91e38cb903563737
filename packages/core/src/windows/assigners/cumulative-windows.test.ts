/**
 * Cumulative windows: Flink's CumulativeWindowAssignerTest cases (assignment, offset, invalid
 * parameters, properties) with their expected values.
 */
import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../../contract/window.js';
import { ConfigError } from '../../errors.js';
import { CumulativeEventTimeWindows } from './cumulative-event-time-windows.js';
import { CumulativeProcessingTimeWindows } from './cumulative-processing-time-windows.js';

const w = (start: number, end: number) => new TimeWindow(start, end);
const windowsOf = (a: CumulativeEventTimeWindows, ts: number) => a.assignWindows(null, ts).map((x) => [x.start, x.end]);

describe('CumulativeEventTimeWindows (Flink CumulativeWindowAssignerTest)', () => {
  it('testWindowAssignment', () => {
    const a = CumulativeEventTimeWindows.of(5000, 1000);
    expect(windowsOf(a, 0)).toEqual([w(0, 1000), w(0, 2000), w(0, 3000), w(0, 4000), w(0, 5000)].map((x) => [x.start, x.end]));
    expect(windowsOf(a, 4999)).toEqual([[0, 5000]]);
    expect(windowsOf(a, 5000)).toEqual([
      [5000, 6000],
      [5000, 7000],
      [5000, 8000],
      [5000, 9000],
      [5000, 10000],
    ]);
    // Within a step the windows are the same; the next step drops the first.
    expect(windowsOf(a, 1999)).toEqual([
      [0, 2000],
      [0, 3000],
      [0, 4000],
      [0, 5000],
    ]);
    expect(windowsOf(a, 2000)).toEqual([
      [0, 3000],
      [0, 4000],
      [0, 5000],
    ]);
  });

  it('testWindowAssignmentWithOffset', () => {
    const a = CumulativeEventTimeWindows.of(5000, 1000, 100);
    expect(windowsOf(a, 100)).toEqual([
      [100, 1100],
      [100, 2100],
      [100, 3100],
      [100, 4100],
      [100, 5100],
    ]);
    expect(windowsOf(a, 5099)).toEqual([[100, 5100]]);
    expect(windowsOf(a, 5100)).toEqual([
      [5100, 6100],
      [5100, 7100],
      [5100, 8100],
      [5100, 9100],
      [5100, 10100],
    ]);
  });

  it('negative timestamps: floor alignment, as every Flink window formula', () => {
    const a = CumulativeEventTimeWindows.of(5000, 1000);
    expect(windowsOf(a, -1)).toEqual([[-5000, 0]]);
    expect(windowsOf(a, -5000)).toEqual([
      [-5000, -4000],
      [-5000, -3000],
      [-5000, -2000],
      [-5000, -1000],
      [-5000, 0],
    ]);
  });

  it('testInvalidParameters: size and step > 0, size an integral multiple of step (ConfigError)', () => {
    expect(() => CumulativeEventTimeWindows.of(-2000, 1000)).toThrow(ConfigError);
    expect(() => CumulativeEventTimeWindows.of(-2000, 1000)).toThrow(/step > 0 and size > 0/);
    expect(() => CumulativeEventTimeWindows.of(2000, -1000)).toThrow(/step > 0 and size > 0/);
    expect(() => CumulativeEventTimeWindows.of(5_000_000, 2_000_000)).toThrow(/size must be an integral multiple of step/);
    expect(() => CumulativeProcessingTimeWindows.of(5000, 2000)).toThrow(/size must be an integral multiple of step/);
  });

  it('testProperties', () => {
    expect(CumulativeEventTimeWindows.of(5000, 1000).isEventTime()).toBe(true);
    expect(CumulativeProcessingTimeWindows.of(5000, 1000).isEventTime()).toBe(false);
    expect(String(CumulativeEventTimeWindows.of(5000, 1000).getDefaultTrigger())).toMatch(/EventTimeTrigger/);
  });

  it('processing time: the windows of the clock, not of the element', () => {
    const a = CumulativeProcessingTimeWindows.of(5000, 1000);
    const ctx = { currentProcessingTime: () => 3500 };
    expect(a.assignWindows(null, 0, ctx as never).map((x) => [x.start, x.end])).toEqual([
      [0, 4000],
      [0, 5000],
    ]);
  });
});
