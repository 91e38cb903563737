/**
 * Fair share and preference: for every number of tasks and members, the targets add up to the
 * task count and differ by at most one (checked against the definition of an even spread), the
 * extra tasks of different sub-topologies land on different members, and preferences are stable.
 */
import { describe, expect, it } from 'vitest';
import { fairShare, preferenceOrder } from './assignment.js';

describe('fairShare', () => {
  it('spreads T tasks over N members evenly: targets sum to T and differ by at most one', () => {
    for (let n = 1; n <= 6; n++) {
      const members = Array.from({ length: n }, (_, i) => `m${(i * 7) % n}-${i}`);
      for (let t = 0; t <= 20; t++) {
        for (let s = 0; s < 3; s++) {
          const targets = members.map((m) => fairShare(t, members, m, s));
          expect(targets.reduce((a, b) => a + b, 0)).toBe(t);
          expect(Math.max(...targets) - Math.min(...targets)).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('gives the remainders of different sub-topologies to different members', () => {
    const members = ['a', 'b', 'c'];
    const total = members.map((m) => fairShare(8, members, m, 0) + fairShare(8, members, m, 1));
    expect(total.sort()).toEqual([5, 5, 6]);
  });

  it('is 0 for a member not in the list', () => {
    expect(fairShare(8, ['a', 'b'], 'z')).toBe(0);
  });
});

describe('preferenceOrder', () => {
  it('is a permutation, stable across calls, and differs between members', () => {
    const tasks = Array.from({ length: 16 }, (_, i) => `0_${i}`);
    const a = preferenceOrder('host-a-1', tasks);
    expect([...a].sort()).toEqual([...tasks].sort());
    expect(preferenceOrder('host-a-1', [...tasks].reverse())).toEqual(a);
    expect(preferenceOrder('host-b-2', tasks)).not.toEqual(a);
  });
});
