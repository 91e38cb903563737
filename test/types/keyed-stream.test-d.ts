/**
 * A KeyedStream is a DataStream (Flink's hierarchy): DataStream operations on it are typed, the
 * ones it redefines have the keyed types, and it is accepted wherever a stream argument is.
 */
import {
  type AllWindowedStream,
  type ConnectedStreams,
  type DataStream,
  type KeyedBroadcastConnectedStream,
  type KeyedStream,
  MapStateDescriptor,
  StreamEnvironment,
  type TimeWindow,
  TumblingEventTimeWindows,
  type WindowedStream,
} from '@weir/core';
import { describe, expectTypeOf, it } from 'vitest';

interface Tick {
  symbol: string;
  price: number;
}
const env = StreamEnvironment.create();
const ticks: DataStream<Tick> = env.fromElements<Tick>({ symbol: 'A', price: 1 });
const keyed = ticks.keyBy('symbol');

describe('KeyedStream as a DataStream', () => {
  it('inherits the DataStream operations, typed', () => {
    expectTypeOf(keyed.map((t) => t.price)).toEqualTypeOf<DataStream<number>>();
    expectTypeOf(keyed.filter((t) => t.price > 0)).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(keyed.flatMap((t: Tick) => [t.symbol])).toEqualTypeOf<DataStream<string>>();
    expectTypeOf(keyed.mapAsync(async (t) => t.price)).toEqualTypeOf<DataStream<number>>();
    expectTypeOf(keyed.windowAll(TumblingEventTimeWindows.of(1000))).toEqualTypeOf<AllWindowedStream<Tick, TimeWindow>>();
    expectTypeOf(keyed.keyBy('price')).toEqualTypeOf<KeyedStream<Tick, number>>();
  });

  it('keeps the keyed meaning of window, process and connect', () => {
    expectTypeOf(keyed.window(TumblingEventTimeWindows.of(1000))).toEqualTypeOf<WindowedStream<Tick, string, TimeWindow>>();
    expectTypeOf(keyed.process<string>((t, ctx, out) => out.collect(ctx.getCurrentKey()))).toEqualTypeOf<DataStream<string>>();
    expectTypeOf(keyed.connect(ticks.broadcast(new MapStateDescriptor<string, number>('s')))).toEqualTypeOf<KeyedBroadcastConnectedStream<Tick, string, Tick>>();
    expectTypeOf(keyed.connect(ticks.keyBy('symbol'))).toEqualTypeOf<ConnectedStreams<Tick, Tick>>();
  });

  it('is accepted as a stream argument', () => {
    expectTypeOf(ticks.union(keyed)).toEqualTypeOf<DataStream<Tick>>();
    expectTypeOf(ticks.connect(keyed)).toEqualTypeOf<ConnectedStreams<Tick, Tick>>();
  });

  it('has no operator of its own to name or to read side outputs from', () => {
    // @ts-expect-error a keyed stream has no operator to name
    keyed.name('x');
    // @ts-expect-error nor one to give a uid
    keyed.uid('x');
  });
});
