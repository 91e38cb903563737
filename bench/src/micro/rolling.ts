/**
 * G4: a rolling `maxBy('value')` per key, one output per input (Flink's semantics: the element
 * with the largest value so far, the first one on ties), in weir, as a hand-written loop
 * (`Map<key, best element>`) and in RxJS (`groupBy(key)` + `scan`).
 *
 * Worked example: (k1, 5), (k1, 3), (k1, 7) emit (k1, 5), (k1, 5), (k1, 7).
 */
import { from, groupBy, mergeMap, scan } from 'rxjs';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink, hash3 } from '../harness/digest.js';
import { runWeir } from './common.js';

/** The emitted element's own fields (the emission timestamp is ingestion time in weir, so it is left out). */
const hashElement = (e: KeyedEvent): number => hash3(e.key, e.value, e.ts);

/**
 * The weir job: `keyBy('key').maxBy('value')`.
 *
 * @example
 * ```ts
 * await weirRollingMaxBy(events, digest);
 * ```
 */
export function weirRollingMaxBy(events: readonly KeyedEvent[], digest: Digest): Promise<void> {
  return runWeir(undefined, (env) => env.fromCollection(events).keyBy('key').maxBy('value').sinkTo(digestSink(digest, hashElement)));
}

/**
 * The hand-written loop.
 *
 * @example
 * ```ts
 * handRollingMaxBy(events, digest);
 * ```
 */
export function handRollingMaxBy(events: readonly KeyedEvent[], digest: Digest): void {
  const out = new DigestWriter<KeyedEvent>(digest, hashElement);
  const best = new Map<number, KeyedEvent>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const b = best.get(e.key);
    if (b === undefined || e.value > b.value) {
      best.set(e.key, e);
      out.write(e, e.ts);
    } else out.write(b, e.ts);
  }
}

/**
 * RxJS: `groupBy(key)` and a `scan` keeping the maximum per group.
 *
 * @example
 * ```ts
 * await rxjsRollingMaxBy(events, digest);
 * ```
 */
export function rxjsRollingMaxBy(events: readonly KeyedEvent[], digest: Digest): Promise<void> {
  const out = new DigestWriter<KeyedEvent>(digest, hashElement);
  return new Promise((resolve, reject) => {
    from(events)
      .pipe(
        groupBy((e) => e.key),
        mergeMap((k$) => k$.pipe(scan((best, e) => (e.value > best.value ? e : best)))),
      )
      .subscribe({ next: (e) => out.write(e, e.ts), error: reject, complete: resolve });
  });
}
