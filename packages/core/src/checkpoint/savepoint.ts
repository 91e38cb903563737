/**
 * Savepoints: a checkpoint copied away as a self-contained directory. Incremental checkpoints
 * refer to keyed-state files they share with earlier checkpoints (`../shared/`), so a `chk-N`
 * directory alone cannot be moved; a savepoint holds every file it reads, each verified against
 * the manifest on the way (size and SHA-256), under a manifest of its own that says so. It is
 * written as `<target>.tmp` and renamed into place: a savepoint that exists is complete.
 *
 * Restore it like any checkpoint (`restore: '<target>'`); the restored job's first checkpoint is
 * full, since its own storage cannot refer to the savepoint's files.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { type FileEntry, MANIFEST_COPY, MANIFEST_FILE, MANIFEST_MAGIC, type Manifest, SHARED_PREFIX } from './checkpoint-format.js';
import type { CheckpointLogger } from './checkpoint-types.js';
import { DirectoryCheckpointStorage } from './directory-storage.js';
import { encodeChecksummed, fsyncDir, writeFileDurably } from './durable-files.js';

/**
 * What {@link savepoint} wrote.
 *
 * @example
 * ```ts
 * const { path, checkpointId, bytes } = await savepoint('./checkpoints/chk-0000000042', './savepoints/before-upgrade');
 * ```
 */
export interface SavepointInfo {
  readonly path: string;
  readonly checkpointId: number;
  readonly jobName: string;
  /** Bytes written (the copies of redundant files included). */
  readonly bytes: number;
}

/**
 * Copies checkpoint `checkpoint` (a `chk-N` directory) into `target` as a self-contained
 * savepoint, verifying every file. `target` must not exist yet.
 *
 * @example
 * ```ts
 * const sp = await savepoint('./checkpoints/chk-0000000042', './savepoints/prices-v1');
 * // later, anywhere: StreamEnvironment.create({ checkpointing: { intervalMs: 1000 }, restore: sp.path })
 * ```
 */
export async function savepoint(checkpoint: string, target: string, logger?: CheckpointLogger): Promise<SavepointInfo> {
  const from = resolve(checkpoint);
  const to = resolve(target);
  const exists = await fs.stat(to).then(
    () => true,
    () => false,
  );
  if (exists) throw new ConfigError(`Savepoint target '${to}' already exists; name a new directory (a savepoint is never written over another one)`);
  const storage = new DirectoryCheckpointStorage(dirname(from), { logger });
  const manifest = await storage.readManifest(from);
  const tmp = `${to}.tmp`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  // Shared files come in under their own names; the checkpoint's own files keep theirs.
  const rename = (file: string) => (file.startsWith(SHARED_PREFIX) ? basename(file) : file);
  const files: Record<string, FileEntry> = {};
  let bytes = 0;
  for (const [file, entry] of Object.entries(manifest.files)) {
    const data = await storage.readVerified(from, file, entry);
    await writeFileDurably(join(tmp, rename(file)), [data]);
    bytes += data.length;
    if (entry.copy !== undefined) {
      await writeFileDurably(join(tmp, entry.copy), [data]);
      bytes += data.length;
    }
    files[rename(file)] = entry;
  }
  const own: Manifest = {
    ...manifest,
    // The version stays (what a version 1 or 2 manifest means is kept), plus the savepoint mark.
    savepoint: true,
    files,
    operators: manifest.operators.map((op) => ({
      ...op,
      ...(op.file !== undefined ? { file: rename(op.file) } : {}),
      parts: op.parts.map((p) => (p.file !== undefined ? { ...p, file: rename(p.file) } : p)),
    })),
  };
  const manifestBytes = encodeChecksummed(MANIFEST_MAGIC, own.formatVersion, JSON.stringify(own));
  await Promise.all([writeFileDurably(join(tmp, MANIFEST_FILE), [manifestBytes]), writeFileDurably(join(tmp, MANIFEST_COPY), [manifestBytes])]);
  bytes += 2 * manifestBytes.length;
  await fsyncDir(tmp);
  await fs.rename(tmp, to);
  await fsyncDir(dirname(to));
  return { path: to, checkpointId: manifest.checkpointId, jobName: manifest.jobName, bytes };
}
