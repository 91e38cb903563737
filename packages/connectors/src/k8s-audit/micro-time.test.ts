import { describe, expect, it } from 'vitest';
import { parseMicroTime } from './micro-time.js';

describe('parseMicroTime', () => {
  it('keeps the microseconds Date drops', () => {
    // Date.UTC gives the ms part independently of the parser under test
    const ms = Date.UTC(2024, 2, 5, 10, 15, 30, 123);
    expect(parseMicroTime('2024-03-05T10:15:30.123456Z')).toEqual({ ms, micros: ms * 1000 + 456 });
    expect(parseMicroTime('2024-03-05T10:15:30Z')).toEqual({ ms: ms - 123, micros: (ms - 123) * 1000 });
    expect(parseMicroTime('2024-03-05T10:15:30.1Z')).toEqual({ ms: ms - 23, micros: (ms - 23) * 1000 });
    expect(parseMicroTime('2024-03-05T10:15:30.123456789Z')!.micros).toBe(ms * 1000 + 456);
  });

  it('applies offsets', () => {
    expect(parseMicroTime('2024-03-05T12:15:30.000001+02:00')!.micros).toBe(Date.UTC(2024, 2, 5, 10, 15, 30) * 1000 + 1);
  });

  it('orders events within one millisecond', () => {
    const a = parseMicroTime('2024-03-05T10:15:30.123100Z')!;
    const b = parseMicroTime('2024-03-05T10:15:30.123900Z')!;
    expect(a.ms).toBe(b.ms);
    expect(a.micros).toBeLessThan(b.micros);
  });

  it('rejects what is not a MicroTime', () => {
    for (const bad of ['', 'yesterday', '2024-03-05', '2024-03-05 10:15:30Z', '2024-13-05T10:15:30Z', '2024-03-05T10:15:30.123456']) {
      expect(parseMicroTime(bad), bad).toBeUndefined();
    }
  });
});
