/**
 * G6: memory of window state.
 *
 * - Bytes per live (key, window) accumulator: a tumbling sum whose window outlasts the input
 *   (1 hour) over `keys` events with distinct keys, so each event opens one accumulator and none
 *   fires before the end. The heap (after a full GC) is read at the first poll and right after the
 *   last one, before the end of input fires the windows; the difference over the number of
 *   accumulators is the cost of one, including its cleanup timer. The same for a hand-written
 *   `Map<window, Map<key, sum>>`, for scale.
 * - Heap stability: the G1 job over a generated (not pre-generated) stream of 10 M events, the
 *   heap sampled after a full GC every `sampleEvery` events.
 *
 * Needs `--expose-gc` for meaningful figures (without it, the numbers are whatever the heap holds).
 */
import { CollectionSource, PollStatus, type Source, type SourceOutput, type SourceReader, StreamEnvironment, ValueStateDescriptor } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { type KeyedEvent, KeyedEventGenerator, type KeyedEventsOptions } from '../data/keyed-events.js';
import { type Digest, digestSink } from '../harness/digest.js';
import { collectGarbage } from '../harness/measure.js';
import { eventTime, hashWindowResult, windowStart } from './common.js';
import { ProbeSource } from './probes.js';

const HOUR = 3_600_000;

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Heap growth per live accumulator. */
export interface AccumulatorMemory {
  readonly accumulators: number;
  readonly bytesPerAccumulator: number;
}

/**
 * weir's heap per live (key, window) accumulator, measured on `events` (distinct keys expected).
 *
 * @example
 * ```ts
 * const m = await weirBytesPerAccumulator(keyedEvents(1e6, { keys: 1e6, eventsPerSecond: 1e6 }), digest);
 * ```
 */
export async function weirBytesPerAccumulator(events: readonly KeyedEvent[], digest: Digest): Promise<AccumulatorMemory> {
  let before = Number.NaN;
  let after = Number.NaN;
  const env = StreamEnvironment.create();
  const hooks = {
    beforePoll: (position: number) => {
      if (position === 0) before = heapUsed();
    },
    afterPoll: (_position: number, ended: boolean) => {
      if (ended) after = heapUsed();
    },
  };
  env
    .fromSource(new ProbeSource(new CollectionSource(events), hooks))
    .assignTimestampsAndWatermarks(eventTime())
    .keyBy('key')
    .window(TumblingEventTimeWindows.of(HOUR))
    .sum('value')
    .sinkTo(digestSink(digest, hashWindowResult));
  await env.execute('memory');
  const accumulators = distinctKeyWindows(events, HOUR);
  return { accumulators, bytesPerAccumulator: (after - before) / accumulators };
}

/**
 * weir's heap per keyed `ValueState` entry: a keyed process function stores one number per key
 * over `events` (distinct keys expected); the heap (after a full GC) at the first poll and right
 * after the last one, over the number of keys. The entry's number is included (a small integer
 * costs nothing, a double a heap number).
 *
 * @example
 * ```ts
 * const m = await weirBytesPerValueState(keyedEvents(1e6, { keys: 1e6, eventsPerSecond: 1e6 }));
 * ```
 */
export async function weirBytesPerValueState(events: readonly KeyedEvent[]): Promise<{ readonly entries: number; readonly bytesPerEntry: number }> {
  let before = Number.NaN;
  let after = Number.NaN;
  const env = StreamEnvironment.create();
  const hooks = {
    beforePoll: (position: number) => {
      if (position === 0) before = heapUsed();
    },
    afterPoll: (_position: number, ended: boolean) => {
      if (ended) after = heapUsed();
    },
  };
  const last = new ValueStateDescriptor<number>('last');
  env
    .fromSource(new ProbeSource(new CollectionSource(events), hooks))
    .keyBy('key')
    .process<number>({
      processElement(e, ctx) {
        ctx.getState(last).update(e.value);
      },
    })
    .sinkTo({ name: 'discard', createWriter: () => ({ write: () => {} }) });
  await env.execute('memory-value-state');
  const entries = new Set(events.map((e) => e.key)).size;
  return { entries, bytesPerEntry: (after - before) / entries };
}

/**
 * The same measurement for a hand-written `Map<window, Map<key, sum>>`.
 *
 * @example
 * ```ts
 * handBytesPerAccumulator(events).bytesPerAccumulator; // about 20-40 B
 * ```
 */
export function handBytesPerAccumulator(events: readonly KeyedEvent[]): AccumulatorMemory {
  const before = heapUsed();
  const windows = new Map<number, Map<number, number>>();
  for (const e of events) {
    const start = windowStart(e.ts, HOUR);
    let w = windows.get(start);
    if (w === undefined) windows.set(start, (w = new Map()));
    w.set(e.key, (w.get(e.key) ?? 0) + e.value);
  }
  const after = heapUsed();
  let accumulators = 0;
  for (const w of windows.values()) accumulators += w.size;
  return { accumulators, bytesPerAccumulator: (after - before) / accumulators };
}

function distinctKeyWindows(events: readonly KeyedEvent[], size: number): number {
  const seen = new Set<string>();
  for (const e of events) seen.add(`${e.key}@${windowStart(e.ts, size)}`);
  return seen.size;
}

/** A bounded source generating keyed events on the fly (nothing pre-generated on the heap). */
class GeneratedEvents implements Source<KeyedEvent> {
  readonly name = 'Generated Events';
  readonly bounded = true;
  constructor(
    private readonly n: number,
    private readonly options: KeyedEventsOptions,
  ) {}
  createReader(): SourceReader<KeyedEvent> {
    const gen = new KeyedEventGenerator(this.options);
    const n = this.n;
    return {
      pollNext(output: SourceOutput<KeyedEvent>, max: number): PollStatus {
        const end = Math.min(n, gen.position + max);
        while (gen.position < end) output.collect(gen.next());
        return gen.position < n ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
      },
      isAvailable: () => Promise.resolve(),
    };
  }
}

/** Heap samples of a long run. */
export interface HeapStability {
  /** Heap used (bytes, after GC) every `sampleEvery` events. */
  readonly samples: readonly number[];
  readonly sampleEvery: number;
  /** (max - min) / min over the samples after the first (the first is taken before state exists). */
  readonly spread: number;
}

/**
 * The G1 job (1 s tumbling sum) over `n` generated events, heap sampled every `sampleEvery`.
 *
 * @example
 * ```ts
 * const h = await weirHeapStability(10_000_000, 1_000_000, { keys: 1000, eventsPerSecond: 1000 }, digest);
 * h.spread; // 0.02 means the heap moved by 2%
 * ```
 */
export async function weirHeapStability(n: number, sampleEvery: number, options: KeyedEventsOptions, digest: Digest): Promise<HeapStability> {
  const samples: number[] = [];
  let nextSample = 0;
  const hooks = {
    beforePoll: (position: number) => {
      if (position >= nextSample) {
        samples.push(heapUsed());
        nextSample += sampleEvery;
      }
    },
  };
  const env = StreamEnvironment.create();
  env
    .fromSource(new ProbeSource(new GeneratedEvents(n, options), hooks))
    .assignTimestampsAndWatermarks(eventTime())
    .keyBy('key')
    .window(TumblingEventTimeWindows.of(1000))
    .sum('value')
    .sinkTo(digestSink(digest, hashWindowResult));
  await env.execute('heap-stability');
  const steady = samples.length > 1 ? samples.slice(1) : samples;
  const min = Math.min(...steady);
  const max = Math.max(...steady);
  return { samples, sampleEvery, spread: (max - min) / min };
}
