/**
 * `runPipeline`: runs a user's pipeline over a generated event stream, deterministically, and
 * returns everything it produced.
 *
 * - The events are replayed in array order on a {@link ManualClock} (processing time of event i
 *   is `i` ms unless `processingTime` says otherwise), so nothing sleeps and nothing races.
 * - Event time is each event's `timestamp`. The default watermarks are bounded out-of-orderness
 *   with the stream's `maxDisorderMs` (see {@link arbEventStream}), issued after every event
 *   (the environment's `perElementWatermarks: true`; weir's default is periodic): before event i
 *   the watermark is `max(timestamps before i) - B - 1`.
 *   `windowModel` assumes exactly this, so the two agree on which events are late.
 * - `late` holds what the pipeline sends to `ctx.lateTag` (pass it to `sideOutputLateData`);
 *   `deadLetters` what the timestamping step rejects (non-finite timestamps); `watermarks` the
 *   watermark trace of the events' stream.
 * - `crash: { afterEvents }` checkpoints into a temporary directory, stops the job with a
 *   simulated crash before event `afterEvents`, then starts a fresh environment from the same
 *   `build` with `restore: 'latest'`: the returned output is what both runs committed, which for
 *   an exactly-once pipeline equals the output of a run without the crash.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEAD_LETTERS,
  type DataStream,
  type DeadLetter,
  ManualClock,
  OutputTag,
  StreamEnvironment,
  type StreamEnvironmentOptions,
  WatermarkStrategy,
} from '@weir/core';
import { canonicalOrder, type TimestampedValue } from './canonical-order.js';
import { disorderBound, type Timestamped } from './events.js';
import { RecordingSink, RecordStore, type WatermarkStep, WatermarkRecorder } from './recording-sink.js';
import { type ReplayPlan, type ReplayState, replaySource, SimulatedCrash } from './replay-source.js';

/**
 * What `build` gets besides the stream.
 *
 * @example
 * ```ts
 * (s, ctx) => s.keyBy('key').window(TumblingEventTimeWindows.of(1000)).sideOutputLateData(ctx.lateTag).sum('value')
 * ```
 */
export interface PipelineContext<E> {
  /** Route late data here (`sideOutputLateData(ctx.lateTag)`) to get it in `late`. */
  readonly lateTag: OutputTag<E>;
  /** The processing-time clock of the run. */
  readonly clock: ManualClock;
  readonly env: StreamEnvironment;
}

/**
 * The streams a pipeline hands back: its results, and optionally its own late or dead-letter
 * streams (when they do not come from the last operator).
 *
 * @example
 * ```ts
 * (s, ctx) => {
 *   const w = s.keyBy('key').window(TumblingEventTimeWindows.of(1000)).sideOutputLateData(ctx.lateTag).sum('value');
 *   return { results: w.map((e) => e.value), late: w.getSideOutput(ctx.lateTag) };
 * }
 * ```
 */
export interface PipelineOutputs<R, E> {
  readonly results: DataStream<R>;
  readonly late?: DataStream<E>;
  readonly deadLetters?: DataStream<DeadLetter>;
}

/**
 * Options of {@link runPipeline}.
 *
 * @example
 * ```ts
 * await runPipeline(events, build, { crash: { afterEvents: 7 } });
 * ```
 */
export interface RunPipelineOptions<E> {
  /** Disorder bound of the default watermarks (default: the stream's, see `streamInfo`, else 0). */
  readonly maxDisorderMs?: number;
  /** Replaces the default watermark strategy (the models then may not apply). */
  readonly watermarks?: WatermarkStrategy<E>;
  /** Processing time (ms) at which event `index` arrives; never goes back (default: `index`). */
  readonly processingTime?: (event: E, index: number) => number;
  /** Crash before event `afterEvents` and restore from the latest checkpoint. */
  readonly crash?: {
    readonly afterEvents: number;
    /** Checkpoint whenever this much processing time passed (default 1: after every event). */
    readonly checkpointIntervalMs?: number;
  };
  /** `'canonical'` (default): simultaneous equal-timestamp results sorted (see canonicalOrder); `'emitted'`: as emitted. */
  readonly order?: 'canonical' | 'emitted';
  /** Further environment options (not clock, checkpointing or restore, which the runner sets). */
  readonly environment?: Omit<StreamEnvironmentOptions, 'clock' | 'checkpointing' | 'restore'>;
}

/**
 * What a run produced.
 *
 * @example
 * ```ts
 * const { results, late, deadLetters, watermarks } = await runPipeline(events, build);
 * ```
 */
export interface PipelineRun<R, E> {
  /** The pipeline's output values, in emission order (see `order`). */
  readonly results: R[];
  /** The same with their timestamps. */
  readonly records: TimestampedValue<R>[];
  /** Late elements routed to `ctx.lateTag` (or the returned `late` stream). */
  readonly late: E[];
  /** Rejected inputs with their reasons. */
  readonly deadLetters: DeadLetter[];
  /** Watermarks of the events' stream, in order (with a crash: of both runs). */
  readonly watermarks: WatermarkStep[];
  /** The events the run was given (for failure reports). */
  readonly events: readonly E[];
  /** True when a crash was injected and the job restored. */
  readonly restored: boolean;
}

/**
 * Builds a pipeline on the events and runs it to the end of the input.
 *
 * @example
 * ```ts
 * const out = await runPipeline(events, (s) => s.groupBy('key')
 *   .window(TumblingEventTimeWindows.of(Time.seconds(10))).maxBy('value'));
 * expect(out.results).toEqual(windowModel.tumbling(events, 10_000).maxBy('value'));
 * ```
 */
export async function runPipeline<E extends Timestamped, R>(
  events: readonly E[],
  build: (stream: DataStream<E>, ctx: PipelineContext<E>) => DataStream<R> | PipelineOutputs<R, E>,
  options: RunPipelineOptions<E> = {},
): Promise<PipelineRun<R, E>> {
  const bound = disorderBound(events, options.maxDisorderMs);
  const clock = new ManualClock(0);
  const results = new RecordStore<R>();
  const late = new RecordStore<E>();
  const dead = new RecordStore<DeadLetter>();
  const watermarks: WatermarkStep[] = [];
  const state: ReplayState = { index: 0, maxTs: Number.NEGATIVE_INFINITY };
  const crash = options.crash;
  if (crash !== undefined && !(Number.isInteger(crash.afterEvents) && crash.afterEvents >= 0)) {
    throw new RangeError(`runPipeline: crash.afterEvents must be an integer >= 0 (got ${crash.afterEvents})`);
  }
  const dir = crash ? await mkdtemp(join(tmpdir(), 'weir-testing-')) : undefined;
  const interval = crash ? (crash.checkpointIntervalMs ?? 1) : undefined;
  const ownWatermarks = options.watermarks === undefined;
  const lateTag = new OutputTag<E>('weir.testing.late');

  const attempt = async (restore: boolean): Promise<void> => {
    // A fresh start (also when a crash came before the first checkpoint); a restore overwrites it.
    state.index = 0;
    state.maxTs = Number.NEGATIVE_INFINITY;
    const plan: ReplayPlan<E> = {
      events,
      timestampOf: (e) => e.timestamp,
      processingTime: options.processingTime ?? ((_e, i) => i),
      clock,
      state,
      crashAt: restore ? undefined : crash?.afterEvents,
      checkpointIntervalMs: interval,
      kickOnRestore: 1,
    };
    const env = StreamEnvironment.create({
      logger: { info() {}, warn() {} },
      // Watermarks after every event: the models assume exactly that (see the module comment).
      perElementWatermarks: true,
      ...options.environment,
      clock,
      ...(crash
        ? {
            checkpointing: { intervalMs: interval!, dir: dir!, retain: 2 },
            restore: restore ? ('latest' as const) : false,
            restartStrategy: { attempts: 0 },
            // Periodic emission after 1 ms lets a restored run re-issue the watermark it had.
            ...(ownWatermarks ? { autoWatermarkIntervalMs: 1 } : {}),
          }
        : {}),
    });
    const strategy = options.watermarks ?? boundedWatermarks<E>(state, bound);
    const stamped = env.fromSource(replaySource(plan)).uid('weir-testing-source').assignTimestampsAndWatermarks(strategy).uid('weir-testing-timestamps');
    stamped.sinkTo(new WatermarkRecorder(watermarks, state)).uid('weir-testing-watermarks');
    stamped.getSideOutput(DEAD_LETTERS).sinkTo(new RecordingSink(dead, 'runPipeline dead letters')).uid('weir-testing-dead-letters');
    const built = build(stamped, { lateTag, clock, env });
    const outputs: PipelineOutputs<R, E> = isOutputs(built) ? built : { results: built, late: sideOutputOf(built, lateTag) };
    outputs.results.sinkTo(new RecordingSink(results, 'runPipeline results')).uid('weir-testing-results');
    outputs.late?.sinkTo(new RecordingSink(late, 'runPipeline late')).uid('weir-testing-late');
    outputs.deadLetters?.sinkTo(new RecordingSink(dead, 'runPipeline user dead letters')).uid('weir-testing-user-dead-letters');
    await env.execute('runPipeline');
  };

  let restored = false;
  try {
    try {
      await attempt(false);
    } catch (e) {
      if (!(e instanceof SimulatedCrash)) throw e;
      restored = true;
      await attempt(true);
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  const records = options.order === 'emitted' ? results.records.slice() : canonicalOrder(results.records);
  return {
    results: records.map((r) => r.value),
    records,
    late: late.records.map((r) => r.value),
    deadLetters: dead.records.map((r) => r.value),
    watermarks,
    events,
    restored,
  };
}

/**
 * Bounded out-of-orderness over the events emitted so far: `maxTs - bound - 1`. It reads the
 * largest timestamp from the replay state rather than keeping its own, so that after a restore
 * (where the source's position, including that maximum, comes back from the checkpoint) the
 * watermark is the one the crashed run had, and lateness is the same as without the crash.
 */
function boundedWatermarks<E extends Timestamped>(state: ReplayState, bound: number): WatermarkStrategy<E> {
  return WatermarkStrategy.forGenerator<E>(() => ({
    onEvent() {},
    onPeriodicEmit(out) {
      if (state.maxTs !== Number.NEGATIVE_INFINITY) out.emitWatermark(state.maxTs - bound - 1);
    },
  })).withTimestampAssigner((e) => e.timestamp);
}

function isOutputs<R, E>(x: DataStream<R> | PipelineOutputs<R, E>): x is PipelineOutputs<R, E> {
  return typeof (x as PipelineOutputs<R, E>).results === 'object' && typeof (x as DataStream<R>).map !== 'function';
}

function sideOutputOf<R, E>(stream: DataStream<R>, tag: OutputTag<E>): DataStream<E> | undefined {
  // A side-output stream has no side outputs of its own; then there is nothing to collect.
  if (stream.sideOutputTag !== undefined) return undefined;
  return stream.getSideOutput(tag);
}
