/**
 * Composite keys (tuples, objects) are compared by their encoding, and the backend remembers each
 * one's original to hand back to user functions. Those originals must go when nothing refers to
 * the key any more (a job keyed by (user, window) meets new keys for as long as it runs), stay
 * while state or a timer refers to it, and stay while a snapshot that may write the key is
 * being written.
 */
import { describe, expect, it } from 'vitest';
import { ValueStateDescriptor } from './descriptors.js';
import { KeyedStateBackend } from './keyed-state-backend.js';
import { VOID_NAMESPACE } from './state-table.js';

const CHURN = 50_000;

/** Keys that come, get state, and lose it again. */
function churn(b: KeyedStateBackend, d: ValueStateDescriptor<number>, tag: string, n = CHURN): void {
  const s = b.getState(d);
  for (let i = 0; i < n; i++) {
    b.setCurrentKey([tag, i]);
    s.update(i);
    s.clear();
  }
}

describe('originals of composite keys', () => {
  it('go with their state: the map stays bounded while keys come and go', () => {
    const b = new KeyedStateBackend('op', 128);
    churn(b, new ValueStateDescriptor<number>('v'), 'gone');
    expect(b.rememberedKeyCount).toBeLessThanOrEqual(2 * 4096 + 1);
  });

  it('stay while state or a timer refers to the key: user functions get the very first original', () => {
    const b = new KeyedStateBackend('op', 128);
    const d = new ValueStateDescriptor<number>('v');
    const s = b.getState(d);
    const withState = Array.from({ length: 100 }, (_, i) => ['state', i]);
    const withTimer = Array.from({ length: 100 }, (_, i) => ({ timer: i }));
    for (const k of withState) {
      b.setCurrentKey(k);
      s.update(1);
    }
    for (const k of withTimer) {
      b.setCurrentKey(k);
      b.eventTimers.add(1000, b.currentKey, VOID_NAMESPACE);
    }
    churn(b, d, 'gone');
    expect(b.rememberedKeyCount).toBeLessThanOrEqual(2 * 4096 + 1);
    for (const k of withState) {
      b.setCurrentKey([...k]); // an equal copy finds the key, and its first original
      expect(b.getCurrentKey()).toBe(k);
      expect(s.value()).toBe(1);
    }
    const fired: unknown[] = [];
    b.eventTimers.advance(1000, (key) => fired.push(b.userKey(key)));
    expect(new Set(fired)).toEqual(new Set(withTimer));
  });

  it('stay while a snapshot is being written: entries removed after its barrier are restored with their keys', () => {
    const b = new KeyedStateBackend('op', 128);
    b.trackChanges();
    const d = new ValueStateDescriptor<number>('v');
    const s = b.getState(d);
    const keys = Array.from({ length: 5000 }, (_, i) => ['kept', i]);
    keys.forEach((k, i) => {
      b.setCurrentKey(k);
      s.update(i);
    });
    const task = b.beginSnapshot(true);
    for (const k of keys) {
      b.setCurrentKey(k);
      s.clear(); // after the barrier: the snapshot still writes them
    }
    churn(b, d, 'gone', 20_000);
    expect(b.rememberedKeyCount).toBeGreaterThanOrEqual(5000);
    while (!task.walk(Number.POSITIVE_INFINITY));
    const snapshot = task.finishSync();
    const restored = new KeyedStateBackend('op', 128);
    restored.restore(snapshot);
    const r = restored.getState(d);
    keys.forEach((k, i) => {
      restored.setCurrentKey([...k]);
      expect(r.value()).toBe(i);
    });
    // Once written, the next pruning may drop them from the running job.
    churn(b, d, 'later', 20_000);
    expect(b.rememberedKeyCount).toBeLessThan(5000);
  });
});
