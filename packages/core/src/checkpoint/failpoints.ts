/**
 * Named failpoints on the commit, restore and retention path, for the fault-injection suite. The
 * suite's harness passes a {@link FaultHooks} object to the job (`ExecutionOptions.faults`, and
 * the directory storage's `faults` option); production code calls `faults?.failpoint(name)` at
 * each point, which costs one property read when no harness is there. Nothing here reads the
 * environment or decides anything: what a hook does (the suite kills the process at the n-th
 * hit) is the harness's business.
 * @internal
 */

/** Every failpoint, in the order a checkpoint (then a restore) passes them. */
export const FAILPOINTS = [
  'checkpoint.before-write',
  'checkpoint.after-shared',
  'checkpoint.after-part',
  'checkpoint.before-rename',
  'checkpoint.after-rename',
  'checkpoint.after-pointer',
  'retention.after-drop-checkpoint',
  'retention.after-drop-shared',
  'sink.before-commit',
  'sink.after-commit',
  'restore.after-read',
  'restore.after-recover',
] as const;

/** The name of a failpoint. */
export type FailpointName = (typeof FAILPOINTS)[number];

/** What a fault-injection harness hooks into the commit, restore and retention path. */
export interface FaultHooks {
  /** Called when the job passes failpoint `name`. */
  failpoint(name: FailpointName): void;
}
