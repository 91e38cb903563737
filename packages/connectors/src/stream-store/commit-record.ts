/**
 * The commit record of a segment (`segment-<n>.committed`): how many bytes of the segment are
 * committed — written, `fdatasync`ed and acknowledged to writers. The appender updates it after
 * every group commit's data sync and before any `writeEvent` promise of that commit resolves.
 *
 * It is what tells a torn tail from corruption. Bytes past the committed length belong to an
 * append that was never acknowledged, so a bad frame there is the remains of a crash and may be
 * cut off; a bad frame below it was once whole, synced and acknowledged, so it is corruption and
 * is never cut off. Readers read only up to the committed length, so they never see a torn frame
 * (or a frame a crash could still take back).
 *
 * Layout: two 24-byte slots, at byte 0 and byte 4096 (separate disk blocks), written
 * alternately: generation g goes to slot g % 2. A write torn by a crash damages one slot only;
 * the other still holds the previous commit.
 *
 * ```
 * slot = u32 magic "WSC2" | u48 generation | u16 0 | u48 committedLength | u16 0 | u32 crc32(slot[0..20))
 * ```
 *
 * Example: after three group commits ending at 120, 340 and 900 bytes, slot 1 holds
 * (generation 3, 900) and slot 0 holds (generation 2, 340); if the crash tore the write of
 * generation 3, slot 1 fails its checksum and the committed length is 340.
 * @internal
 */
import { type FileHandle, open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { writeAtomic } from './stream-config.js';

const MAGIC = 0x32435357; // "WSC2" in file order
const SLOT_BYTES = 24;
const SLOT_OFFSETS = [0, 4096] as const;
const FILE_BYTES = SLOT_OFFSETS[1] + SLOT_BYTES;

/** A decoded slot. */
export interface Commit {
  readonly generation: number;
  readonly length: number;
}

function encodeSlot(c: Commit, into: Buffer): Buffer {
  into.writeUInt32LE(MAGIC, 0);
  into.writeUIntLE(c.generation, 4, 6);
  into.writeUInt16LE(0, 10);
  into.writeUIntLE(c.length, 12, 6);
  into.writeUInt16LE(0, 18);
  into.writeUInt32LE(crc32(into.subarray(0, 20)), 20);
  return into;
}

function decodeSlot(b: Buffer): Commit | undefined {
  if (b.readUInt32LE(0) !== MAGIC || crc32(b.subarray(0, 20)) !== b.readUInt32LE(20)) return undefined;
  return { generation: b.readUIntLE(4, 6), length: b.readUIntLE(12, 6) };
}

/**
 * Reads the newest good slot: undefined when the file does not exist, `'unreadable'` when no
 * slot is good.
 */
export async function readCommit(handle: FileHandle, scratch: Buffer = Buffer.allocUnsafe(SLOT_BYTES)): Promise<Commit | 'unreadable'> {
  let best: Commit | undefined;
  for (const at of SLOT_OFFSETS) {
    const { bytesRead } = await handle.read(scratch, 0, SLOT_BYTES, at);
    const c = bytesRead === SLOT_BYTES ? decodeSlot(scratch) : undefined;
    if (c !== undefined && (best === undefined || c.generation > best.generation)) best = c;
  }
  return best ?? 'unreadable';
}

/** Opens a commit record for reading; undefined when it does not exist (yet). */
export async function openCommitRecord(path: string, flags: 'r' | 'r+' = 'r'): Promise<FileHandle | undefined> {
  try {
    return await open(path, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Creates a commit record saying 0 bytes are committed (atomically: it exists whole or not at all). */
export async function createCommitRecord(path: string): Promise<void> {
  const file = Buffer.alloc(FILE_BYTES);
  encodeSlot({ generation: 0, length: 0 }, file.subarray(SLOT_OFFSETS[0], SLOT_OFFSETS[0] + SLOT_BYTES));
  await writeAtomic(path, file);
}

/** The appender's side: writes each new committed length durably. */
export class CommitRecordWriter {
  private readonly slot = Buffer.allocUnsafe(SLOT_BYTES);

  constructor(
    private readonly handle: FileHandle,
    private current: Commit,
  ) {}

  /** The committed length. */
  get length(): number {
    return this.current.length;
  }

  /** Records `length` as committed and syncs it; when it resolves, the length is durable. */
  async commit(length: number): Promise<void> {
    const next = { generation: this.current.generation + 1, length };
    encodeSlot(next, this.slot);
    const at = SLOT_OFFSETS[next.generation % 2]!;
    let written = 0;
    while (written < SLOT_BYTES) written += (await this.handle.write(this.slot, written, SLOT_BYTES - written, at + written)).bytesWritten;
    await this.handle.datasync();
    this.current = next;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
