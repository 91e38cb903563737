/**
 * @weir/testing: property-based testing for weir pipelines. Generate adversarial event streams
 * (`arbEventStream`), run a pipeline over them deterministically on a manual clock, optionally
 * with a crash and restore (`runPipeline`), and compare with an independent reference model of
 * the windows (`windowModel`). Failures print the shrunk stream and the first differing window.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbEventStream, runPipeline, windowModel } from '@weir/testing';
 * import { Time, TumblingEventTimeWindows } from '@weir/windows';
 *
 * await fc.assert(fc.asyncProperty(arbEventStream({ maxDisorderMs: 500, lateFraction: 0.05 }), async (events) => {
 *   const out = await runPipeline(events, (s) => s.groupBy('key')
 *     .window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('value'));
 *   expect(out.results).toEqual(windowModel.tumbling(events, 10_000).maxBy('value'));
 * }));
 * ```
 * @packageDocumentation
 */
export { arbEventStream, type EventStreamOptions } from './arb-event-stream.js';
export { streamInfo, type EventStreamInfo, type TestEvent, type Timestamped } from './events.js';
export {
  runPipeline,
  type PipelineContext,
  type PipelineOutputs,
  type PipelineRun,
  type RunPipelineOptions,
} from './run-pipeline.js';
export type { WatermarkStep } from './recording-sink.js';
export { windowModel, type WindowModelOptions } from './window-model.js';
export { WindowModelResult, type ModelWindow } from './model/model-result.js';
export { canonicalOrder, canonicalKey, type TimestampedValue } from './canonical-order.js';
export { expectResults, formatEvents, ResultMismatchError } from './report.js';
