/**
 * On-disk format of a segment (format 2): a sequence of frames, each one batch of events
 * appended together.
 *
 * ```
 * frame   = header | payload
 * header  = u32 magic "WSF2" | u32 payloadLength | u48 offset | u16 0 | u32 crc32(payload) | u32 crc32(header[0..20))
 * payload = u16 txnIdLength | txnId | u32 count | event * count                (little endian)
 * event   = u16 keyLength | key | f64 timestamp (NaN: none) | u32 dataLength | data
 * ```
 *
 * Each frame names its own byte offset, and its header has a checksum of its own. So a damaged
 * length field is caught at once (not mistaken for a frame still being written), and a reader
 * told to skip a bad frame can find the next one by its magic: a candidate counts only if its
 * header checksum holds and it names the offset it sits at, which bytes inside another frame's
 * payload (an event that happens to contain a frame) do not. The offset is stamped by the
 * appender when it knows where the frame goes (`stampFrame`).
 *
 * Whether a bad frame is a torn append or corruption is not decided here: that takes the
 * segment's commit record (see `commit-record.ts`). The transaction id (empty for plain writers)
 * makes a transactional commit idempotent: a segment that holds a frame of transaction T is not
 * given T again.
 * @internal
 */
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 24;
const MAGIC = 0x32465357; // "WSF2" in file order
const MAGIC_BYTES = Buffer.from('WSF2', 'latin1');
const MIN_PAYLOAD = 2 + 4;

/** An event as stored. */
export interface StoredEvent {
  readonly routingKey: string;
  readonly timestamp: number | undefined;
  readonly data: Buffer;
}

/** A decoded frame. */
export interface Frame {
  readonly offset: number;
  readonly nextOffset: number;
  readonly txnId: string;
  readonly events: StoredEvent[];
}

/** Encodes a batch of events as one frame that will sit at `offset` (restamp with `stampFrame`). */
export function encodeFrame(txnId: string, events: readonly StoredEvent[], offset = 0): Buffer {
  const txn = Buffer.from(txnId, 'utf8');
  const keys = events.map((e) => Buffer.from(e.routingKey, 'utf8'));
  let size = 2 + txn.length + 4;
  for (let i = 0; i < events.length; i++) size += 2 + keys[i]!.length + 8 + 4 + events[i]!.data.length;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + size);
  let p = HEADER_BYTES;
  p = buf.writeUInt16LE(txn.length, p);
  p += txn.copy(buf, p);
  p = buf.writeUInt32LE(events.length, p);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const k = keys[i]!;
    p = buf.writeUInt16LE(k.length, p);
    p += k.copy(buf, p);
    p = buf.writeDoubleLE(e.timestamp ?? Number.NaN, p);
    p = buf.writeUInt32LE(e.data.length, p);
    p += e.data.copy(buf, p);
  }
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(size, 4);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 16);
  return stampFrame(buf, offset);
}

/** Sets the offset a frame names (and its header checksum); returns the frame. */
export function stampFrame(frame: Buffer, offset: number): Buffer {
  frame.writeUIntLE(offset, 8, 6);
  frame.writeUInt16LE(0, 14);
  frame.writeUInt32LE(crc32(frame.subarray(0, 20)), 20);
  return frame;
}

/** What scanning a buffer found at its end. */
export type ScanEnd = 'clean' | 'partial' | 'corrupt';

/** What `decodeFrames` found. `reason` says what is wrong when `end` is `'corrupt'`. */
export interface Scan {
  readonly frames: Frame[];
  /** Bytes of whole frames decoded: the bad or partial frame, if any, starts here. */
  readonly consumed: number;
  readonly end: ScanEnd;
  readonly reason: string;
}

/**
 * Checks the header at `p` of `buf` (whose first byte is at file offset `base`): undefined when
 * good, else what is wrong. Needs `HEADER_BYTES` bytes.
 */
function headerProblem(buf: Buffer, p: number, base: number): string | undefined {
  if (buf.readUInt32LE(p) !== MAGIC) return 'no frame starts there (bad magic)';
  if (crc32(buf.subarray(p, p + 20)) !== buf.readUInt32LE(p + 20)) return 'the frame header fails its checksum';
  const named = buf.readUIntLE(p + 8, 6);
  if (named !== base + p) return `the frame header names offset ${named} (a frame from elsewhere)`;
  if (buf.readUInt32LE(p + 4) < MIN_PAYLOAD || buf.readUInt16LE(p + 14) !== 0) return 'the frame header is malformed';
  return undefined;
}

/**
 * Decodes the whole frames in `buf` (which starts at file offset `base`). Stops at a partial
 * frame (a good header, more payload bytes needed; or fewer bytes than a header) or a bad one.
 */
export function decodeFrames(buf: Buffer, base: number, withEvents = true): Scan {
  const frames: Frame[] = [];
  let p = 0;
  while (p < buf.length) {
    if (buf.length - p < HEADER_BYTES) return { frames, consumed: p, end: 'partial', reason: '' };
    const bad = headerProblem(buf, p, base);
    if (bad !== undefined) return { frames, consumed: p, end: 'corrupt', reason: bad };
    const size = buf.readUInt32LE(p + 4);
    if (buf.length - p - HEADER_BYTES < size) return { frames, consumed: p, end: 'partial', reason: '' };
    const payload = buf.subarray(p + HEADER_BYTES, p + HEADER_BYTES + size);
    if (crc32(payload) !== buf.readUInt32LE(p + 16)) return { frames, consumed: p, end: 'corrupt', reason: 'the frame payload fails its checksum' };
    const frame = decodePayload(payload, base + p, base + p + HEADER_BYTES + size, withEvents);
    if (frame === undefined) return { frames, consumed: p, end: 'corrupt', reason: 'the frame payload is malformed' };
    frames.push(frame);
    p += HEADER_BYTES + size;
  }
  return { frames, consumed: p, end: 'clean', reason: '' };
}

/**
 * Where the next frame with a good header starts in `buf` (file offset `base`), searching from
 * index `from`: its index, or -1 with `resumeAt`, the index to search again from once more bytes
 * follow (a candidate too close to the end to check).
 */
export function findFrameStart(buf: Buffer, base: number, from: number): { at: number; resumeAt: number } {
  for (let i = buf.indexOf(MAGIC_BYTES, from); i !== -1; i = buf.indexOf(MAGIC_BYTES, i + 1)) {
    if (buf.length - i < HEADER_BYTES) return { at: -1, resumeAt: i };
    if (headerProblem(buf, i, base) === undefined) return { at: i, resumeAt: i };
  }
  return { at: -1, resumeAt: Math.max(from, buf.length - (MAGIC_BYTES.length - 1)) };
}

function decodePayload(payload: Buffer, offset: number, nextOffset: number, withEvents: boolean): Frame | undefined {
  try {
    let p = 0;
    const txnLen = payload.readUInt16LE(p);
    p += 2;
    if (p + txnLen + 4 > payload.length) return undefined;
    const txnId = payload.toString('utf8', p, p + txnLen);
    p += txnLen;
    const count = payload.readUInt32LE(p);
    p += 4;
    const events: StoredEvent[] = [];
    if (withEvents) {
      for (let i = 0; i < count; i++) {
        const kl = payload.readUInt16LE(p);
        p += 2;
        const routingKey = payload.toString('utf8', p, p + kl);
        p += kl;
        const ts = payload.readDoubleLE(p);
        p += 8;
        const dl = payload.readUInt32LE(p);
        p += 4;
        if (p + dl > payload.length) return undefined;
        events.push({ routingKey, timestamp: Number.isNaN(ts) ? undefined : ts, data: payload.subarray(p, p + dl) });
        p += dl;
      }
      if (p !== payload.length) return undefined;
    }
    return { offset, nextOffset, txnId, events };
  } catch {
    return undefined;
  }
}
