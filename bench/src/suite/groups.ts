/**
 * Every group of the suite, in report order.
 */
import { asyncGroup } from './async-groups.js';
import type { BenchGroup } from './group.js';
import { nexmarkGroups } from './nexmark-groups.js';
import { checkpointGroup, memoryGroup } from './state-groups.js';
import { otherWindowsGroup, rollingGroup, slidingGroup, tumblingGroup } from './window-groups.js';

/**
 * The suite: micro groups (G1-G6, G8), Async I/O (G9), then one group per Nexmark query (G7).
 *
 * @example
 * ```ts
 * ALL_GROUPS.map((g) => g.id); // ['tumbling', 'sliding', ..., 'nexmark-q12']
 * ```
 */
export const ALL_GROUPS: readonly BenchGroup[] = [tumblingGroup, slidingGroup, rollingGroup, checkpointGroup, memoryGroup, otherWindowsGroup, asyncGroup, ...nexmarkGroups];

/**
 * The group with the given id.
 *
 * @example
 * ```ts
 * groupById('tumbling')?.title; // 'G1/G2 keyed tumbling sum'
 * ```
 */
export function groupById(id: string): BenchGroup | undefined {
  return ALL_GROUPS.find((g) => g.id === id);
}
