/**
 * G8 (count): `countWindow(n)` per key with a sum (modern Flink: fire and purge every n elements
 * of a key; a partial window is not emitted at the end), in weir, as a hand-written loop and in
 * RxJS (`groupBy(key)` + `bufferCount(n)`).
 *
 * The result is the window's first element with `value` replaced by the sum (weir's `sum`), so
 * the digest hashes key, sum and the first element's `ts`, which identifies the window.
 * Worked example, n = 2: (k, 1, t0), (k, 4, t1), (k, 2, t2) emit (k, 5, t0); (k, 2, t2) never fires.
 */
import { bufferCount, filter, from, groupBy, map, mergeMap } from 'rxjs';
import type { KeyedEvent } from '../data/keyed-events.js';
import { type Digest, DigestWriter, digestSink, hash3 } from '../harness/digest.js';
import { runWeir } from './common.js';

/** Key, aggregate and the first element's timestamp field. */
export const hashFirstElementResult = (r: KeyedEvent): number => hash3(r.key, r.value, r.ts);

/**
 * The weir job: `keyBy('key').countWindow(n).sum('value')`.
 *
 * @example
 * ```ts
 * await weirCountWindowSum(events, 100, digest);
 * ```
 */
export function weirCountWindowSum(events: readonly KeyedEvent[], n: number, digest: Digest): Promise<void> {
  return runWeir(undefined, (env) => env.fromCollection(events).keyBy('key').countWindow(n).sum('value').sinkTo(digestSink(digest, hashFirstElementResult)));
}

/** Per key: the open window's first element, sum and count. */
class CountAcc {
  constructor(
    public first: KeyedEvent,
    public sum: number,
    public count: number,
  ) {}
}

/**
 * The hand-written loop: `Map<key, { first, sum, count }>`, emit and reset at n.
 *
 * @example
 * ```ts
 * handCountWindowSum(events, 100, digest);
 * ```
 */
export function handCountWindowSum(events: readonly KeyedEvent[], n: number, digest: Digest): void {
  const out = new DigestWriter<KeyedEvent>(digest, hashFirstElementResult);
  const open = new Map<number, CountAcc>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const acc = open.get(e.key);
    if (acc === undefined || acc.count === 0) {
      if (acc === undefined) open.set(e.key, new CountAcc(e, e.value, 1));
      else {
        acc.first = e;
        acc.sum = e.value;
        acc.count = 1;
      }
      if (n === 1) emit(open.get(e.key)!, out);
      continue;
    }
    acc.sum += e.value;
    if (++acc.count === n) emit(acc, out);
  }
}

function emit(acc: CountAcc, out: DigestWriter<KeyedEvent>): void {
  out.write({ key: acc.first.key, value: acc.sum, ts: acc.first.ts }, acc.first.ts);
  acc.count = 0;
}

/**
 * RxJS: `groupBy(key)`, `bufferCount(n)` (dropping the partial buffer at completion), sum.
 *
 * @example
 * ```ts
 * await rxjsCountWindowSum(events, 100, digest);
 * ```
 */
export function rxjsCountWindowSum(events: readonly KeyedEvent[], n: number, digest: Digest): Promise<void> {
  const out = new DigestWriter<KeyedEvent>(digest, hashFirstElementResult);
  return new Promise((resolve, reject) => {
    from(events)
      .pipe(
        groupBy((e) => e.key),
        mergeMap((k$) =>
          k$.pipe(
            bufferCount(n),
            filter((buf) => buf.length === n),
            map((buf) => ({ key: k$.key, value: buf.reduce((s, e) => s + e.value, 0), ts: buf[0]!.ts })),
          ),
        ),
      )
      .subscribe({ next: (r) => out.write(r, r.ts), error: reject, complete: resolve });
  });
}
