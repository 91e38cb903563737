/**
 * Options that cannot work are refused when the environment is created, with a ConfigError that
 * names the value and the fix; records with timestamps weir cannot do arithmetic on are dead
 * letters with the reason, not members of a zero-width window.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEAD_LETTERS, type DeadLetter, PollStatus, type Source, type SourceOutput, StreamEnvironment, WatermarkStrategy } from '../index.js';
import { TumblingEventTimeWindows } from '@weir/windows';

describe('environment options', () => {
  it.each([0, -3, 1.5, Number.NaN, 40_000])('refuses maxParallelism %s', (maxParallelism) => {
    expect(() => StreamEnvironment.create({ maxParallelism })).toThrow(ConfigError);
    expect(() => StreamEnvironment.create({ maxParallelism })).toThrow(new RegExp(`maxParallelism .*got ${maxParallelism}`));
  });

  it.each([1, 128, 32_768])('accepts maxParallelism %s', (maxParallelism) => {
    expect(() => StreamEnvironment.create({ maxParallelism })).not.toThrow();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses autoWatermarkIntervalMs %s', (autoWatermarkIntervalMs) => {
    expect(() => StreamEnvironment.create({ autoWatermarkIntervalMs })).toThrow(/autoWatermarkIntervalMs must be/);
  });
});

describe('timestamps outside the exact range of doubles', () => {
  type Ev = { k: string; ts: number };
  const events: Ev[] = [
    { k: 'a', ts: 1_000 },
    { k: 'a', ts: 1e300 },
    { k: 'a', ts: -1e17 },
    { k: 'a', ts: 2_500 },
  ];

  it('are dead letters of the timestamp assigner, and windows see only the good records', async () => {
    const env = StreamEnvironment.create();
    const stamped = env
      .fromCollection(events)
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts));
    const dead = stamped.getSideOutput(DEAD_LETTERS).collect();
    const counts = stamped
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(1_000))
      .process<string>((k, ctx, els, out) => out.collect(`${k} [${ctx.window.start},${ctx.window.end}) ${els.length}`))
      .collect();
    await env.execute();
    expect(counts.items()).toEqual(['a [1000,2000) 1', 'a [2000,3000) 1']);
    expect(dead.items().map((d: DeadLetter) => d.reason)).toEqual([
      expect.stringMatching(/returned 1e\+300, outside the range of timestamps/),
      expect.stringMatching(/returned -100000000000000000, outside the range of timestamps/),
    ]);
  });

  it('given by a source are dead letters too', async () => {
    const env = StreamEnvironment.create();
    const timestamped: Source<Ev> = {
      bounded: true,
      timestamps: 'source',
      createReader: () => {
        let i = 0;
        return {
          pollNext(out: SourceOutput<Ev>) {
            const e = events[i++]!;
            out.collect(e, e.ts);
            return i < events.length ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
          },
          isAvailable: () => Promise.resolve(),
        };
      },
    };
    const source = env.fromSource(timestamped);
    const dead = source.getSideOutput(DEAD_LETTERS).collect();
    const good = source.collect();
    await env.execute();
    expect(good.items().map((e) => e.ts)).toEqual([1_000, 2_500]);
    expect(dead.items().map((d: DeadLetter) => d.input)).toEqual([events[1], events[2]]);
    expect(dead.items()[0]!.reason).toMatch(/source gave the timestamp 1e\+300, outside the range/);
  });
});
