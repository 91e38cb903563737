/**
 * How many tasks an instance should run, and which ones it prefers: the decentralised half of
 * assignment (the other half is the coordinator's leases, which make a task's owner unique).
 *
 * Fair share, per sub-topology so that every instance gets a mix of upstream and downstream
 * tasks: with T tasks and N live members sorted by id, the member at rank r wants
 * `floor(T / N)` tasks, plus one if `(r - s) mod N < T mod N` for sub-topology s (the remainder
 * goes to different members for different sub-topologies). The targets of all members add up to
 * T, so once every member has reached its target, every task runs.
 *
 * Preference is rendezvous hashing: a member prefers the tasks with the highest
 * `hash(member, task)`, and gives up the lowest first. It is stable (a task stays where it is
 * unless a count must change) and spreads tasks without coordination.
 *
 * Example: 8 tasks, members [a, b, c]: targets 3, 3, 2 for sub-topology 0 and 2, 3, 3 for 1.
 */

/**
 * The number of tasks of one sub-topology `self` should run.
 *
 * @example
 * ```ts
 * fairShare(8, ['a', 'b', 'c'], 'c', 0); // 2
 * ```
 */
export function fairShare(tasks: number, members: readonly string[], self: string, subtopology = 0): number {
  const sorted = [...members].sort();
  const n = sorted.length;
  const rank = sorted.indexOf(self);
  if (n === 0 || rank < 0) return 0;
  const extra = (((rank - subtopology) % n) + n) % n < tasks % n ? 1 : 0;
  return Math.floor(tasks / n) + extra;
}

/** A 32-bit FNV-1a hash of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3's fmix32): FNV alone leaves similar strings' hashes close.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Tasks in the order `self` prefers them (rendezvous hashing), most preferred first.
 *
 * @example
 * ```ts
 * preferenceOrder('host-a-1', ['0_0', '0_1', '0_2']); // a stable permutation
 * ```
 */
export function preferenceOrder(self: string, tasks: readonly string[]): string[] {
  return tasks
    .map((t) => ({ t, score: fnv1a(`${self}\u0000${t}`) }))
    .sort((a, b) => b.score - a.score || (a.t < b.t ? -1 : 1))
    .map((x) => x.t);
}
