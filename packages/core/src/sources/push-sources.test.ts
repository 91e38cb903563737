/**
 * The push-style sources of core (async iterables, observables) hand over every record that
 * arrived before their input failed, then fail the job: nothing received before an error is lost.
 */
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { StreamEnvironment } from '../api/stream-environment.js';
import { AsyncIterableSource } from './async-iterable-source.js';
import { ObservableSource } from './observable-source.js';

describe('push-style sources whose input fails', () => {
  it('AsyncIterableSource delivers the records yielded before the generator threw', async () => {
    async function* gen() {
      yield 'a';
      yield 'b';
      throw new Error('boom');
    }
    const env = StreamEnvironment.create();
    const out = env.fromSource(new AsyncIterableSource(gen())).collect();
    await expect(env.execute()).rejects.toThrow(/boom/);
    expect(out.items()).toEqual(['a', 'b']);
  });

  it('ObservableSource delivers the values emitted before the observable errored', async () => {
    const values = new Observable<number>((s) => {
      s.next(1);
      s.next(2);
      s.next(3);
      s.error(new Error('boom'));
    });
    const env = StreamEnvironment.create();
    const out = env.fromSource(new ObservableSource(values)).collect();
    await expect(env.execute()).rejects.toThrow(/boom/);
    expect(out.items()).toEqual([1, 2, 3]);
  });
});
