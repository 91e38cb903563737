/**
 * Checkpoint storage in a local directory, the embedded default (format in checkpoint-format.ts).
 *
 * Write: keyed state goes to `.chk-N.tmp/op-i.bin`, every other part to `small.bin` and its copy
 * (each file fsynced), then the manifest and its copy (with the SHA-256 of every file and of
 * itself); the temp directory is fsynced and renamed to `chk-N`, the parent directory fsynced,
 * and `LATEST` replaced atomically (tmp + fsync + rename). Only then is the checkpoint complete;
 * the newest `retain` complete checkpoints are kept.
 *
 * Read: every `chk-*` newest first (`LATEST` only cross-checked). Both copies of the manifest and
 * of the small state are verified: a damaged copy is read from the other one, with a logged
 * warning. A checkpoint whose keyed state, or both copies of something, fail their size or
 * checksum is skipped with a logged reason. If checkpoints exist but none is valid, that is a
 * {@link CheckpointCorruptError} naming the file, never a silent fresh start. Reading never
 * deletes anything: the job that holds the directory removes leftovers of crashed attempts.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { CheckpointCorruptError } from '../errors.js';
import { decodeOperator, layOut, type OperatorStateToWrite, type RestoredOperator } from './checkpoint-codec.js';
import {
  checkpointDirName,
  type FileEntry,
  FORMAT_VERSION,
  type JobOperator,
  LATEST_POINTER,
  MANIFEST_COPY,
  MANIFEST_FILE,
  MANIFEST_MAGIC,
  type Manifest,
  parseCheckpointDirName,
  type SinkCommit,
  SMALL_STATE_COPY,
  SMALL_STATE_FILE,
  SUPPORTED_FORMAT_VERSIONS,
} from './checkpoint-format.js';
import { type CommitHistory, readCommitHistory, withEntry, writeCommitHistory } from './commit-record.js';
import type { DirectoryLock } from './directory-lock.js';
import { decodeChecksummed, encodeChecksummed, fsyncDir, readOrReason, sha256, writeFileDurably } from './durable-files.js';
import { brokenVariant, failpoint } from './failpoints.js';

export type { OperatorStateToWrite, RestoredOperator } from './checkpoint-codec.js';

/** Where checkpoint lifecycle messages go. */
export interface CheckpointLogger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * A checkpoint read back from storage.
 *
 * @example
 * ```ts
 * const cp: LoadedCheckpoint | undefined = await storage.latest();
 * if (cp) console.log(cp.checkpointId, cp.jobName, cp.path, [...cp.operators.keys()]);
 * ```
 */
export interface LoadedCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly jobName: string;
  /** Every operator (uid and kind) of the job that wrote it; undefined for format version 1. */
  readonly jobOperators?: readonly JobOperator[];
  /** Records each sink commits with this checkpoint; undefined for format version 1 (not recorded). */
  readonly sinkRecords?: readonly SinkCommit[];
  readonly operators: ReadonlyMap<string, RestoredOperator>;
}

/** What a checkpoint records about the job besides its state. */
export interface CheckpointJobInfo {
  /** Every operator (uid and kind) of the job, to recognise it on restore. */
  readonly operators?: readonly JobOperator[];
  /** Records each transactional sink commits with this checkpoint. */
  readonly sinkRecords?: readonly SinkCommit[];
}

/** A checkpoint `latest` passed over, and why. */
export interface SkippedCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly error: CheckpointCorruptError;
}

/** Result of a completed write. */
export interface WrittenCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly bytes: number;
  /** Bytes written per operator uid. */
  readonly operators: Readonly<Record<string, number>>;
}

/**
 * Checkpoints in a local directory (`chk-N/` with a checksummed manifest, `LATEST`), as
 * `StreamEnvironment` writes them; read them back for tools and tests. `retain` is how many
 * complete checkpoints `write` keeps.
 *
 * @example
 * ```ts
 * const storage = new DirectoryCheckpointStorage('./checkpoints', 3, console);
 * const newest = await storage.latest();
 * console.log(newest?.checkpointId, [...(newest?.operators.keys() ?? [])]);
 * ```
 */
export class DirectoryCheckpointStorage {
  private lock: DirectoryLock | undefined = undefined;
  private commits: CommitHistory | undefined = undefined;

  constructor(
    readonly dir: string,
    private readonly retain: number,
    private readonly logger: CheckpointLogger,
  ) {}

  /** @internal Writes only while `lock` is still this job's (checked before every checkpoint). */
  holdLock(lock: DirectoryLock): void {
    this.lock = lock;
  }

  async write(checkpointId: number, jobName: string, operators: readonly OperatorStateToWrite[], job: CheckpointJobInfo = {}): Promise<WrittenCheckpoint> {
    await this.lock?.verify();
    await fs.mkdir(this.dir, { recursive: true });
    const inPlace = brokenVariant('checkpoint-in-place');
    const finalName = inPlace ? 'chk-inplace' : checkpointDirName(checkpointId);
    const finalPath = join(this.dir, finalName);
    const tmpPath = inPlace ? finalPath : join(this.dir, `.${finalName}.tmp`);
    if (inPlace) await this.writePointer(finalName);
    else await fs.rm(tmpPath, { recursive: true, force: true });
    await fs.mkdir(tmpPath, { recursive: true });
    failpoint('checkpoint.before-write');
    const layout = layOut(operators);
    const files: Record<string, FileEntry> = {};
    const perOperator: Record<string, number> = {};
    let total = 0;
    for (const k of layout.keyedFiles) {
      await writeFileDurably(join(tmpPath, k.file), k.parts);
      failpoint('checkpoint.after-part');
      const bytes = k.parts.reduce((n, p) => n + p.length, 0);
      files[k.file] = { bytes, sha256: sha256(k.parts) };
      perOperator[k.uid] = bytes;
      total += bytes;
    }
    if (layout.small.length > 0) {
      await Promise.all([writeFileDurably(join(tmpPath, SMALL_STATE_FILE), layout.small), writeFileDurably(join(tmpPath, SMALL_STATE_COPY), layout.small)]);
      failpoint('checkpoint.after-part');
      const bytes = layout.small.reduce((n, p) => n + p.length, 0);
      files[SMALL_STATE_FILE] = { bytes, sha256: sha256(layout.small), copy: SMALL_STATE_COPY };
      total += 2 * bytes;
      for (const e of layout.entries) {
        const small = e.parts.filter((p) => p.file === SMALL_STATE_FILE).reduce((n, p) => n + p.length, 0);
        if (small > 0) perOperator[e.uid] = (perOperator[e.uid] ?? 0) + small;
      }
    }
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      checkpointId,
      jobName,
      timestamp: Date.now(),
      ...(job.operators ? { job: { operators: job.operators } } : {}),
      operators: layout.entries,
      files,
      ...(job.sinkRecords ? { sinkRecords: job.sinkRecords } : {}),
    };
    const manifestBytes = encodeChecksummed(MANIFEST_MAGIC, FORMAT_VERSION, JSON.stringify(manifest));
    await Promise.all([writeFileDurably(join(tmpPath, MANIFEST_FILE), [manifestBytes]), writeFileDurably(join(tmpPath, MANIFEST_COPY), [manifestBytes])]);
    await fsyncDir(tmpPath);
    failpoint('checkpoint.before-rename');
    if (!inPlace) {
      await fs.rm(finalPath, { recursive: true, force: true });
      await fs.rename(tmpPath, finalPath);
      await fsyncDir(this.dir);
      failpoint('checkpoint.after-rename');
      await this.writePointer(finalName);
      failpoint('checkpoint.after-pointer');
      await this.prune();
    }
    return { checkpointId, path: finalPath, bytes: total, operators: perOperator };
  }

  /**
   * The highest checkpoint id the directory has seen (0 when none), valid or not, including
   * checkpoints whose output was committed and that are gone since: new ids go above it.
   */
  async highestId(): Promise<number> {
    let max = (await this.commitHistory()).through;
    for (const n of await this.listCheckpoints()) max = Math.max(max, parseCheckpointDirName(n) ?? 0);
    return max;
  }

  /** The newest valid checkpoint, undefined if there is none at all. */
  async latest(): Promise<LoadedCheckpoint | undefined> {
    const { loaded, skipped } = await this.scan();
    if (loaded === undefined && skipped.length > 0) throw skipped[0]!.error;
    return loaded;
  }

  /** The newest valid checkpoint (if any) and the newer ones passed over as unusable, newest first. */
  async scan(): Promise<{ loaded: LoadedCheckpoint | undefined; skipped: SkippedCheckpoint[] }> {
    const names = await this.listCheckpoints();
    // The newest complete directory wins: a directory is renamed into place only when complete,
    // so LATEST is a hint for people and tools, never trusted over a newer valid checkpoint (a
    // flipped bit in it must not make a restore pick an older one).
    const pointer = names.length > 0 ? await this.readPointer() : undefined;
    const skipped: SkippedCheckpoint[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      try {
        const loaded = await this.load(path);
        if (pointer !== undefined && pointer !== name) this.logger.warn(`LATEST names '${pointer}', but the newest complete checkpoint is '${name}'; using '${name}'`);
        return { loaded, skipped };
      } catch (e) {
        if (!(e instanceof CheckpointCorruptError)) throw e;
        skipped.push({ checkpointId: parseCheckpointDirName(name) ?? 0, path, error: e });
        this.logger.warn(`Skipping checkpoint ${name}: ${e.message}`);
      }
    }
    return { loaded: undefined, skipped };
  }

  /** Reads and verifies one checkpoint directory, reading a damaged redundant file from its copy. */
  async load(path: string): Promise<LoadedCheckpoint> {
    const manifest = await this.readManifest(path);
    const data = new Map<string, Buffer>();
    for (const [file, expected] of Object.entries(manifest.files)) data.set(file, await this.readVerified(path, file, expected));
    const operators = new Map<string, RestoredOperator>();
    for (const entry of manifest.operators) {
      try {
        operators.set(
          entry.uid,
          decodeOperator(entry, (file) => {
            const d = data.get(file);
            if (d === undefined) throw new Error(`the manifest lists no file '${file}'`);
            return d;
          }),
        );
      } catch (e) {
        const file = join(path, entry.parts[0]?.file ?? entry.file ?? MANIFEST_FILE);
        throw new CheckpointCorruptError(file, `cannot decode state of '${entry.name}' (${(e as Error).message})`, { cause: e });
      }
    }
    failpoint('restore.after-read');
    return {
      checkpointId: manifest.checkpointId,
      path,
      jobName: manifest.jobName,
      jobOperators: manifest.job?.operators,
      sinkRecords: manifest.formatVersion >= 2 ? (manifest.sinkRecords ?? []) : undefined,
      operators,
    };
  }

  /** Deletes what crashed attempts left (temporary checkpoints and pointers); for the directory's holder. */
  async removeLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.chk-') || (n.endsWith('.tmp') && /^(LATEST|COMMITTED|LOCK)\b/.test(n))) {
        this.logger.warn(`Removing ${n}: left over by a checkpoint that never completed`);
        await fs.rm(join(this.dir, n), { recursive: true, force: true });
      }
    }
  }

  /** Which checkpoints' output the sinks committed (commit-record.ts). */
  async commitHistory(): Promise<CommitHistory> {
    this.commits ??= await readCommitHistory(this.dir, this.logger);
    return this.commits;
  }

  /**
   * Records, durably and before the sinks commit, that checkpoint `checkpointId` is being
   * committed: `sinks` says how many records each sink makes visible (null: not known).
   * @internal
   */
  async recordCommit(checkpointId: number, jobName: string, sinks: readonly SinkCommit[] | null): Promise<void> {
    const next = withEntry(await this.commitHistory(), jobName, { checkpointId, sinks });
    await writeCommitHistory(this.dir, next);
    this.commits = next;
  }

  /** The manifest, from its copy if it is damaged (version 1 has no copy). */
  private async readManifest(path: string): Promise<Manifest> {
    const read = async (file: string): Promise<{ manifest: Manifest } | { missing: boolean; reason: string }> => {
      const r = await readOrReason(join(path, file));
      if (!('data' in r)) return r;
      const decoded = decodeChecksummed(r.data, MANIFEST_MAGIC, (v) => SUPPORTED_FORMAT_VERSIONS.includes(v), 'checkpoint manifest');
      if (!decoded.ok) {
        const versions = decoded.reason.startsWith('format version') ? ` (this weir reads versions ${SUPPORTED_FORMAT_VERSIONS.join(', ')})` : '';
        return { missing: false, reason: `${decoded.reason}${versions}` };
      }
      return { manifest: JSON.parse(decoded.body) as Manifest };
    };
    const primaryPath = join(path, MANIFEST_FILE);
    const copyPath = join(path, MANIFEST_COPY);
    const [primary, copy] = await Promise.all([read(MANIFEST_FILE), read(MANIFEST_COPY)]);
    if ('manifest' in primary) {
      if (!('manifest' in copy) && !(copy.missing && primary.manifest.formatVersion === 1)) {
        this.logger.warn(`Checkpoint ${path}: the copy '${copyPath}' is damaged (${copy.reason}); '${primaryPath}' is intact`);
      }
      return primary.manifest;
    }
    if ('manifest' in copy) {
      this.logger.warn(`Checkpoint ${path}: '${primaryPath}' is damaged (${primary.reason}); read its copy '${copyPath}' instead`);
      return copy.manifest;
    }
    const also = copy.missing ? '' : `; its copy '${copyPath}' too: ${copy.reason}`;
    throw new CheckpointCorruptError(primaryPath, `${primary.reason}${also}`);
  }

  /** The verified bytes of `file`; a damaged file with a copy is read from the copy. */
  private async readVerified(path: string, file: string, expected: FileEntry): Promise<Buffer> {
    const check = async (name: string): Promise<{ data: Buffer } | { reason: string }> => {
      const r = await readOrReason(join(path, name));
      if (!('data' in r)) return { reason: r.reason };
      if (r.data.length !== expected.bytes) return { reason: `size ${r.data.length} bytes, manifest says ${expected.bytes}` };
      if (sha256([r.data]) !== expected.sha256) return { reason: 'checksum mismatch (corrupted)' };
      return r;
    };
    const primary = await check(file);
    if (expected.copy === undefined) {
      if ('data' in primary) return primary.data;
      throw new CheckpointCorruptError(join(path, file), primary.reason);
    }
    const copy = await check(expected.copy);
    if ('data' in primary) {
      if (!('data' in copy)) this.logger.warn(`Checkpoint ${path}: the copy '${join(path, expected.copy)}' is damaged (${copy.reason}); '${join(path, file)}' is intact`);
      return primary.data;
    }
    if ('data' in copy) {
      this.logger.warn(`Checkpoint ${path}: '${join(path, file)}' is damaged (${primary.reason}); read its copy '${join(path, expected.copy)}' instead`);
      return copy.data;
    }
    throw new CheckpointCorruptError(join(path, file), `${primary.reason}; its copy '${join(path, expected.copy)}' too: ${copy.reason}`);
  }

  private async listCheckpoints(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const inPlace = names.includes('chk-inplace') ? ['chk-inplace'] : [];
    const ids = names
      .map((n) => [n, parseCheckpointDirName(n)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined)
      .sort((a, b) => b[1] - a[1])
      .map((x) => x[0]);
    return [...inPlace, ...ids];
  }

  private async readPointer(): Promise<string | undefined> {
    try {
      return (await fs.readFile(join(this.dir, LATEST_POINTER), 'utf8')).trim();
    } catch {
      return undefined;
    }
  }

  private async writePointer(name: string): Promise<void> {
    const tmp = join(this.dir, `${LATEST_POINTER}.tmp`);
    await writeFileDurably(tmp, [Buffer.from(`${name}\n`)]);
    await fs.rename(tmp, join(this.dir, LATEST_POINTER));
    await fsyncDir(this.dir);
  }

  private async prune(): Promise<void> {
    const names = (await this.listCheckpoints()).filter((n) => n !== 'chk-inplace');
    for (const n of names.slice(Math.max(1, this.retain))) await fs.rm(join(this.dir, n), { recursive: true, force: true });
  }
}
