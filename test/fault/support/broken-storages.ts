/**
 * Deliberately broken checkpoint storages, for the fault suite's negative controls: each breaks
 * one rule of the commit protocol, and the same checks that pass for the real storage must catch
 * it. They wrap the directory storage the child job would use and are passed in by the harness
 * (the engine has no switch for them).
 *
 * - `commit-before-durable`: `write` resolves before the checkpoint is durable, so the sinks
 *   commit output whose checkpoint a crash then loses (duplicates on replay).
 * - `checkpoint-in-place`: the previous complete checkpoints are destroyed before the new one is
 *   complete (as writing a checkpoint over the last one would), so a crash leaves none.
 * - `chain-drops-base`: a delta's manifest refers only to the new segments, not to the chain
 *   under them, so a restore from it loses state.
 * - `prune-referenced`: retention keeps only the files the newest checkpoint refers to, deleting
 *   files that older retained checkpoints still need (dangling references).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointStorage, DirectoryCheckpointStorage, LoadedCheckpoint, OperatorStateToWrite } from '@weir/core';

export const BROKEN_VARIANTS = ['commit-before-durable', 'checkpoint-in-place', 'chain-drops-base', 'prune-referenced'] as const;
export type BrokenVariant = (typeof BROKEN_VARIANTS)[number];

/** Delegates everything to `inner`; subclasses break `write`. */
class Delegating implements CheckpointStorage {
  constructor(protected readonly inner: DirectoryCheckpointStorage) {}
  get location(): string {
    return this.inner.location;
  }
  open(jobName: string) {
    return this.inner.open(jobName);
  }
  write(...args: Parameters<CheckpointStorage['write']>) {
    return this.inner.write(...args);
  }
  scan() {
    return this.inner.scan();
  }
  load(...args: Parameters<CheckpointStorage['load']>) {
    return this.inner.load(...args);
  }
  contains(path: string): boolean {
    return this.inner.contains(path);
  }
  canExtend(cp: LoadedCheckpoint): boolean {
    return this.inner.canExtend(cp);
  }
  highestId() {
    return this.inner.highestId();
  }
  commitHistory() {
    return this.inner.commitHistory();
  }
  recordCommit(...args: Parameters<CheckpointStorage['recordCommit']>) {
    return this.inner.recordCommit(...args);
  }
}

class CommitBeforeDurable extends Delegating {
  private previous: Promise<unknown> = Promise.resolve();
  override async write(...args: Parameters<CheckpointStorage['write']>) {
    await this.previous;
    // Durable later, in the background; the caller is told it is done now.
    this.previous = this.inner.write(...args).catch(() => {});
    const [checkpointId] = args;
    return { checkpointId, path: join(this.location, `chk-${String(checkpointId).padStart(10, '0')}`), bytes: 0, stateBytes: 0, operators: {}, keyed: new Map() };
  }
}

class CheckpointInPlace extends Delegating {
  override async write(...args: Parameters<CheckpointStorage['write']>) {
    for (const n of await fs.readdir(this.location)) if (/^chk-\d{10}$/.test(n)) await fs.rm(join(this.location, n), { recursive: true, force: true });
    return this.inner.write(...args);
  }
}

class ChainDropsBase extends Delegating {
  override write(checkpointId: number, jobName: string, operators: readonly OperatorStateToWrite[], job?: Parameters<CheckpointStorage['write']>[3]) {
    const forgetful = operators.map((o) => (o.keyed?.base === undefined ? o : { ...o, keyed: { ...o.keyed, base: { ...o.keyed.base, parts: [], files: {} } } }));
    return this.inner.write(checkpointId, jobName, forgetful, job);
  }
}

class PruneReferenced extends Delegating {
  override async write(...args: Parameters<CheckpointStorage['write']>) {
    const written = await this.inner.write(...args);
    const raw = await fs.readFile(join(written.path, 'manifest'), 'utf8');
    const newest = new Set(Object.keys((JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { files: Record<string, unknown> }).files));
    const shared = join(this.location, 'shared');
    for (const f of await fs.readdir(shared).catch(() => [] as string[])) if (!newest.has(`../shared/${f}`)) await fs.rm(join(shared, f), { force: true });
    return written;
  }
}

/** The broken storage `variant` around `inner`. */
export function brokenStorage(variant: string, inner: DirectoryCheckpointStorage): CheckpointStorage {
  switch (variant as BrokenVariant) {
    case 'commit-before-durable':
      return new CommitBeforeDurable(inner);
    case 'checkpoint-in-place':
      return new CheckpointInPlace(inner);
    case 'chain-drops-base':
      return new ChainDropsBase(inner);
    case 'prune-referenced':
      return new PruneReferenced(inner);
  }
  throw new Error(`unknown broken variant '${variant}'`);
}
