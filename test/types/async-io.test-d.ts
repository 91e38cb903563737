/**
 * The types of Async I/O: `mapAsync` infers its result from the Promise, its options are typed
 * by the element and the result, and `map` refuses what `mapAsync` takes.
 */
import { AsyncDataStream, type AsyncFailure, AsyncRetryStrategies, DEAD_LETTERS, type DataStream, OutputTag, StreamEnvironment } from '@weir/core';
import { describe, expectTypeOf, it } from 'vitest';

interface User {
  id: string;
  name: string;
}
const env = StreamEnvironment.create();
const ids: DataStream<string> = env.fromElements('u1');
const lookup = async (id: string): Promise<User> => ({ id, name: id });

describe('mapAsync types', () => {
  it('infers the result type from the Promise', () => {
    expectTypeOf(ids.mapAsync(lookup)).toEqualTypeOf<DataStream<User>>();
    expectTypeOf(ids.mapAsync(async (id) => id.length, { capacity: 10, ordered: false })).toEqualTypeOf<DataStream<number>>();
    expectTypeOf(AsyncDataStream.orderedWait(ids, lookup, 1000)).toEqualTypeOf<DataStream<User>>();
    expectTypeOf(AsyncDataStream.unorderedWait(ids, lookup, 1000, 5)).toEqualTypeOf<DataStream<User>>();
  });

  it('types the options by element and result', () => {
    ids.mapAsync(lookup, { timeoutMs: 10, onTimeout: (id) => ({ id, name: '?' }) });
    // @ts-expect-error onTimeout must give a result of the operator's type
    ids.mapAsync(lookup, { timeoutMs: 10, onTimeout: (id) => id });
    ids.mapAsync(lookup, { retry: AsyncRetryStrategies.fixedDelay<User>({ maxAttempts: 2, delayMs: 5, ifResult: (u) => u.name === '' }) });
    ids.mapAsync(lookup, { failures: new OutputTag<AsyncFailure<string>>('failed') });
    // Failures are dead letters too: they may go to the DEAD_LETTERS output.
    ids.mapAsync(lookup, { failures: DEAD_LETTERS });
  });

  it('map refuses a Promise-returning function and names mapAsync; mapAsync takes it', () => {
    // @ts-expect-error map() got a function that returns a Promise: use stream.mapAsync(...)
    ids.map(lookup);
    expectTypeOf(ids.mapAsync(lookup)).toEqualTypeOf<DataStream<User>>();
  });
});
