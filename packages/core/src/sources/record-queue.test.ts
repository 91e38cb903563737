/**
 * RecordQueue against a plain array as the model (FIFO, whatever the interleaving of pushes and
 * takes, also across its compaction), and its end and failure rules: items pushed before a
 * failure are delivered before it is thrown; END_OF_INPUT only once everything was taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PollStatus, type SourceOutput } from '../contract/source.js';
import { RecordQueue } from './record-queue.js';

function recorder<T>(): SourceOutput<T> & { items: T[] } {
  const items: T[] = [];
  return { items, collect: (v: T) => items.push(v), deadLetter: () => {} } as SourceOutput<T> & { items: T[] };
}

describe('RecordQueue', () => {
  it('takes items in the order they were pushed, for any interleaving (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 6000 }).map((n) => ({ push: n })), fc.integer({ min: 1, max: 6000 }).map((n) => ({ take: n }))), { maxLength: 12 }), (ops) => {
        const q = new RecordQueue<number>();
        const model: number[] = [];
        let next = 0;
        for (const op of ops) {
          if ('push' in op) {
            for (let i = 0; i < op.push; i++) {
              q.push(next);
              model.push(next++);
            }
          } else {
            const out = recorder<number>();
            q.drain(out, op.take);
            expect(out.items).toEqual(model.splice(0, op.take));
          }
          expect(q.length).toBe(model.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('delivers the items pushed before a failure, then throws it', () => {
    const q = new RecordQueue<string>();
    q.push('a');
    q.push('b');
    q.fail(new Error('boom'));
    q.fail(new Error('later')); // the first failure wins
    const out = recorder<string>();
    expect(q.drain(out, 1)).toBe(PollStatus.MORE_AVAILABLE);
    expect(() => q.drain(out, 10)).toThrow('boom');
    expect(out.items).toEqual(['a', 'b']);
  });

  it('reports END_OF_INPUT only once the items queued before the end were taken', () => {
    const q = new RecordQueue<number>();
    q.push(1);
    q.end();
    expect(q.ended).toBe(true);
    expect(q.pollStatus()).toBe(PollStatus.MORE_AVAILABLE);
    expect(q.shift()).toBe(1);
    expect(q.shift()).toBeUndefined();
    expect(q.pollStatus()).toBe(PollStatus.END_OF_INPUT);
  });

  it('reports NOTHING_AVAILABLE while empty and open, and whenAvailable resolves on the next push, end or failure', async () => {
    for (const settle of [(q: RecordQueue<number>) => q.push(7), (q: RecordQueue<number>) => q.end(), (q: RecordQueue<number>) => q.fail(new Error('x'))]) {
      const q = new RecordQueue<number>();
      expect(q.pollStatus()).toBe(PollStatus.NOTHING_AVAILABLE);
      let woke = 0;
      const waits = [q.whenAvailable().then(() => woke++), q.whenAvailable().then(() => woke++)];
      await Promise.resolve();
      expect(woke).toBe(0);
      settle(q);
      await Promise.all(waits);
      expect(woke).toBe(2); // every waiter, not only the last
      await q.whenAvailable(); // resolves at once now
    }
  });
});
