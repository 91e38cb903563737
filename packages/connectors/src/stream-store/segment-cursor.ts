/**
 * Reads one segment from a position, frame by frame, handing out each event with the position
 * just after it. A position is `[frameOffset, eventsOfThatFrameAlreadyRead]`, normalised so a
 * fully read frame becomes `[nextFrameOffset, 0]`.
 *
 * The cursor reads only the committed prefix of the segment — up to the length in its commit
 * record, which the writer updates after each group commit is synced. Bytes past it are an
 * append under way, or the torn remains of one that a crash cut short and the next writer will
 * cut off: never read, so never delivered, and a repair of the tail cannot pull bytes from under
 * a reader. Inside the committed prefix every byte belongs to a whole, once-good frame, so a
 * frame that fails its checks there is corruption: the cursor stops at it with a
 * `StreamStoreCorruptError` naming the segment and offset, and moves past it only when told to
 * (`skipCorrupt`: the next frame with a good header, found by its magic and self-named offset).
 * A committed length that goes back, or a file shorter than it, is reported the same way.
 * @internal
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { ConfigError } from '@weir/core';
import { openCommitRecord, readCommit } from './commit-record.js';
import { decodeFrames, findFrameStart, type StoredEvent } from './frame-codec.js';
import { commitRecordPath } from './stream-config.js';
import { StreamStoreCorruptError } from './stream-store-corrupt-error.js';

/**
 * Position in one segment: byte offset of a frame and the events of it already read.
 *
 * @example
 * ```ts
 * const p: SegmentPosition = [4096, 2]; // the frame at byte 4096, its first 2 events read
 * ```
 */
export type SegmentPosition = readonly [offset: number, index: number];

/** An event and the position after it. */
export interface CursorEvent {
  readonly segment: number;
  readonly event: StoredEvent;
  readonly after: SegmentPosition;
  readonly skipped?: undefined;
}

/** A corrupt frame the reader was told to skip. */
export interface SkippedFrame {
  /** The error the frame was reported with. */
  readonly error: StreamStoreCorruptError;
  readonly offset: number;
  /** Where reading went on: the next frame with a good header, or the committed end. */
  readonly nextOffset: number;
  /** The first skipped bytes (at most 256), for inspection. */
  readonly bytes: Buffer;
}

/** A skipped corrupt frame, in order among the events, with the position after it. */
export interface CursorSkip {
  readonly segment: number;
  readonly event?: undefined;
  readonly after: SegmentPosition;
  readonly skipped: SkippedFrame;
}

export type CursorRecord = CursorEvent | CursorSkip;

const READ_BYTES = 1 << 20;

export class SegmentCursor {
  private handle: FileHandle | undefined = undefined;
  private record: FileHandle | undefined = undefined;
  private readonly scratch = Buffer.allocUnsafe(32);
  private offset: number;
  private skip: number;
  private carry = Buffer.alloc(0);
  /** The committed length last read from the commit record. */
  private committed = 0;
  private limit = Number.POSITIVE_INFINITY;
  /** Set while the cursor stands at a corrupt frame. */
  private corruption: StreamStoreCorruptError | undefined = undefined;

  constructor(
    readonly path: string,
    readonly segment: number,
    start: SegmentPosition = [0, 0],
  ) {
    this.offset = start[0];
    this.skip = start[1];
  }

  /** True once the cursor reached its limit (see `stopAtCommittedEnd`). */
  get atLimit(): boolean {
    return this.offset >= this.limit;
  }

  /** Bounded reading: read what is committed now, and no further. */
  async stopAtCommittedEnd(): Promise<void> {
    this.limit = await this.readCommitted();
  }

  /** Appends to `into` what is there now (up to about 1 MiB of frames); nothing when nothing is new. */
  async poll(into: CursorRecord[]): Promise<void> {
    if (this.atLimit) return;
    if (this.offset + this.carry.length >= this.committed) await this.readCommitted();
    const end = Math.min(this.limit, this.committed);
    if (this.offset > end) throw this.corrupt(this.offset, `the read position ${this.offset} is past the committed length ${this.committed}`);
    const from = this.offset + this.carry.length;
    if (from >= end) return;
    const want = Math.min(Math.max(READ_BYTES, this.carry.length * 2), end - this.offset);
    const data = Buffer.allocUnsafe(want);
    this.carry.copy(data, 0);
    const got = await this.readAt(data, this.carry.length, from);
    if (this.carry.length + got < want) throw this.corrupt(from + got, `the file ends at ${from + got} bytes, before its committed length ${this.committed}`);
    const { frames, consumed, end: scanEnd, reason } = decodeFrames(data, this.offset);
    for (const f of frames) {
      const n = f.events.length;
      for (let i = this.skip; i < n; i++) {
        into.push({ segment: this.segment, event: copy(f.events[i]!), after: i + 1 === n ? [f.nextOffset, 0] : [f.offset, i + 1] });
      }
      this.skip = 0;
      this.offset = f.nextOffset;
    }
    this.carry = Buffer.alloc(0);
    if (scanEnd === 'corrupt') throw (this.corruption = this.corrupt(this.offset, reason));
    // A frame still incomplete at the committed end was never committed whole: damage.
    if (scanEnd === 'partial' && from + got >= end) throw (this.corruption = this.corrupt(this.offset, `the frame there runs past the committed length ${end}`));
    this.carry = Buffer.from(data.subarray(consumed));
  }

  /**
   * Moves past the corrupt frame the last `poll` stopped at, to the next frame with a good header
   * (or the committed end when there is none).
   */
  async skipCorrupt(): Promise<SkippedFrame> {
    const error = this.corruption;
    if (error === undefined) throw new ConfigError(`segment ${this.path}: the reader does not stand at a corrupt frame; there is nothing to skip`);
    const end = Math.min(this.limit, this.committed);
    const chunk = Buffer.allocUnsafe(READ_BYTES);
    let nextOffset = end;
    for (let pos = error.offset + 1; pos < end; ) {
      const got = await this.readAt(chunk.subarray(0, Math.min(READ_BYTES, end - pos)), 0, pos);
      if (got === 0) break;
      const { at, resumeAt } = findFrameStart(chunk.subarray(0, got), pos, 0);
      if (at >= 0) {
        nextOffset = pos + at;
        break;
      }
      pos += Math.max(1, resumeAt);
    }
    const bytes = Buffer.alloc(Math.min(256, nextOffset - error.offset));
    await this.readAt(bytes, 0, error.offset);
    this.offset = nextOffset;
    this.skip = 0;
    this.carry = Buffer.alloc(0);
    this.corruption = undefined;
    return { error, offset: error.offset, nextOffset, bytes };
  }

  async close(): Promise<void> {
    await this.handle?.close();
    await this.record?.close();
    this.handle = undefined;
    this.record = undefined;
  }

  /** Reads into `buf[at..]` from file offset `position` until full or end of file; bytes read. */
  private async readAt(buf: Buffer, at: number, position: number): Promise<number> {
    this.handle ??= await open(this.path, 'r');
    let got = 0;
    while (at + got < buf.length) {
      const { bytesRead } = await this.handle.read(buf, at + got, buf.length - at - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }

  /** Reads the committed length from the commit record (0 for an empty segment that has none yet). */
  private async readCommitted(): Promise<number> {
    const recordPath = commitRecordPath(this.path);
    this.record ??= await openCommitRecord(recordPath);
    if (this.record === undefined) {
      const size = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0) throw this.corrupt(0, `the segment has ${size} bytes but no commit record ${recordPath} (written by an older weir, whose format this one does not read, or the record was lost)`);
      return 0;
    }
    const c = await readCommit(this.record, this.scratch);
    if (c === 'unreadable') throw this.corrupt(0, `its commit record ${recordPath} is unreadable (both slots fail their checksum)`);
    if (c.length < this.committed) throw this.corrupt(c.length, `its committed length went back from ${this.committed} to ${c.length}`);
    this.committed = c.length;
    return c.length;
  }

  private corrupt(offset: number, reason: string): StreamStoreCorruptError {
    return new StreamStoreCorruptError(this.path, this.segment, offset, reason);
  }
}

/** Events point into a reused read buffer: copy the data out. */
function copy(e: StoredEvent): StoredEvent {
  return { routingKey: e.routingKey, timestamp: e.timestamp, data: Buffer.from(e.data) };
}
