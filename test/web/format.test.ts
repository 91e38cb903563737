/** The dashboard's number, duration and time formatting. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp, shorten } from '../../packages/web/dashboard/src/format.js';

describe('dashboard formatting', () => {
  it('counts and rates', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.25)).toBe('0.25');
    expect(formatRate(42.4)).toBe('42');
    expect(formatRate(1534.2)).toBe('1.53k');
    expect(formatRate(2_500_000)).toBe('2.5M');
    expect(formatRate(3e9)).toBe('3G');
  });

  it('durations', () => {
    expect(formatDuration(40)).toBe('40 ms');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
    expect(formatDuration(-2000)).toBe('−2 s');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MiB');
  });

  it('timestamps: the time of day, with the date when it is another day', () => {
    const now = new Date(2026, 2, 4, 15, 0, 0).getTime();
    expect(formatTimestamp(new Date(2026, 2, 4, 14, 3, 7, 250).getTime(), now)).toBe('14:03:07.250');
    expect(formatTimestamp(new Date(2015, 1, 9, 9, 0, 5, 0).getTime(), now)).toBe('2015-02-09 09:00:05.000');
    expect(formatTimestamp(null, now)).toBe('—');
  });

  it('shortens long names in the middle', () => {
    const name = 'Window(SlidingEventTimeWindows(10000, 5000), EventTimeTrigger(), minBy(price))';
    const short = shorten(name, 40);
    expect(short).toHaveLength(40);
    expect(short).toBe('Window(SlidingEventTimeWin…minBy(price))');
    expect(shorten('Map', 40)).toBe('Map');
  });
});
