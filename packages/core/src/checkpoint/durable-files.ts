/**
 * File-system steps that survive a crash at any instant: a file is written and fsynced before
 * anything points at it, replaced by writing a temporary file and renaming it over the old one,
 * and a directory is fsynced after names in it changed. Small records carry their own checksum
 * (`<MAGIC> <version> <sha256 of body>\n<body>`), so a damaged copy is told from a good one.
 * @internal
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const sha256 = (bufs: readonly Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const b of bufs) h.update(b);
  return h.digest('hex');
};

export async function fsyncDir(path: string): Promise<void> {
  const h = await fs.open(path, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function writeFileDurably(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const h = await fs.open(path, 'w');
  try {
    await h.writev(parts as Uint8Array[]);
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Replaces each file with its new content atomically (tmp + fsync + rename), then fsyncs the
 * directory once. The files must share one directory.
 */
export async function replaceFilesDurably(files: ReadonlyArray<{ readonly path: string; readonly data: Uint8Array }>): Promise<void> {
  if (files.length === 0) return;
  const tmp = (path: string) => join(dirname(path), `${basename(path)}.tmp`);
  await Promise.all(files.map((f) => writeFileDurably(tmp(f.path), [f.data])));
  for (const f of files) await fs.rename(tmp(f.path), f.path);
  await fsyncDir(dirname(files[0]!.path));
}

/** `<magic> <version> <sha256>\n<body>`. */
export function encodeChecksummed(magic: string, version: number, body: string): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([Buffer.from(`${magic} ${version} ${sha256([bytes])}\n`), bytes]);
}

/** The verified body and version of a checksummed record, or why it is unusable. */
export type Checksummed = { readonly ok: true; readonly version: number; readonly body: string } | { readonly ok: false; readonly reason: string };

export function decodeChecksummed(raw: Buffer, magic: string, supported: (version: number) => boolean, what: string): Checksummed {
  const nl = raw.indexOf(10);
  const header = nl < 0 ? '' : raw.subarray(0, nl).toString('utf8');
  const [m, version, digest] = header.split(' ');
  if (m !== magic) return { ok: false, reason: `not a weir ${what} (bad header)` };
  if (!supported(Number(version))) return { ok: false, reason: `format version ${version} is not supported` };
  const body = raw.subarray(nl + 1);
  if (sha256([body]) !== digest) return { ok: false, reason: `${what} checksum mismatch (torn or corrupted write)` };
  return { ok: true, version: Number(version), body: body.toString('utf8') };
}

/** The file's bytes, or the reason it cannot be read (`missing` when it does not exist). */
export async function readOrReason(path: string): Promise<{ data: Buffer } | { missing: boolean; reason: string }> {
  try {
    return { data: await fs.readFile(path) };
  } catch (e) {
    return { missing: (e as NodeJS.ErrnoException).code === 'ENOENT', reason: `missing or unreadable (${(e as Error).message})` };
  }
}
