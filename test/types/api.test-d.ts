/**
 * Type inference is part of the API contract (STYLE.md §10): element, key and window types flow
 * through map/keyBy/window, field selectors only accept fields of the right type.
 */
import {
  type AllWindowedStream,
  type Collector,
  type DataStream,
  type GlobalWindow,
  type KeyedStream,
  StreamEnvironment,
  type TimeWindow,
  type WindowedStream,
} from '@weir/core';
import { Count, CountTrigger, Delta, EventTimeSessionWindows, GlobalWindows, Time, TumblingEventTimeWindows } from '@weir/windows';
import { describe, expectTypeOf, it } from 'vitest';

interface Tick {
  symbol: string;
  price: number;
  ts: number;
  venue?: string;
}

const env = StreamEnvironment.create();
const ticks = env.fromElements<Tick>({ symbol: 'A', price: 1, ts: 0 });

describe('inference through the pipeline', () => {
  it('map, filter, flatMap infer the element type', () => {
    expectTypeOf(ticks).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(ticks.map((t) => ({ s: t.symbol, p: t.price }))).toEqualTypeOf<DataStream<{ s: string; p: number }>>();
    expectTypeOf(ticks.filter((t) => t.price > 0)).toEqualTypeOf<DataStream<Tick>>();
    const isPriced = (t: Tick): t is Tick & { venue: string } => t.venue !== undefined;
    expectTypeOf(ticks.filter(isPriced)).toEqualTypeOf<DataStream<Tick & { venue: string }>>();
    expectTypeOf(ticks.flatMap((t: Tick) => [t.symbol])).toEqualTypeOf<DataStream<string>>();
  });

  it('keyBy/groupBy infer the key from a field or a function', () => {
    expectTypeOf(ticks.keyBy('symbol')).toEqualTypeOf<KeyedStream<Tick, string>>();
    expectTypeOf(ticks.groupBy('price')).toEqualTypeOf<KeyedStream<Tick, number>>();
    expectTypeOf(ticks.keyBy((t) => t.price > 100)).toEqualTypeOf<KeyedStream<Tick, boolean>>();
  });

  it('window(...) carries the window type; aggregations keep the element type', () => {
    const keyed = ticks.keyBy('symbol');
    const tumbling = keyed.window(TumblingEventTimeWindows.of(Time.seconds(10)));
    expectTypeOf(tumbling).toEqualTypeOf<WindowedStream<Tick, string, TimeWindow>>();
    expectTypeOf(keyed.window(EventTimeSessionWindows.withGap(1000))).toEqualTypeOf<WindowedStream<Tick, string, TimeWindow>>();
    expectTypeOf(keyed.window(Time.of(10, 'seconds'))).toEqualTypeOf<WindowedStream<Tick, string, TimeWindow>>();
    expectTypeOf(keyed.countWindow(10, 2)).toEqualTypeOf<WindowedStream<Tick, string, GlobalWindow>>();
    expectTypeOf(keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(3))).toEqualTypeOf<WindowedStream<Tick, string, GlobalWindow>>();
    expectTypeOf(keyed.window(Count.of(3))).toEqualTypeOf<WindowedStream<Tick, string, GlobalWindow>>();
    expectTypeOf(ticks.window(Time.of(10, 'seconds'))).toEqualTypeOf<AllWindowedStream<Tick, TimeWindow>>();
    expectTypeOf(tumbling.maxBy('price')).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(tumbling.sum('price')).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(keyed.max('price')).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(ticks.window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).minBy('price').flatten()).toEqualTypeOf<DataStream<Tick>>();
  });

  it('process window functions see the key, the window and the elements', () => {
    const out = ticks
      .keyBy('symbol')
      .window(TumblingEventTimeWindows.of(1000))
      .process((key, ctx, elements, collector: Collector<number>) => {
        expectTypeOf(key).toEqualTypeOf<string>();
        expectTypeOf(ctx.window).toEqualTypeOf<TimeWindow>();
        expectTypeOf(elements).toEqualTypeOf<readonly Tick[]>();
        collector.collect(elements.length);
      });
    expectTypeOf(out).toEqualTypeOf<DataStream<number>>();
    const seed = ticks
      .groupBy('symbol')
      .window(Delta.of(0.05, (a: Tick, b: Tick) => Math.abs(b.price / a.price - 1), { symbol: '', price: 1000, ts: 0 }))
      .mapWindow((xs, collector: Collector<string>) => collector.collect(xs[0]!.symbol));
    expectTypeOf(seed).toEqualTypeOf<DataStream<string>>();
  });

  it('connect and join infer both sides', () => {
    const counts = env.fromElements({ symbol: 'A', count: 1 });
    expectTypeOf(ticks.connect(counts).coMap((t) => t.price, (c) => c.count)).toEqualTypeOf<DataStream<number>>();
    const joined = ticks
      .join(counts)
      .where('symbol')
      .equalTo('symbol')
      .window(TumblingEventTimeWindows.of(1000))
      .apply((t, c) => [t.price, c.count] as const);
    expectTypeOf(joined).toEqualTypeOf<DataStream<readonly [number, number]>>();
  });
});

describe('misuse does not compile', () => {
  it('aggregations only accept numeric fields', () => {
    const keyed = ticks.keyBy('symbol');
    // @ts-expect-error 'symbol' is a string field
    keyed.sum('symbol');
    // @ts-expect-error 'symbol' is a string field
    keyed.maxBy('symbol');
    // @ts-expect-error 'symbol' is a string field
    keyed.window(TumblingEventTimeWindows.of(1000)).sum('symbol');
    // @ts-expect-error 'venue' is an optional string
    keyed.window(TumblingEventTimeWindows.of(1000)).min('venue');
    // @ts-expect-error not a field at all
    keyed.max('volume');
  });

  it('keyBy/groupBy only accept fields of the element', () => {
    // @ts-expect-error 'missing' is not a field of Tick
    ticks.keyBy('missing');
    // @ts-expect-error 'missing' is not a field of Tick
    ticks.groupBy('missing');
  });

  it('a stream of numbers aggregates without a field; a stream of records needs one', () => {
    const numbers = env.fromElements(1, 2, 3).keyBy((n) => n % 2);
    expectTypeOf(numbers.sum()).toEqualTypeOf<DataStream<number>>();
    // @ts-expect-error records need a field
    ticks.keyBy('symbol').sum();
  });

  it('user functions that return a Promise do not compile (weir calls them synchronously)', () => {
    // @ts-expect-error map() of an async function: the Promise would be the element
    ticks.map(async (t) => t.price);
    // @ts-expect-error a function returning a Promise on some paths
    ticks.map((t) => (t.price > 0 ? Promise.resolve(t.price) : 0));
    // @ts-expect-error filter() needs a boolean, not a Promise of one
    ticks.filter(async (t) => t.price > 0);
    // @ts-expect-error flatMap() of an async function
    ticks.flatMap(async (t: Tick) => [t.symbol]);
    // @ts-expect-error process() of an async function
    ticks.process<string>(async (t, _ctx, out) => out.collect(t.symbol));
    // @ts-expect-error keyed processElement as an async method
    ticks.keyBy('symbol').process<string>({ async processElement(t, _ctx, out) { out.collect(t.symbol); } });
    // @ts-expect-error a window function that is async
    ticks.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).process<number>(async (_k, _c, els, out) => out.collect(els.length));
    // The synchronous forms keep compiling and inferring.
    expectTypeOf(ticks.map((t) => (t.price > 0 ? 'up' : 0))).toEqualTypeOf<DataStream<'up' | 0>>();
    ticks.process<string>((t, _ctx, out) => out.collect(t.symbol));
    ticks.process<string>((t, _ctx, out) => t.price > 0 && out.collect(t.symbol));
    ticks.keyBy('symbol').process<string>({ processElement(t, _ctx, out) { out.collect(t.symbol); } });
  });
});
