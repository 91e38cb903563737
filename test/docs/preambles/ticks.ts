// Preamble `ticks` (docs/README.md, "About the code samples"): `env`, the type `Tick`, and a
// DataStream<Tick> named `ticks` with event time from `tick.ts` (bounded out-of-orderness 1 s).
import { StreamEnvironment, WatermarkStrategy } from '@weir/core';
interface Tick { symbol: string; price: number; ts: number }
const env = StreamEnvironment.create();
const ticks = env
  .fromElements<Tick>(
    { symbol: 'SPX', price: 1010, ts: 1_000 }, { symbol: 'DAX', price: 980, ts: 2_000 },
    { symbol: 'SPX', price: 1030, ts: 7_000 }, { symbol: 'SPX', price: 1020, ts: 12_000 })
  .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Tick>(1000).withTimestampAssigner((t) => t.ts));
