/**
 * On-disk format of a segment: a sequence of frames, each one batch of events appended together.
 *
 * ```
 * frame   = u32 payloadLength | u32 crc32(payload) | payload          (little endian)
 * payload = u8 version(1) | u16 txnIdLength | txnId | u32 count | event * count
 * event   = u16 keyLength | key | f64 timestamp (NaN: none) | u32 dataLength | data
 * ```
 *
 * A frame is written with one `write` and then fsynced, so after a crash a segment ends with
 * whole frames plus at most one torn frame, which the length and checksum reveal. The transaction
 * id (empty for plain writers) is what makes a transactional commit idempotent: a segment that
 * already holds a frame of transaction T is not given T again.
 * @internal
 */
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 8;
const VERSION = 1;

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

/** Encodes a batch of events as one frame. */
export function encodeFrame(txnId: string, events: readonly StoredEvent[]): Buffer {
  const txn = Buffer.from(txnId, 'utf8');
  const keys = events.map((e) => Buffer.from(e.routingKey, 'utf8'));
  let size = 1 + 2 + txn.length + 4;
  for (let i = 0; i < events.length; i++) size += 2 + keys[i]!.length + 8 + 4 + events[i]!.data.length;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + size);
  let p = HEADER_BYTES;
  p = buf.writeUInt8(VERSION, p);
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
  buf.writeUInt32LE(size, 0);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER_BYTES)), 4);
  return buf;
}

/** What scanning a buffer found at its end. */
export type ScanEnd = 'clean' | 'partial' | 'corrupt';

/**
 * Decodes the whole frames in `buf` (which starts at file offset `base`). Stops at a partial
 * frame (more bytes needed) or a corrupt one (checksum or structure wrong).
 */
export function decodeFrames(buf: Buffer, base: number, withEvents = true): { frames: Frame[]; consumed: number; end: ScanEnd } {
  const frames: Frame[] = [];
  let p = 0;
  while (p < buf.length) {
    if (buf.length - p < HEADER_BYTES) return { frames, consumed: p, end: 'partial' };
    const size = buf.readUInt32LE(p);
    if (size < 7) return { frames, consumed: p, end: 'corrupt' };
    if (buf.length - p - HEADER_BYTES < size) return { frames, consumed: p, end: 'partial' };
    const payload = buf.subarray(p + HEADER_BYTES, p + HEADER_BYTES + size);
    if (crc32(payload) !== buf.readUInt32LE(p + 4) || payload[0] !== VERSION) return { frames, consumed: p, end: 'corrupt' };
    const frame = decodePayload(payload, base + p, base + p + HEADER_BYTES + size, withEvents);
    if (frame === undefined) return { frames, consumed: p, end: 'corrupt' };
    frames.push(frame);
    p += HEADER_BYTES + size;
  }
  return { frames, consumed: p, end: 'clean' };
}

function decodePayload(payload: Buffer, offset: number, nextOffset: number, withEvents: boolean): Frame | undefined {
  try {
    let p = 1;
    const txnLen = payload.readUInt16LE(p);
    p += 2;
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
