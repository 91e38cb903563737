/**
 * Runs a real weir job over a fixed list of elements and reports every window firing with its
 * bounds and contents, for the timeline pictures. One key, event time from the elements'
 * timestamps, monotonous watermarks (the inputs are in order).
 */
import { type KeyedStream, StreamEnvironment, TimeWindow, type Window, WatermarkStrategy, type WindowedStream } from '@weir/core';
import type { TimelineElement, TimelineWindow } from './timeline-svg.js';

/** An input element of a picture: a label, a timestamp and (for delta windows) a value. */
export interface Ev extends TimelineElement {
  readonly value: number;
}

/** Builds the windowed stream to draw from the keyed input. */
export type WindowBuilder = (keyed: KeyedStream<Ev, string>) => WindowedStream<Ev, string, Window>;

/** The windows the job fired, in emission order. */
export async function runWindows(events: readonly Ev[], build: WindowBuilder): Promise<TimelineWindow[]> {
  const env = StreamEnvironment.create({ perElementWatermarks: true });
  const keyed = env
    .fromCollection(events)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts))
    .keyBy(() => 'k');
  const fired = build(keyed)
    .process<TimelineWindow>((_key, ctx, elements, out) => {
      const w = ctx.window;
      out.collect(
        w instanceof TimeWindow
          ? { start: w.start, end: w.end, elements: [...elements] }
          : { elements: [...elements] },
      );
    })
    .collect();
  await env.execute('docs picture');
  return fired.items().map((w) => ({ ...w, note: w.elements.map((e) => e.label).join(' ') }));
}
