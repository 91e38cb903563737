/**
 * G9: Async I/O against a simulated service that answers every call after a fixed latency
 * (`setTimeout`), in weir (`mapAsync`, ordered and unordered) and as a hand-written promise pool
 * (`capacity` workers, each awaiting one call at a time: what one writes without a framework).
 * The figure is wall-clock throughput against the bound `capacity / latency`; CPU time is
 * reported too but is not the point here.
 *
 * Worked example: capacity 100, latency 5 ms: at most 100 calls in flight, each 5 ms, so at most
 * 20,000 calls a second; the goal is >= 80 % of that, 16,000 calls a second.
 */
import { PollStatus, type Source, type SourceOutput, type SourceReader } from '@weir/core';
import { type KeyedEvent, KeyedEventGenerator } from '../data/keyed-events.js';
import { collectGarbage } from '../harness/measure.js';
import { type Digest, DigestWriter, digestSink, hash2 } from '../harness/digest.js';
import { runWeir } from './common.js';

/** What the service answers: the event's key and a value derived from it. */
export interface Enriched {
  readonly key: number;
  readonly value: number;
}

const hashEnriched = (e: Enriched): number => hash2(e.key, e.value);

/**
 * A service that answers `{ key, value * 2 }` after `latencyMs`.
 *
 * @example
 * ```ts
 * const call = simulatedService(5);
 * await call({ key: 1, value: 2, ts: 0 }); // { key: 1, value: 4 } 5 ms later
 * ```
 */
export function simulatedService(latencyMs: number): (e: KeyedEvent) => Promise<Enriched> {
  return (e) => new Promise((resolve) => setTimeout(() => resolve({ key: e.key, value: e.value * 2 }), latencyMs));
}

/**
 * The weir job: `fromCollection(events).mapAsync(service, { capacity, ordered })`.
 *
 * @example
 * ```ts
 * await weirAsync(events, 100, true, 5, digest);
 * ```
 */
export function weirAsync(events: readonly KeyedEvent[], capacity: number, ordered: boolean, latencyMs: number, digest: Digest): Promise<void> {
  const service = simulatedService(latencyMs);
  return runWeir(undefined, (env) => env.fromCollection(events).mapAsync(service, { capacity, ordered }).sinkTo(digestSink(digest, hashEnriched)));
}

/**
 * The hand-written pool: `capacity` workers take the next event, await the call, write the result.
 *
 * @example
 * ```ts
 * await handAsyncPool(events, 100, 5, digest);
 * ```
 */
export async function handAsyncPool(events: readonly KeyedEvent[], capacity: number, latencyMs: number, digest: Digest): Promise<void> {
  const service = simulatedService(latencyMs);
  const out = new DigestWriter<Enriched>(digest, hashEnriched);
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++]!;
      out.write(await service(e), e.ts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(capacity, events.length) }, worker));
}

/** A bounded source generating events on the fly, with a hook before every poll. */
class GeneratedEvents implements Source<KeyedEvent> {
  readonly name = 'Generated Events';
  readonly bounded = true;
  constructor(
    private readonly n: number,
    private readonly beforePoll: (position: number) => void,
  ) {}
  createReader(): SourceReader<KeyedEvent> {
    const gen = new KeyedEventGenerator({ keys: 1000, eventsPerSecond: 1000 });
    const { n, beforePoll } = this;
    return {
      pollNext(output: SourceOutput<KeyedEvent>, max: number): PollStatus {
        beforePoll(gen.position);
        const end = Math.min(n, gen.position + max);
        while (gen.position < end) output.collect(gen.next());
        return gen.position < n ? PollStatus.MORE_AVAILABLE : PollStatus.END_OF_INPUT;
      },
      isAvailable: () => Promise.resolve(),
    };
  }
}

/** Heap samples of a long run. */
export interface AsyncHeap {
  readonly samples: readonly number[];
  readonly sampleEvery: number;
  /** (max - min) / min over the samples after the first. */
  readonly spread: number;
}

/**
 * Heap after GC every `sampleEvery` events of a `mapAsync` job over `n` generated (not
 * pre-generated) events: flat when the operator holds no more than its capacity.
 *
 * @example
 * ```ts
 * const { spread } = await weirAsyncHeap(200_000, 20_000, 1000, 5, digest);
 * ```
 */
export async function weirAsyncHeap(n: number, sampleEvery: number, capacity: number, latencyMs: number, digest: Digest): Promise<AsyncHeap> {
  const samples: number[] = [];
  let nextSample = 0;
  const sample = (position: number) => {
    if (position < nextSample) return;
    collectGarbage();
    samples.push(process.memoryUsage().heapUsed);
    nextSample += sampleEvery;
  };
  const service = simulatedService(latencyMs);
  await runWeir(undefined, (env) =>
    env.fromSource(new GeneratedEvents(n, sample)).mapAsync(service, { capacity, ordered: false }).sinkTo(digestSink(digest, hashEnriched)),
  );
  const steady = samples.length > 1 ? samples.slice(1) : samples;
  const min = Math.min(...steady);
  const max = Math.max(...steady);
  return { samples, sampleEvery, spread: (max - min) / min };
}
