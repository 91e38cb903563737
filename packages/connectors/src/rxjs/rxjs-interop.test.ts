/**
 * RxJS interop both ways (`env.fromObservable`, `stream.toObservable()`): values, completion and
 * errors propagate from an observable into a job and from a job out to subscribers.
 */
import { SourceError, StreamEnvironment, UserFunctionError } from '@weir/core';
import { concat, interval, map, Observable, of, take, throwError, toArray, lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';

interface Seen<T> {
  values: T[];
  completed: boolean;
  error: unknown;
}
function watch<T>(o: Observable<T>): Seen<T> {
  const seen: Seen<T> = { values: [], completed: false, error: undefined };
  o.subscribe({ next: (v) => seen.values.push(v), complete: () => (seen.completed = true), error: (e: unknown) => (seen.error = e) });
  return seen;
}

describe('rxjs interop', () => {
  it('an observable that completes ends the job; toObservable completes when the job ends', async () => {
    const env = StreamEnvironment.create();
    const seen = watch(env.fromObservable(interval(2).pipe(take(5))).map((x) => x * 10).toObservable());
    await env.execute();
    expect(seen).toEqual({ values: [0, 10, 20, 30, 40], completed: true, error: undefined });
  });

  it('an observable that errors fails the job with a SourceError carrying the cause, and subscribers get that error', async () => {
    const boom = new Error('boom');
    const env = StreamEnvironment.create();
    const seen = watch(env.fromObservable(concat(of(1, 2), throwError(() => boom))).toObservable());
    const err = await env.execute().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toContain('the observable errored: boom');
    expect((err as Error).cause).toBe(boom);
    expect(seen.error).toBe(err);
    expect(seen.completed).toBe(false);
  });

  it('a failing job errors toObservable subscribers with the job’s error (after the values before it)', async () => {
    const env = StreamEnvironment.create();
    const seen = watch(
      env.fromElements(1, 2, 3, 4).map((x) => {
        if (x === 3) throw new Error('no threes');
        return x;
      }).toObservable(),
    );
    const err = await env.execute().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserFunctionError);
    expect(seen.values).toEqual([1, 2]);
    expect(seen.error).toBe(err);
    expect(seen.completed).toBe(false);
  });

  it('round trip: observable -> job -> observable, consumed with rxjs operators', async () => {
    const env = StreamEnvironment.create();
    const out = env.fromObservable(of('a', 'bb', 'ccc')).map((s) => s.length).toObservable().pipe(map((n) => n * 2), toArray());
    const result = lastValueFrom(out);
    await env.execute();
    expect(await result).toEqual([2, 4, 6]);
  });

  it('an observable that never emits but completes gives an empty, successful job', async () => {
    const env = StreamEnvironment.create();
    const seen = watch(env.fromObservable(new Observable<number>((s) => s.complete())).toObservable());
    await env.execute();
    expect(seen).toEqual({ values: [], completed: true, error: undefined });
  });
});
