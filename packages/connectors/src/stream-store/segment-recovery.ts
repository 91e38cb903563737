/**
 * What a writer finds when it opens a segment, and what it may do about it.
 *
 * The segment is split by its committed length C (from the commit record):
 *
 * - `[0, C)`, the committed prefix, was synced and acknowledged. It must be whole frames ending
 *   exactly at C; a bad frame there is corruption: a {@link StreamStoreCorruptError} naming the
 *   segment and offset, and nothing is cut off or appended.
 * - `[C, end of file)`, the tail, is what a crash left of appends never acknowledged. Its whole
 *   good frames are kept (they were written before the crash; their writers were never told, so
 *   they may write them again: at-least-once). From the first bad or partial frame on, the tail
 *   is torn: it may be cut off. Even good frames after a torn one go, since within an unsynced
 *   write the disk may keep a later block and lose an earlier one.
 *
 * Example: frames end at 100, 220 and 300, C = 220, the file is 340 bytes with a torn frame at
 * 300: keep `[0, 300)`, commit 300, move `[300, 340)` aside. If instead the frame at 100 fails
 * its checksum: corruption at offset 100, the file is left as it is.
 * @internal
 */
import type { FileHandle } from 'node:fs/promises';
import { decodeFrames, type ScanEnd } from './frame-codec.js';
import { StreamStoreCorruptError } from './stream-store-corrupt-error.js';

const CHUNK = 1 << 20;

/** What the scan of a segment found. */
export interface SegmentScan {
  /** End of the last good frame: committed prefix plus the good frames of the tail. */
  readonly goodEnd: number;
  /** Size of the file: anything past `goodEnd` is a torn tail. */
  readonly fileSize: number;
  /** Transaction ids of the good frames. */
  readonly txns: Set<string>;
}

/** Scans a segment whose committed length is `committed`; throws on corruption in the committed prefix. */
export async function scanSegment(handle: FileHandle, path: string, segment: number, committed: number): Promise<SegmentScan> {
  const { size: fileSize } = await handle.stat();
  const corrupt = (offset: number, reason: string) => new StreamStoreCorruptError(path, segment, offset, reason);
  if (fileSize < committed) throw corrupt(fileSize, `the file ends at ${fileSize} bytes but ${committed} were committed`);
  const txns = new Set<string>();
  const prefix = await scanRange(handle, 0, committed, txns);
  if (prefix.end === 'corrupt') throw corrupt(prefix.offset, prefix.reason);
  if (prefix.end === 'partial') throw corrupt(prefix.offset, `the frame there runs past the committed length ${committed}`);
  const tail = await scanRange(handle, committed, fileSize, txns);
  return { goodEnd: tail.offset, fileSize, txns };
}

/**
 * Decodes the frames of `[from, to)`, collecting their transaction ids: where the good frames end,
 * and what stopped the scan there.
 */
async function scanRange(handle: FileHandle, from: number, to: number, txns: Set<string>): Promise<{ offset: number; end: ScanEnd; reason: string }> {
  let offset = from;
  let carry = Buffer.alloc(0);
  const chunk = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    const want = Math.min(CHUNK, to - offset - carry.length);
    const { bytesRead } = want > 0 ? await handle.read(chunk, 0, want, offset + carry.length) : { bytesRead: 0 };
    if (bytesRead === 0) return { offset, end: carry.length === 0 ? 'clean' : 'partial', reason: '' };
    const buf = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    const { frames, consumed, end, reason } = decodeFrames(buf, offset, false);
    for (const f of frames) if (f.txnId !== '') txns.add(f.txnId);
    offset += consumed;
    if (end === 'corrupt') return { offset, end, reason };
    carry = Buffer.from(buf.subarray(consumed));
  }
}
