/**
 * The typed error of a fenced task: a commit (sink transaction, source offsets) for a task whose
 * epoch moved on was refused. The instance that sees it was paused or cut off past its lease and
 * another instance runs the task now; it leaves the group (Kafka's `ProducerFencedException`).
 */
import { WeirError } from '../../errors.js';

/**
 * A commit was refused because the task belongs to a newer epoch now.
 *
 * @example
 * ```ts
 * try { await instance.done; } catch (e) { if (e instanceof TaskFencedError) console.error(`task ${e.taskId}: epoch ${e.epoch} < ${e.currentEpoch}`); }
 * ```
 */
export class TaskFencedError extends WeirError {
  constructor(
    readonly taskId: string,
    readonly epoch: number,
    /** The task's epoch when the commit was refused (undefined: the task's epoch record is gone). */
    readonly currentEpoch: number | undefined,
    message: string,
  ) {
    super('TASK_FENCED', message);
  }
}

/** True when `e` or one of its causes is a {@link TaskFencedError}. */
export function findFenced(e: unknown): TaskFencedError | undefined {
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 10; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof TaskFencedError) return x;
  }
  return undefined;
}
