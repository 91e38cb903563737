/**
 * Restore by key-group range (issue #17, the basis of scaling out): a checkpoint (a full snapshot
 * and deltas on it) restored into instances that own ranges of key groups, split at random
 * boundaries, gives each instance exactly the entries and timers of its key groups (as
 * `keyGroupOf` assigns them), and the instances together hold exactly the unsplit state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyGroupOf } from './key-groups.js';
import { KeyedStateBackend } from './keyed-state-backend.js';
import type { KeyGroupSnapshot } from './snapshot-task.js';

const MAX_PARALLELISM = 16;

const arbKey = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -50, max: 50 }), fc.tuple(fc.constantFrom('x', 'y'), fc.nat(5)));
const arbWrite = fc.record({ key: arbKey, ns: fc.constantFrom<number | string>('', 1, 2), v: fc.integer(), timer: fc.option(fc.nat(100), { nil: undefined }), remove: fc.boolean() });

/** Everything a backend holds, keyed by user key (as JSON), for comparisons. */
function contents(b: KeyedStateBackend): { entries: string[]; timers: string[] } {
  const entries: string[] = [];
  b.table<number>('t', 'value').namespaces().forEach((m, ns) => m.forEach((v, k) => entries.push(JSON.stringify([b.userKey(k), ns, v]))));
  const timers: string[] = [];
  b.eventTimers.forEach((ts, k, ns) => timers.push(JSON.stringify([b.userKey(k), ns, ts])));
  return { entries: entries.sort(), timers: timers.sort() };
}

describe('restore by key-group range', () => {
  it('instances restored by random ranges hold exactly their key groups, and together the whole (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(arbWrite, { maxLength: 25 }), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 1, max: MAX_PARALLELISM - 1 }), { maxLength: 5 }),
        (rounds, cuts) => {
          // A chain: a full snapshot after the first round of writes, deltas after the others.
          const b = new KeyedStateBackend('ranges', MAX_PARALLELISM);
          const table = b.table<number>('t', 'value');
          b.trackChanges(Number.POSITIVE_INFINITY);
          const chain: KeyGroupSnapshot[] = [];
          rounds.forEach((writes, i) => {
            for (const w of writes) {
              b.setCurrentKey(w.key);
              if (w.remove) table.remove(b.currentKey, w.ns);
              else table.put(b.currentKey, w.ns, w.v);
              if (w.timer !== undefined) b.eventTimers.add(w.timer, b.currentKey, w.ns);
            }
            chain.push(...b.beginSnapshot(i === 0).runSync().groups);
          });
          const snapshot = { maxParallelism: MAX_PARALLELISM, groups: chain };
          const whole = new KeyedStateBackend('whole', MAX_PARALLELISM);
          whole.restore(snapshot);
          const all = contents(whole);
          expect(all).toEqual(contents(b));

          const bounds = [0, ...[...cuts].sort((x, y) => x - y), MAX_PARALLELISM];
          const union = { entries: [] as string[], timers: [] as string[] };
          for (let r = 0; r + 1 < bounds.length; r++) {
            const range = { start: bounds[r]!, end: bounds[r + 1]! };
            const part = new KeyedStateBackend(`range ${r}`, MAX_PARALLELISM);
            part.restore(snapshot, range);
            const c = contents(part);
            for (const e of [...c.entries, ...c.timers]) {
              const kg = keyGroupOf(JSON.parse(e)[0], MAX_PARALLELISM);
              expect(kg >= range.start && kg < range.end).toBe(true);
            }
            union.entries.push(...c.entries);
            union.timers.push(...c.timers);
          }
          expect({ entries: union.entries.sort(), timers: union.timers.sort() }).toEqual(all);
        },
      ),
      { numRuns: 300 },
    );
  });
});
