/**
 * Checkpoint storage in a directory, the embedded default (format in checkpoint-format.ts).
 *
 * Write: each keyed operator's new segments go to one new file in `shared/` (unique name,
 * fsynced, the directory fsynced); every other part to `.chk-N.tmp/small.bin` and its copy; then
 * the manifest and its copy (with the size and SHA-256 of every file the checkpoint reads, its
 * own and the shared ones, and of itself). The temp directory is fsynced and renamed to `chk-N`,
 * the parent directory fsynced, and `LATEST` replaced atomically (tmp + fsync + rename). Only then
 * is the checkpoint complete. Retention keeps the newest `retain` complete checkpoints, then
 * deletes every shared file that no remaining checkpoint refers to: a crash at any step leaves at
 * most files nobody refers to, never a checkpoint that refers to a deleted file.
 *
 * Read: every `chk-*` newest first (`LATEST` only cross-checked). Both copies of the manifest and
 * of the small state are verified: a damaged copy is read from the other one, with a logged
 * warning. A checkpoint whose keyed state (its own or a shared file), or both copies of
 * something, fail their size or checksum is skipped with a logged reason. If checkpoints exist
 * but none is valid, that is a {@link CheckpointCorruptError} naming the file, never a silent
 * fresh start. Reading never deletes anything: the job that holds the directory removes what
 * crashed attempts left when it opens it.
 */
import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CheckpointCorruptError } from '../errors.js';
import { type CheckpointLayout, decodeOperator, filesOf, type KeyedChain, layOut, type OperatorStateToWrite, type RestoredOperator } from './checkpoint-codec.js';
import {
  checkpointDirName,
  type FileEntry,
  FORMAT_VERSION,
  isValidFileRef,
  LATEST_POINTER,
  MANIFEST_COPY,
  MANIFEST_FILE,
  MANIFEST_MAGIC,
  type Manifest,
  parseCheckpointDirName,
  SHARED_DIR,
  SHARED_PREFIX,
  type SinkCommit,
  SMALL_STATE_COPY,
  SMALL_STATE_FILE,
  SUPPORTED_FORMAT_VERSIONS,
} from './checkpoint-format.js';
import type { CheckpointStorage, LoadOptions } from './checkpoint-storage.js';
import type { CheckpointJobInfo, CheckpointLogger, LoadedCheckpoint, SkippedCheckpoint, WrittenCheckpoint } from './checkpoint-types.js';
import { type CommitHistory, readCommitHistory, withEntry, writeCommitHistory } from './commit-record.js';
import { openCheckpointDirectory } from './directory-access.js';
import type { DirectoryLock } from './directory-lock.js';
import { decodeChecksummed, encodeChecksummed, fsyncDir, readOrReason, sha256, writeFileDurably } from './durable-files.js';
import type { FailpointName, FaultHooks } from './failpoints.js';

export type { OperatorStateToWrite, RestoredOperator } from './checkpoint-codec.js';
export type { CheckpointJobInfo, CheckpointLogger, LoadedCheckpoint, SkippedCheckpoint, WrittenCheckpoint } from './checkpoint-types.js';

/**
 * Options of a {@link DirectoryCheckpointStorage}.
 *
 * @example
 * ```ts
 * const storage = new DirectoryCheckpointStorage('/mnt/shared/ck/prices', { retain: 5 });
 * ```
 */
export interface DirectoryStorageOptions {
  /** How many complete checkpoints `write` keeps (default 3). */
  readonly retain?: number;
  /** Where lifecycle messages go (default: warnings on stderr). */
  readonly logger?: CheckpointLogger;
  /**
   * Take the directory's `LOCK` when a job opens it (default true): one job writes a directory.
   * Turn it off only when something else guarantees one writer (the scale-out's task epochs).
   */
  readonly lock?: boolean;
  /** @internal The fault-injection suite's hooks. */
  readonly faults?: FaultHooks;
}

const defaultLogger: CheckpointLogger = { info: () => {}, warn: (m) => process.emitWarning(m, { code: 'WEIR' }) };

/** Hashing and similar work on the job's thread yields after this long, ms. */
const SLICE_MS = 4;
const yieldToJob = () => new Promise<void>((r) => setImmediate(r));

/** SHA-256 of parts, yielding between slices so that a large file does not stall the job. */
async function hashInSlices(parts: readonly Uint8Array[]): Promise<string> {
  const h = createHash('sha256');
  let sliceEnd = performance.now() + SLICE_MS;
  for (const p of parts) {
    h.update(p);
    if (performance.now() > sliceEnd) {
      await yieldToJob();
      sliceEnd = performance.now() + SLICE_MS;
    }
  }
  return h.digest('hex');
}

/**
 * Checkpoints in a directory (`chk-N/` with a checksummed manifest, keyed state in `shared/`,
 * `LATEST`), as `StreamEnvironment` writes them; read them back for tools and tests. The
 * directory may be on a file system that several processes share.
 *
 * @example
 * ```ts
 * const storage = new DirectoryCheckpointStorage('./checkpoints', 3, console);
 * const newest = await storage.latest();
 * console.log(newest?.checkpointId, [...(newest?.operators.keys() ?? [])]);
 * ```
 */
export class DirectoryCheckpointStorage implements CheckpointStorage {
  readonly dir: string;
  private readonly retain: number;
  private readonly logger: CheckpointLogger;
  private readonly faults: FaultHooks | undefined;
  private readonly locking: boolean;
  private lock: DirectoryLock | undefined = undefined;
  private commits: CommitHistory | undefined = undefined;
  /** Files each complete checkpoint refers to (by directory name), as read or written here. */
  private readonly references = new Map<string, ReadonlySet<string>>();

  constructor(dir: string, retainOrOptions: number | DirectoryStorageOptions = {}, logger?: CheckpointLogger) {
    const o: DirectoryStorageOptions = typeof retainOrOptions === 'number' ? { retain: retainOrOptions, logger } : retainOrOptions;
    this.dir = resolve(dir);
    this.retain = o.retain ?? 3;
    this.logger = o.logger ?? logger ?? defaultLogger;
    this.faults = o.faults;
    this.locking = o.lock ?? true;
  }

  get location(): string {
    return this.dir;
  }

  private failpoint(name: FailpointName): void {
    this.faults?.failpoint(name);
  }

  async open(jobName: string): Promise<() => Promise<void>> {
    if (this.locking) this.lock = await openCheckpointDirectory(this.dir, jobName, this.logger);
    else await fs.mkdir(this.dir, { recursive: true });
    const lock = this.lock;
    try {
      await this.removeLeftovers();
    } catch (e) {
      await lock?.release();
      throw e;
    }
    return async () => {
      await lock?.release();
      if (this.lock === lock) this.lock = undefined;
    };
  }

  /** @internal Writes only while `lock` is still this job's (checked before every checkpoint). */
  holdLock(lock: DirectoryLock): void {
    this.lock = lock;
  }

  contains(path: string): boolean {
    return dirname(resolve(path)) === this.dir;
  }

  canExtend(cp: LoadedCheckpoint): boolean {
    if (!this.contains(cp.path) || cp.formatVersion < 3 || cp.savepoint) return false;
    for (const op of cp.operators.values()) {
      for (const p of op.keyedChain?.parts ?? []) if (!p.file?.startsWith(SHARED_PREFIX)) return false;
    }
    return true;
  }

  async write(checkpointId: number, jobName: string, operators: readonly OperatorStateToWrite[], job: CheckpointJobInfo = {}): Promise<WrittenCheckpoint> {
    await this.lock?.verify();
    await fs.mkdir(this.dir, { recursive: true });
    const finalName = checkpointDirName(checkpointId);
    const finalPath = join(this.dir, finalName);
    const tmpPath = join(this.dir, `.${finalName}.tmp`);
    await fs.rm(tmpPath, { recursive: true, force: true });
    await fs.mkdir(tmpPath, { recursive: true });
    this.failpoint('checkpoint.before-write');
    const token = randomBytes(4).toString('hex');
    const layout = layOut(operators, (i) => `${SHARED_PREFIX}${checkpointId}-${i}-${token}.bin`);
    const files: Record<string, FileEntry> = { ...layout.inherited };
    const perOperator: Record<string, number> = {};
    let total = 0;
    if (layout.keyedFiles.length > 0) {
      const shared = join(this.dir, SHARED_DIR);
      await fs.mkdir(shared, { recursive: true });
      for (const k of layout.keyedFiles) {
        // A unique name: a crash before the checkpoint is complete leaves a file nobody refers to.
        const [, digest] = await Promise.all([writeFileDurably(join(tmpPath, k.file), k.parts), hashInSlices(k.parts)]);
        const bytes = k.parts.reduce((n, p) => n + p.length, 0);
        files[k.file] = { bytes, sha256: digest };
        perOperator[k.uid] = bytes;
        total += bytes;
      }
      await fsyncDir(shared);
      this.failpoint('checkpoint.after-shared');
    }
    if (layout.small.length > 0) {
      await Promise.all([writeFileDurably(join(tmpPath, SMALL_STATE_FILE), layout.small), writeFileDurably(join(tmpPath, SMALL_STATE_COPY), layout.small)]);
      this.failpoint('checkpoint.after-part');
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
    this.failpoint('checkpoint.before-rename');
    await fs.rm(finalPath, { recursive: true, force: true });
    await fs.rename(tmpPath, finalPath);
    await fsyncDir(this.dir);
    this.references.set(finalName, new Set(Object.keys(files)));
    this.failpoint('checkpoint.after-rename');
    await this.writePointer(finalName);
    this.failpoint('checkpoint.after-pointer');
    await this.prune();
    let stateBytes = 0;
    for (const [name, f] of Object.entries(files)) if (name !== SMALL_STATE_COPY) stateBytes += f.bytes;
    return { checkpointId, path: finalPath, bytes: total, stateBytes, operators: perOperator, keyed: chainsOf(layout, files) };
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

  /**
   * Reads and verifies one checkpoint directory, reading a damaged redundant file from its copy.
   * With `keyGroups`, only the keyed state of those key groups is read and restored.
   */
  async load(path: string, options: LoadOptions = {}): Promise<LoadedCheckpoint> {
    const manifest = await this.readManifest(path);
    const range = options.keyGroups;
    for (const file of Object.keys(manifest.files)) {
      if (!isValidFileRef(file)) throw new CheckpointCorruptError(join(path, MANIFEST_FILE), `the manifest names a file outside the checkpoint: '${file}'`);
    }
    const needed = new Set<string>();
    for (const entry of manifest.operators) for (const f of filesOf(entry, range)) needed.add(f);
    const data = new Map<string, Buffer>();
    for (const [file, expected] of Object.entries(manifest.files)) {
      if (range !== undefined && !needed.has(file)) continue;
      // A Buffer (read from disk); typed as Uint8Array in the public API, which needs no Node typings.
      data.set(file, (await this.readVerified(path, file, expected)) as Buffer);
    }
    const operators = new Map<string, RestoredOperator>();
    for (const entry of manifest.operators) {
      try {
        operators.set(
          entry.uid,
          decodeOperator(
            entry,
            (file) => {
              const d = data.get(file);
              if (d === undefined) throw new Error(`the manifest lists no file '${file}'`);
              return d;
            },
            manifest.files,
            range,
          ),
        );
      } catch (e) {
        const file = join(path, entry.parts[0]?.file ?? entry.file ?? MANIFEST_FILE);
        throw new CheckpointCorruptError(file, `cannot decode state of '${entry.name}' (${(e as Error).message})`, { cause: e });
      }
    }
    this.failpoint('restore.after-read');
    return {
      checkpointId: manifest.checkpointId,
      path,
      jobName: manifest.jobName,
      formatVersion: manifest.formatVersion,
      savepoint: manifest.savepoint === true,
      jobOperators: manifest.job?.operators,
      sinkRecords: manifest.formatVersion >= 2 ? (manifest.sinkRecords ?? []) : undefined,
      operators,
    };
  }

  /**
   * Deletes what crashed attempts left: temporary checkpoints and pointers, and shared files no
   * complete checkpoint refers to. For the directory's holder.
   */
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
    await this.collectSharedFiles();
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

  /** @internal The manifest of a checkpoint directory, from its copy if it is damaged (version 1 has no copy). */
  async readManifest(path: string): Promise<Manifest> {
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

  /** @internal The verified bytes of `file`; a damaged file with a copy is read from the copy. */
  async readVerified(path: string, file: string, expected: FileEntry): Promise<Uint8Array> {
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
      const shared = file.startsWith(SHARED_PREFIX) ? ' (a shared file: every checkpoint that refers to it is unusable)' : '';
      throw new CheckpointCorruptError(join(path, file), `${primary.reason}${shared}`);
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

  /** Complete checkpoint directories, newest first. */
  private async listCheckpoints(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .map((n) => [n, parseCheckpointDirName(n)] as const)
      .filter((x): x is readonly [string, number] => x[1] !== undefined)
      .sort((a, b) => b[1] - a[1])
      .map((x) => x[0]);
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

  /** Keeps the newest `retain` complete checkpoints, then the shared files they refer to. */
  private async prune(): Promise<void> {
    const names = await this.listCheckpoints();
    const dropped = names.slice(Math.max(1, this.retain));
    for (const n of dropped) {
      // Renamed out of the way first: a crash while deleting leaves a leftover, not a torn `chk-N`.
      const doomed = join(this.dir, `.${n}.deleting`);
      await fs.rename(join(this.dir, n), doomed);
      this.references.delete(n);
      await fs.rm(doomed, { recursive: true, force: true });
      this.failpoint('retention.after-drop-checkpoint');
    }
    if (dropped.length > 0) await fsyncDir(this.dir);
    await this.collectSharedFiles();
  }

  /**
   * Deletes the shared files that no complete checkpoint in the directory refers to. If the
   * references of some checkpoint cannot be read (both manifests damaged), nothing is deleted:
   * an intact copy of that checkpoint may still be put back.
   */
  private async collectSharedFiles(): Promise<void> {
    const sharedDir = join(this.dir, SHARED_DIR);
    let shared: string[];
    try {
      shared = await fs.readdir(sharedDir);
    } catch {
      return;
    }
    if (shared.length === 0) return;
    const referenced = new Set<string>();
    for (const name of await this.listCheckpoints()) {
      let refs = this.references.get(name);
      if (refs === undefined) {
        try {
          refs = new Set(Object.keys((await this.readManifest(join(this.dir, name))).files));
        } catch (e) {
          this.logger.warn(`Keeping every shared file: the files checkpoint ${name} refers to are not known (${(e as Error).message})`);
          return;
        }
        this.references.set(name, refs);
      }
      for (const f of refs) referenced.add(f);
    }
    let removed = 0;
    for (const f of shared) {
      if (referenced.has(`${SHARED_PREFIX}${f}`)) continue;
      await fs.rm(join(sharedDir, f), { force: true });
      removed++;
      this.failpoint('retention.after-drop-shared');
    }
    if (removed > 0) await fsyncDir(sharedDir);
  }
}

/** Each keyed operator's chains with the entries of the files they are in. */
function chainsOf(layout: CheckpointLayout, files: Readonly<Record<string, FileEntry>>): Map<string, KeyedChain> {
  const out = new Map<string, KeyedChain>();
  for (const [uid, c] of layout.chains) {
    const own: Record<string, FileEntry> = {};
    for (const p of c.parts) if (p.file !== undefined && files[p.file] !== undefined) own[p.file] = files[p.file]!;
    out.set(uid, { maxParallelism: c.maxParallelism, parts: c.parts, files: own });
  }
  return out;
}
