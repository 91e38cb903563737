/**
 * The commit record of a checkpoint directory: which checkpoints' output the sinks committed,
 * kept outside the checkpoints themselves so that it survives a damaged or deleted checkpoint.
 *
 * Right after checkpoint N is durable and before the sinks commit its transactions, the runtime
 * appends `{ checkpointId: N, sinks: [{ uid, name, records }] }` (records each transactional
 * sink received since the previous checkpoint, i.e. what its commit makes visible) and writes
 * the record twice, `COMMITTED` and `COMMITTED.copy`, each `WEIR-COMMITTED 1 <sha256>\n<JSON>`
 * (tmp + fsync + rename). Written before the commit, an entry means "the commit of N may have
 * happened": a crash between the record and the commit errs on the side of refusing a fallback.
 * Checkpoints whose sinks received nothing get no entry.
 *
 * A restore that would fall back to checkpoint M < N replays and commits again the records of
 * the entries after M; restore-choice.ts refuses that unless asked explicitly. Example: entries
 * 41 (120 records) and 42 (96 records), chk-42 damaged: falling back to chk-41 repeats 96.
 * @internal
 */
import { join } from 'node:path';
import type { SinkCommit } from './checkpoint-format.js';
import type { CheckpointLogger } from './directory-storage.js';
import { decodeChecksummed, encodeChecksummed, readOrReason, replaceFilesDurably } from './durable-files.js';

export const COMMIT_RECORD = 'COMMITTED';
export const COMMIT_RECORD_COPY = 'COMMITTED.copy';
const MAGIC = 'WEIR-COMMITTED';
const VERSION = 1;
/** Entries kept; older ones are summarised by `trimmedThrough`. */
const MAX_ENTRIES = 256;

/**
 * One checkpoint whose output the sinks committed (or were committing), with the records per sink.
 *
 * @example
 * ```ts
 * const entry: CommitEntry = { checkpointId: 42, sinks: [{ uid: 'out', name: 'File Sink', records: 96 }] };
 * ```
 */
export interface CommitEntry {
  readonly checkpointId: number;
  /** null: the sinks committed something, how much is not known (a restored transaction). */
  readonly sinks: readonly SinkCommit[] | null;
}

/**
 * The commit record of a checkpoint storage: which checkpoints' output the sinks committed.
 *
 * @example
 * ```ts
 * const history = await storage.commitHistory();
 * console.log(history.through, history.entries.at(-1)?.sinks);
 * ```
 */
export interface CommitHistory {
  readonly jobName: string | undefined;
  /** The newest checkpoint whose output was (or was being) committed; 0: none. */
  readonly through: number;
  /** Entries up to this id were dropped (their counts are not known any more). */
  readonly trimmedThrough: number;
  readonly entries: readonly CommitEntry[];
  /** Set when both copies exist but neither is readable: nothing is known. */
  readonly unreadable?: string;
}

const EMPTY: CommitHistory = { jobName: undefined, through: 0, trimmedThrough: 0, entries: [] };

/** Reads the record, preferring the copy with the newer entry; warns about a damaged copy. */
export async function readCommitHistory(dir: string, logger: CheckpointLogger): Promise<CommitHistory> {
  const found: CommitHistory[] = [];
  const damaged: string[] = [];
  for (const name of [COMMIT_RECORD, COMMIT_RECORD_COPY]) {
    const path = join(dir, name);
    const r = await readOrReason(path);
    if (!('data' in r)) {
      if (!r.missing) damaged.push(`'${path}': ${r.reason}`);
      continue;
    }
    const decoded = decodeChecksummed(r.data, MAGIC, (v) => v === VERSION, 'commit record');
    if (!decoded.ok) {
      damaged.push(`'${path}': ${decoded.reason}`);
      continue;
    }
    try {
      found.push(JSON.parse(decoded.body) as CommitHistory);
    } catch (e) {
      damaged.push(`'${path}': ${(e as Error).message}`);
    }
  }
  if (found.length === 0) return damaged.length === 0 ? EMPTY : { ...EMPTY, unreadable: damaged.join('; ') };
  if (damaged.length > 0) logger.warn(`Commit record copy damaged, using the other copy: ${damaged.join('; ')}`);
  return found.reduce((a, b) => (b.through > a.through ? b : a));
}

/** The record with `entry` added (entries in id order, the oldest dropped beyond the limit). */
export function withEntry(history: CommitHistory, jobName: string, entry: CommitEntry): CommitHistory {
  const entries = [...history.entries.filter((e) => e.checkpointId !== entry.checkpointId), entry].sort((a, b) => a.checkpointId - b.checkpointId);
  const dropped = entries.splice(0, Math.max(0, entries.length - MAX_ENTRIES));
  return {
    jobName,
    through: Math.max(history.through, entry.checkpointId),
    trimmedThrough: Math.max(history.trimmedThrough, ...dropped.map((e) => e.checkpointId)),
    entries,
  };
}

/** Writes both copies durably. */
export async function writeCommitHistory(dir: string, history: CommitHistory): Promise<void> {
  const { unreadable: _, ...clean } = history;
  const data = encodeChecksummed(MAGIC, VERSION, JSON.stringify(clean));
  await replaceFilesDurably([
    { path: join(dir, COMMIT_RECORD), data },
    { path: join(dir, COMMIT_RECORD_COPY), data },
  ]);
}

/**
 * What falling back from the newest committed checkpoint to `fallbackId` would commit again,
 * per sink name; `known` is false when some of it is not recorded.
 */
export function repeatedAfter(history: CommitHistory, fallbackId: number): { total: number; bySink: Record<string, number>; known: boolean } {
  const bySink: Record<string, number> = {};
  let total = 0;
  let known = fallbackId >= history.trimmedThrough;
  for (const e of history.entries) {
    if (e.checkpointId <= fallbackId) continue;
    if (e.sinks === null) {
      known = false;
      continue;
    }
    for (const s of e.sinks) {
      bySink[s.name] = (bySink[s.name] ?? 0) + s.records;
      total += s.records;
    }
  }
  return { total, bySink, known };
}
