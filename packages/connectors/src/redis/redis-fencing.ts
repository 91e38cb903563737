/**
 * Fencing of a task's commits in Redis (scale-out, docs/scale-out.md): every script that makes a
 * task's work visible (publishing a sink transaction, committing source offsets, dropping staged
 * transactions) first checks, atomically in the same script, that the task's epoch is still the
 * one its instance acquired, and refuses (returns -2) otherwise. Kafka fences zombie producers
 * with their producer epoch the same way.
 *
 * Scripts take the fence as one key (where the coordinator keeps the task's epoch) and one
 * argument (the epoch, or '' when the sink or source runs outside a scaled-out job).
 * @internal
 */
import { TaskFencedError, type TaskFence } from '@weir/core';
import type { Redis } from 'ioredis';

/** The Lua lines of the check; `k` and `a` are the indexes of the fence key and argument. */
export const fenceCheck = (k: number, a: number) =>
  `if ARGV[${a}] ~= '' and redis.call('GET', KEYS[${k}]) ~= ARGV[${a}] then return -2 end`;

/** Key and argument of a fence for a script (a harmless key and '' when unfenced). */
export function fenceArgs(fence: TaskFence | undefined, unfencedKey: string): [key: string, epoch: string] {
  if (fence === undefined) return [unfencedKey, ''];
  return [fence.key, String(fence.epoch)];
}

/** The error for a refused commit, with the epoch Redis holds now. */
export async function fencedError(client: Redis, fence: TaskFence, taskId: string, what: string): Promise<TaskFencedError> {
  const now = await client.get(fence.key).catch(() => null);
  const current = now === null ? undefined : Number(now);
  return new TaskFencedError(
    taskId,
    fence.epoch,
    current,
    `fenced: ${what} of task ${taskId} refused: this instance holds epoch ${fence.epoch}, the task is at epoch ${current ?? 'unknown'} (another instance took it over)`,
  );
}
