/**
 * G8 (delta): the seed's `window(Delta.of(threshold, fn, initial))` per key with a sum, in weir
 * and as a hand-written loop (RxJS has no natural spelling: it would be a hand-written `scan`).
 *
 * Seed (Flink 0.9) semantics: the reference starts at `initial`; an element whose delta from the
 * reference is strictly greater than the threshold closes the current window without itself,
 * becomes the new reference and opens the next window; the last partial window of every key is
 * emitted when the bounded input ends.
 * Worked example, threshold 40, initial value 50: values 50, 60, 95, 90 form windows [50, 60]
 * (95 - 50 > 40 closes it) and [95, 90] (emitted at the end).
 */
import { Delta } from '@weir/windows';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink } from '../harness/digest.js';
import { runWeir } from './common.js';
import { hashFirstElementResult } from './count-window.js';

/** The delta function of the case: distance between values. */
export const valueDistance = (a: KeyedEvent, b: KeyedEvent): number => Math.abs(a.value - b.value);

/** The initial reference of every key. */
export const DELTA_INITIAL: KeyedEvent = { key: -1, value: 50, ts: 0 };

/**
 * The weir job: `keyBy('key').window(Delta.of(threshold, valueDistance, DELTA_INITIAL)).sum('value')`.
 *
 * @example
 * ```ts
 * await weirDeltaWindowSum(events, 40, digest);
 * ```
 */
export function weirDeltaWindowSum(events: readonly KeyedEvent[], threshold: number, digest: Digest): Promise<void> {
  return runWeir(undefined, (env) =>
    env
      .fromCollection(events)
      .keyBy('key')
      .window(Delta.of(threshold, valueDistance, DELTA_INITIAL))
      .sum('value')
      .sinkTo(digestSink(digest, hashFirstElementResult)),
  );
}

/** Per key: reference element, open window's first element and sum. */
class DeltaAcc {
  first: KeyedEvent | undefined = undefined;
  sum = 0;
  constructor(public ref: KeyedEvent) {}
}

/**
 * The hand-written loop: `Map<key, { ref, first, sum }>`.
 *
 * @example
 * ```ts
 * handDeltaWindowSum(events, 40, digest);
 * ```
 */
export function handDeltaWindowSum(events: readonly KeyedEvent[], threshold: number, digest: Digest): void {
  const out = new DigestWriter<KeyedEvent>(digest, hashFirstElementResult);
  const open = new Map<number, DeltaAcc>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    let acc = open.get(e.key);
    if (acc === undefined) {
      acc = new DeltaAcc(DELTA_INITIAL);
      open.set(e.key, acc);
    }
    if (valueDistance(acc.ref, e) > threshold) {
      if (acc.first !== undefined) out.write({ key: acc.first.key, value: acc.sum, ts: acc.first.ts }, e.ts);
      acc.first = undefined;
      acc.ref = e;
    }
    if (acc.first === undefined) {
      acc.first = e;
      acc.sum = e.value;
    } else acc.sum += e.value;
  }
  for (const acc of open.values()) if (acc.first !== undefined) out.write({ key: acc.first.key, value: acc.sum, ts: acc.first.ts }, acc.first.ts);
}
