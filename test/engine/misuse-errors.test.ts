/**
 * Misuse that TypeScript rejects at compile time must still fail clearly for JavaScript callers:
 * a typed error naming the operator and the fix, never string concatenation or NaN. And invalid
 * configurations fail when the pipeline is built.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, StreamEnvironment, UserFunctionError } from '@weir/core';
import { Count, CountTrigger, DeltaTrigger, EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';

type Row = { name: string; v: number };
const rows: Row[] = [{ name: 'a', v: 1 }, { name: 'b', v: 2 }];

describe('misuse', () => {
  it.each([
    ['window sum', (env: StreamEnvironment) => env.fromCollection(rows).keyBy('v').window(TumblingEventTimeWindows.of(1000)).sum('name' as never)],
    ['sliding sum', (env: StreamEnvironment) => env.fromCollection(rows).windowAll(SlidingEventTimeWindows.of(1000, 500)).sum('name' as never)],
    ['rolling sum', (env: StreamEnvironment) => env.fromCollection(rows).keyBy(() => 1).sum('name' as never)],
  ])('%s of a string field fails with a UserFunctionError naming the field', async (_name, build) => {
    const env = StreamEnvironment.create();
    build(env).collect();
    const run = env.execute();
    await expect(run).rejects.toBeInstanceOf(UserFunctionError);
    await expect(run).rejects.toThrow(/field 'name' is a string/);
  });

  it('refuses invalid configurations when the pipeline is built', () => {
    const env = StreamEnvironment.create();
    const s = env.fromCollection(rows);
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(ConfigError);
    expect(() => SlidingEventTimeWindows.of(1000, 0)).toThrow(ConfigError);
    expect(() => Count.of(0)).toThrow(ConfigError);
    expect(() => CountTrigger.of(0)).toThrow(ConfigError);
    expect(() => s.keyBy('v').window(TumblingEventTimeWindows.of(1000)).allowedLateness(-1)).toThrow(ConfigError);
    expect(() => s.keyBy('v').window(EventTimeSessionWindows.withGap(0))).toThrow(ConfigError);
    expect(() =>
      s.keyBy('v').window(EventTimeSessionWindows.withGap(100)).trigger(DeltaTrigger.of(1, (a: Row, b: Row) => b.v - a.v)).sum('v'),
    ).toThrow(/merging assigner EventTimeSessionWindows\(100\) needs a trigger that can merge/);
  });
});
