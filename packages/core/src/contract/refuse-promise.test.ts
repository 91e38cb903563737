/**
 * A JavaScript caller (no types) who passes an async function gets a typed error at the first
 * Promise, naming the operator and pointing at mapAsync, instead of Promise objects as elements
 * and an unhandled rejection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, StreamEnvironment, type DataStream } from '../index.js';
import { TumblingEventTimeWindows } from '@weir/windows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- DataStream is invariant in its element type
type Build = (s: DataStream<number>) => DataStream<any>;
const untyped = (fn: unknown) => fn as never;

const cases: Array<[string, Build]> = [
  ['map', (s) => s.map(untyped(async (x: number) => x * 2))],
  ['filter', (s) => s.filter(untyped(async (x: number) => x > 0))],
  ['flatMap', (s) => s.flatMap(untyped(async (x: number) => [x]))],
  ['process', (s) => s.process(untyped(async (x: number, _c: unknown, out: { collect(v: number): void }) => out.collect(x)))],
  ['keyed process', (s) => s.keyBy((x) => x % 2).process(untyped({ processElement: async () => {} }))],
  ['window process', (s) => s.keyBy((x) => x % 2).window(TumblingEventTimeWindows.of(10)).process(untyped(async () => {}))],
  ['rejecting map', (s) => s.map(untyped((x: number) => Promise.reject(new Error(`no ${x}`))))],
];

describe('user functions that return a Promise', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it.each(cases)('%s: fails the job with a ConfigError naming the operator, and no unhandled rejection', async (_name, build) => {
    const env = StreamEnvironment.create();
    const out = build(env.fromElements(1, 2, 3).name('numbers')).name('the async step').collect();
    const run = env.execute();
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/Operator 'the async step'.*returned a Promise.*mapAsync/);
    expect(out.items().filter((x) => x instanceof Promise)).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});
