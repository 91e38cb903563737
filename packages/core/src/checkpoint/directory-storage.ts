/**
 * Checkpoint storage in a local directory, the embedded default (format in checkpoint-format.ts).
 *
 * Write: parts go to `.chk-N.tmp/op-i.bin` (each file fsynced), then the manifest (with the
 * SHA-256 of every file and of itself), the temp directory is fsynced and renamed to `chk-N`,
 * the parent directory fsynced, and `LATEST` replaced atomically (tmp + fsync + rename). Only
 * then is the checkpoint complete; the newest `retain` complete checkpoints are kept.
 *
 * Read: every `chk-*` newest first (`LATEST` only cross-checked). A checkpoint whose manifest or any
 * file fails its size or checksum is skipped with a logged reason; leftover temp directories are
 * removed with a logged reason. If checkpoints exist but none is valid, that is a
 * {@link CheckpointCorruptError} naming the file, never a silent fresh start.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CheckpointCorruptError } from '../errors.js';
import type { KeyGroupSnapshot, KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import {
  checkpointDirName,
  FORMAT_VERSION,
  LATEST_POINTER,
  MANIFEST_MAGIC,
  type Manifest,
  type OperatorEntry,
  type PartRef,
  parseCheckpointDirName,
} from './checkpoint-format.js';
import { brokenVariant, failpoint } from './failpoints.js';

/** Where checkpoint lifecycle messages go. */
export interface CheckpointLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** The state of one operator or source to be written. */
export interface OperatorStateToWrite {
  readonly uid: string;
  readonly name: string;
  readonly keyed?: KeyedStateSnapshot;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  /** Event-time position (watermark, generator state); not state in the sense of uid mapping. */
  readonly time?: unknown;
}

/** A restored operator's state. */
export interface RestoredOperator {
  readonly uid: string;
  readonly name: string;
  readonly keyed?: KeyedStateSnapshot;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  readonly hasPosition: boolean;
  readonly time?: unknown;
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
  readonly operators: ReadonlyMap<string, RestoredOperator>;
}

/** Result of a completed write. */
export interface WrittenCheckpoint {
  readonly checkpointId: number;
  readonly path: string;
  readonly bytes: number;
  /** Bytes written per operator uid. */
  readonly operators: Readonly<Record<string, number>>;
}

const sha256 = (bufs: readonly Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const b of bufs) h.update(b);
  return h.digest('hex');
};

async function fsyncDir(path: string): Promise<void> {
  const h = await fs.open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function writeFileDurably(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const h = await fs.open(path, 'w');
  try {
    await h.writev(parts as Uint8Array[]);
    await h.sync();
  } finally {
    await h.close();
  }
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
  constructor(
    readonly dir: string,
    private readonly retain: number,
    private readonly logger: CheckpointLogger,
  ) {}

  async write(checkpointId: number, jobName: string, operators: readonly OperatorStateToWrite[]): Promise<WrittenCheckpoint> {
    await fs.mkdir(this.dir, { recursive: true });
    const inPlace = brokenVariant('checkpoint-in-place');
    const finalName = inPlace ? 'chk-inplace' : checkpointDirName(checkpointId);
    const finalPath = join(this.dir, finalName);
    const tmpPath = inPlace ? finalPath : join(this.dir, `.${finalName}.tmp`);
    if (inPlace) await this.writePointer(finalName);
    else await fs.rm(tmpPath, { recursive: true, force: true });
    await fs.mkdir(tmpPath, { recursive: true });
    failpoint('checkpoint.before-write');
    const entries: OperatorEntry[] = [];
    const files: Record<string, { bytes: number; sha256: string }> = {};
    let total = 0;
    let index = 0;
    const perOperator: Record<string, number> = {};
    for (const op of operators) {
      const { parts, refs } = encodeOperator(op);
      if (refs.length === 0) continue;
      const file = `op-${index++}.bin`;
      await writeFileDurably(join(tmpPath, file), parts);
      failpoint('checkpoint.after-part');
      const bytes = parts.reduce((n, p) => n + p.length, 0);
      files[file] = { bytes, sha256: sha256(parts) };
      total += bytes;
      perOperator[op.uid] = bytes;
      const entry: OperatorEntry = { uid: op.uid, name: op.name, file, parts: refs };
      entries.push(op.keyed ? { ...entry, maxParallelism: op.keyed.maxParallelism } : entry);
    }
    const manifest: Manifest = { formatVersion: FORMAT_VERSION, checkpointId, jobName, timestamp: Date.now(), operators: entries, files };
    const body = JSON.stringify(manifest);
    await writeFileDurably(join(tmpPath, 'manifest'), [Buffer.from(`${MANIFEST_MAGIC} ${FORMAT_VERSION} ${sha256([Buffer.from(body)])}\n${body}`)]);
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

  /** The highest checkpoint id in the directory (0 when there is none), valid or not. */
  async highestId(): Promise<number> {
    let max = 0;
    for (const n of await this.listCheckpoints()) max = Math.max(max, parseCheckpointDirName(n) ?? 0);
    return max;
  }

  /** The newest valid checkpoint, undefined if there is none at all. */
  async latest(): Promise<LoadedCheckpoint | undefined> {
    const names = await this.listCheckpoints();
    await this.removeOrphans();
    if (names.length === 0) return undefined;
    // The newest complete directory wins: a directory is renamed into place only when complete,
    // so LATEST is a hint for people and tools, never trusted over a newer valid checkpoint (a
    // flipped bit in it must not make a restore pick an older one).
    const pointer = await this.readPointer();
    let firstError: CheckpointCorruptError | undefined;
    for (const name of names) {
      try {
        const loaded = await this.load(join(this.dir, name));
        if (pointer !== undefined && pointer !== name) this.logger.warn(`LATEST names '${pointer}', but the newest complete checkpoint is '${name}'; using '${name}'`);
        return loaded;
      } catch (e) {
        if (!(e instanceof CheckpointCorruptError)) throw e;
        firstError ??= e;
        this.logger.warn(`Skipping checkpoint ${name}: ${e.message}`);
      }
    }
    throw firstError!;
  }

  /** Reads and verifies one checkpoint directory. */
  async load(path: string): Promise<LoadedCheckpoint> {
    const manifestPath = join(path, 'manifest');
    let raw: Buffer;
    try {
      raw = await fs.readFile(manifestPath);
    } catch (e) {
      throw new CheckpointCorruptError(manifestPath, `cannot read the manifest (${(e as Error).message})`, { cause: e });
    }
    const nl = raw.indexOf(10);
    const header = nl < 0 ? '' : raw.subarray(0, nl).toString('utf8');
    const [magic, version, digest] = header.split(' ');
    if (magic !== MANIFEST_MAGIC) throw new CheckpointCorruptError(manifestPath, 'not a weir checkpoint manifest (bad header)');
    if (Number(version) !== FORMAT_VERSION) {
      throw new CheckpointCorruptError(manifestPath, `format version ${version} is not supported (this weir reads version ${FORMAT_VERSION})`);
    }
    const body = raw.subarray(nl + 1);
    if (sha256([body]) !== digest) throw new CheckpointCorruptError(manifestPath, 'manifest checksum mismatch (torn or corrupted write)');
    const manifest = JSON.parse(body.toString('utf8')) as Manifest;
    const operators = new Map<string, RestoredOperator>();
    for (const entry of manifest.operators) {
      const filePath = join(path, entry.file);
      const expected = manifest.files[entry.file];
      let data: Buffer;
      try {
        data = await fs.readFile(filePath);
      } catch (e) {
        throw new CheckpointCorruptError(filePath, `missing or unreadable (${(e as Error).message})`, { cause: e });
      }
      if (!expected || data.length !== expected.bytes) {
        throw new CheckpointCorruptError(filePath, `size ${data.length} bytes, manifest says ${expected?.bytes ?? 'nothing'}`);
      }
      if (sha256([data]) !== expected.sha256) throw new CheckpointCorruptError(filePath, 'checksum mismatch (corrupted)');
      try {
        operators.set(entry.uid, decodeOperator(entry, data));
      } catch (e) {
        throw new CheckpointCorruptError(filePath, `cannot decode state (${(e as Error).message})`, { cause: e });
      }
    }
    failpoint('restore.after-read');
    return { checkpointId: manifest.checkpointId, path, jobName: manifest.jobName, operators };
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

  private async removeOrphans(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.chk-') || n === `${LATEST_POINTER}.tmp`) {
        this.logger.warn(`Removing ${n}: left over by a checkpoint that never completed`);
        await fs.rm(join(this.dir, n), { recursive: true, force: true });
      }
    }
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

function encodeOperator(op: OperatorStateToWrite): { parts: Uint8Array[]; refs: PartRef[] } {
  const parts: Uint8Array[] = [];
  const refs: PartRef[] = [];
  let offset = 0;
  const add = (kind: PartRef['kind'], data: Uint8Array, keyGroup?: number) => {
    parts.push(data);
    refs.push(keyGroup === undefined ? { kind, offset, length: data.length } : { kind, keyGroup, offset, length: data.length });
    offset += data.length;
  };
  if (op.keyed) for (const g of op.keyed.groups) add('keyGroup', g.data, g.keyGroup);
  if (op.operator !== undefined) add('operator', serialize(op.operator));
  if (op.committable !== undefined) add('committable', serialize(op.committable));
  if (op.position !== undefined) add('position', serialize(op.position));
  if (op.time !== undefined) add('time', serialize(op.time));
  return { parts, refs };
}

function decodeOperator(entry: OperatorEntry, data: Buffer): RestoredOperator {
  const groups: KeyGroupSnapshot[] = [];
  let operator: unknown;
  let committable: unknown;
  let position: unknown;
  let hasPosition = false;
  let hasKeyed = false;
  let time: unknown;
  for (const p of entry.parts) {
    const bytes = data.subarray(p.offset, p.offset + p.length);
    if (p.kind === 'keyGroup') {
      hasKeyed = true;
      groups.push({ keyGroup: p.keyGroup!, data: bytes });
    } else if (p.kind === 'operator') operator = deserialize(bytes);
    else if (p.kind === 'committable') committable = deserialize(bytes);
    else if (p.kind === 'time') time = deserialize(bytes);
    else {
      position = deserialize(bytes);
      hasPosition = true;
    }
  }
  const keyed = hasKeyed || entry.maxParallelism !== undefined ? { maxParallelism: entry.maxParallelism ?? 128, groups } : undefined;
  return { uid: entry.uid, name: entry.name, keyed, operator, committable, position, hasPosition, time };
}
