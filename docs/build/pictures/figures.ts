/**
 * Every picture of the guide: a file name under docs/images and how to make it from the real
 * API (a job graph from `explain()`, or a timeline from running a job). `pnpm docs` writes them;
 * test/docs/figures.test.ts checks that the committed files are what these functions give today.
 */
import { type DataStream, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import {
  Count,
  CountTrigger,
  Delta,
  DeltaTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  PurgingTrigger,
  SlidingEventTimeWindows,
  Time,
  TumblingEventTimeWindows,
} from '@weir/windows';
import { buildStockPipeline } from '../../../examples/stock/src/pipeline.js';
import type { StockPrice } from '../../../examples/stock/src/domain.js';
import { architectureSvg } from './architecture-figure.js';
import { graphSvg } from './graph-svg.js';
import { type Ev, runWindows, type WindowBuilder } from './run-windows.js';
import { timelineSvg } from './timeline-svg.js';
import { watermarkFigure } from './watermark-figure.js';

/** A picture of the guide. */
export interface Figure {
  /** File name under docs/images. */
  readonly file: string;
  readonly make: () => Promise<string>;
}

/** The elements of the time-window pictures: one key, a to l, 0.3 s to 14.6 s. */
export const TIMELINE_EVENTS: readonly Ev[] = [
  [300, 10], [1100, 10.4], [1900, 11.1], [3500, 12.6], [4200, 12.9], [5600, 13.2],
  [6100, 11.0], [8800, 10.8], [9400, 10.5], [12300, 12.9], [13000, 13.1], [14600, 13.4],
].map(([ts, value], i) => ({ label: String.fromCharCode(97 + i), ts: ts!, value: value! }));

/** The same elements labelled by their value (price), for the delta pictures. */
const PRICED_EVENTS: readonly Ev[] = TIMELINE_EVENTS.map((e) => ({ ...e, label: String(e.value) }));

const absDiff = (a: Ev, b: Ev) => Math.abs(a.value - b.value);
const AXIS = { from: 0, to: 15_000, tickMs: 1000 };

function windowFigure(file: string, title: string, build: WindowBuilder, events: readonly Ev[] = TIMELINE_EVENTS): Figure {
  return { file, make: async () => timelineSvg(title, events, await runWindows(events, build), AXIS) };
}

export const FIGURES: readonly Figure[] = [
  windowFigure('window-tumbling.svg', 'TumblingEventTimeWindows.of(Time.seconds(5))', (k) => k.window(TumblingEventTimeWindows.of(Time.seconds(5)))),
  windowFigure('window-sliding.svg', 'SlidingEventTimeWindows.of(Time.seconds(4), Time.seconds(2))', (k) =>
    k.window(SlidingEventTimeWindows.of(Time.seconds(4), Time.seconds(2)))),
  windowFigure('window-session.svg', 'EventTimeSessionWindows.withGap(Time.milliseconds(1500))', (k) =>
    k.window(EventTimeSessionWindows.withGap(Time.milliseconds(1500)))),
  windowFigure('window-count.svg', 'countWindow(5)', (k) => k.countWindow(5)),
  windowFigure('window-count-sliding.svg', 'countWindow(4, 2)', (k) => k.countWindow(4, 2)),
  windowFigure('window-seed-count.svg', 'window(Count.of(5)) (the seed)', (k) => k.window(Count.of(5))),
  windowFigure('window-seed-delta.svg', 'window(Delta.of(2, |a-b|, 10)) (the seed)', (k) => k.window(Delta.of(2, absDiff, PRICED_EVENTS[0]!)), PRICED_EVENTS),
  windowFigure('window-delta-trigger.svg', 'window(GlobalWindows.create()).trigger(PurgingTrigger.of(DeltaTrigger.of(2, |a-b|)))', (k) =>
    k.window(GlobalWindows.create()).trigger(PurgingTrigger.of(DeltaTrigger.of(2, absDiff))), PRICED_EVENTS),
  windowFigure('window-global-count-trigger.svg', 'window(GlobalWindows.create()).trigger(CountTrigger.of(4))', (k) =>
    k.window(GlobalWindows.create()).trigger(CountTrigger.of(4))),
  { file: 'watermarks.svg', make: () => watermarkFigure(0) },
  { file: 'lateness.svg', make: () => watermarkFigure(1500) },
  {
    // The pipeline of getting-started.md ("A first pipeline"), built the same way.
    file: 'graph-first-pipeline.svg',
    make: async () => {
      interface Tick { symbol: string; price: number; ts: number }
      const env = StreamEnvironment.create({ perElementWatermarks: true });
      env
        .fromElements<Tick>({ symbol: 'SPX', price: 1010, ts: 1_000 })
        .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Tick>().withTimestampAssigner((t) => t.ts))
        .keyBy('symbol')
        .window(TumblingEventTimeWindows.of(Time.seconds(10)))
        .maxBy('price')
        .print();
      return graphSvg(env.explain(), 'The first pipeline: env.explain()');
    },
  },
  {
    file: 'graph-stock.svg',
    make: async () => {
      const env = StreamEnvironment.create({ perElementWatermarks: true });
      const prices = env.fromElements<StockPrice>({ symbol: 'SPX', price: 1000 }).name('prices');
      const tweets = env.fromElements('SPX DJI BUX').name('tweets');
      const s = buildStockPipeline(prices, tweets, 'event');
      for (const [name, stream] of Object.entries(s)) (stream as DataStream<unknown>).print(name);
      return graphSvg(env.explain(), 'The stock example: env.explain()');
    },
  },
  { file: 'architecture-layers.svg', make: async () => architectureSvg() },
];
