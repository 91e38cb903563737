/**
 * Which partition of a repartition stream a key goes to: its key group's range, as Flink assigns
 * key groups to parallel operator instances (`KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup`):
 * `partition = floor(keyGroup * partitions / maxParallelism)`. Partition `q` therefore holds the
 * contiguous key groups `[ceil(q * M / N), ceil((q + 1) * M / N))`, so a task's keyed state is one
 * key-group range, the unit a checkpoint can be restored by.
 *
 * Worked example, 128 key groups over 8 partitions: key groups 0..15 go to partition 0, 16..31 to 1.
 */
import { keyGroupOf } from '../../state/key-groups.js';

/**
 * The partition (0-based) of key group `keyGroup` when `maxParallelism` key groups are spread
 * over `partitions` partitions.
 *
 * @example
 * ```ts
 * partitionOfKeyGroup(20, 128, 8); // 1
 * ```
 */
export function partitionOfKeyGroup(keyGroup: number, maxParallelism: number, partitions: number): number {
  return Math.floor((keyGroup * partitions) / maxParallelism);
}

/**
 * The key groups of partition `partition`: `[start, end)`.
 *
 * @example
 * ```ts
 * keyGroupRangeOf(1, 128, 8); // { start: 16, end: 32 }
 * ```
 */
export function keyGroupRangeOf(partition: number, maxParallelism: number, partitions: number): { readonly start: number; readonly end: number } {
  return { start: Math.ceil((partition * maxParallelism) / partitions), end: Math.ceil(((partition + 1) * maxParallelism) / partitions) };
}

/** A partitioner of keys by key-group range. */
export function keyGroupRangePartitioner(maxParallelism: number, partitions: number): (key: unknown) => number {
  return (key) => partitionOfKeyGroup(keyGroupOf(key, maxParallelism), maxParallelism, partitions);
}
