/**
 * Reads one segment from a position, frame by frame, handing out each event with the position
 * just after it. A position is `[frameOffset, eventsOfThatFrameAlreadyRead]`, normalised so a
 * fully read frame becomes `[nextFrameOffset, 0]`. Bytes past the last whole frame are a frame
 * still being written: the cursor waits for them. A frame that is whole but fails its checksum
 * is corruption and raises an error that names the segment and offset.
 * @internal
 */
import { type FileHandle, open } from 'node:fs/promises';
import { decodeFrames, type StoredEvent } from './frame-codec.js';

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
}

const READ_BYTES = 1 << 20;

export class SegmentCursor {
  private handle: FileHandle | undefined = undefined;
  private offset: number;
  private skip: number;
  private carry = Buffer.alloc(0);

  constructor(
    readonly path: string,
    readonly segment: number,
    start: SegmentPosition = [0, 0],
    /** Read no frame that starts at or after this offset (bounded reading). */
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {
    this.offset = start[0];
    this.skip = start[1];
  }

  /** True once the cursor reached `limit`. */
  get atLimit(): boolean {
    return this.offset >= this.limit;
  }

  /** Appends to `into` what is there now (up to about 1 MiB of frames); nothing when nothing is new. */
  async poll(into: CursorEvent[]): Promise<void> {
    if (this.atLimit) return;
    this.handle ??= await open(this.path, 'r');
    const want = Math.max(READ_BYTES, this.carry.length * 2);
    const buf = Buffer.allocUnsafe(want);
    this.carry.copy(buf, 0);
    const { bytesRead } = await this.handle.read(buf, this.carry.length, want - this.carry.length, this.offset + this.carry.length);
    const data = buf.subarray(0, this.carry.length + bytesRead);
    const { frames, consumed, end } = decodeFrames(data, this.offset);
    for (const f of frames) {
      if (f.offset >= this.limit) break;
      const n = f.events.length;
      for (let i = this.skip; i < n; i++) {
        into.push({ segment: this.segment, event: copy(f.events[i]!), after: i + 1 === n ? [f.nextOffset, 0] : [f.offset, i + 1] });
      }
      this.skip = 0;
      this.offset = f.nextOffset;
    }
    if (end === 'corrupt' && !this.atLimit) {
      throw new Error(`segment ${this.path} is corrupt at offset ${this.offset}: a whole frame fails its checksum`);
    }
    this.carry = this.offset >= this.limit ? Buffer.alloc(0) : Buffer.from(data.subarray(consumed));
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Events point into a reused read buffer: copy the data out. */
function copy(e: StoredEvent): StoredEvent {
  return { routingKey: e.routingKey, timestamp: e.timestamp, data: Buffer.from(e.data) };
}
