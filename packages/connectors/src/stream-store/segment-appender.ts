/**
 * Appends frames to one segment file, one append at a time per process (a registry hands every
 * writer of a segment the same appender), each made durable (`fdatasync`) before its promise
 * resolves. On open it scans the segment: the end of the last whole frame is where appends go;
 * anything after it can only be the torn remains of an append that never completed (every
 * earlier append was synced before the next began), so it is moved aside to
 * `<segment>.torn-<offset>` — kept for inspection, reported with a warning — and cut off.
 * The scan also collects the transaction ids present, which makes transactional commits
 * idempotent.
 * @internal
 */
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { decodeFrames } from './frame-codec.js';

const registry = new Map<string, Promise<SegmentAppender>>();

export class SegmentAppender {
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
    private readonly txns: Set<string>,
  ) {}

  /** The appender of the segment at `path` (opened and scanned once per process). */
  static for(path: string): Promise<SegmentAppender> {
    let p = registry.get(path);
    if (p === undefined) {
      p = SegmentAppender.open(path);
      registry.set(path, p);
      p.catch(() => registry.delete(path));
    }
    return p;
  }

  /** Closes every appender (tests that simulate a new process). */
  static async closeAll(): Promise<void> {
    const all = [...registry.values()];
    registry.clear();
    for (const p of all) await (await p.catch(() => undefined))?.close();
  }

  private static async open(path: string): Promise<SegmentAppender> {
    const handle = await open(path, 'a+').then(async (h) => {
      await h.close();
      return open(path, 'r+');
    });
    const { size, txns } = await scan(handle);
    const { size: fileSize } = await handle.stat();
    if (fileSize > size) {
      const torn = Buffer.alloc(fileSize - size);
      await handle.read(torn, 0, torn.length, size);
      await writeFile(`${path}.torn-${size}`, torn);
      await handle.truncate(size);
      await handle.datasync();
      process.emitWarning(`weir stream store: cut ${torn.length} bytes of an incomplete append off ${path} at offset ${size} (kept in ${path}.torn-${size})`, { code: 'WEIR_STREAM_STORE' });
    }
    return new SegmentAppender(path, handle, size, txns);
  }

  /** Committed bytes (the offset after the last whole frame). */
  get length(): number {
    return this.size;
  }

  /** True when a frame of this transaction is in the segment. */
  hasTransaction(txnId: string): boolean {
    return this.txns.has(txnId);
  }

  /**
   * Appends a frame durably. With a transaction id, appends only if the segment does not hold
   * that transaction yet (idempotent re-commit); resolves false when it was already there.
   */
  append(frame: Buffer, txnId = ''): Promise<boolean> {
    const run = this.chain.then(async () => {
      if (this.closed) throw new Error(`segment ${this.path} is closed`);
      if (txnId !== '' && this.txns.has(txnId)) return false;
      let written = 0;
      while (written < frame.length) {
        const { bytesWritten } = await this.handle.write(frame, written, frame.length - written, this.size + written);
        written += bytesWritten;
      }
      await this.handle.datasync();
      this.size += frame.length;
      if (txnId !== '') this.txns.add(txnId);
      return true;
    });
    this.chain = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    await this.handle.close();
  }
}

async function scan(handle: FileHandle): Promise<{ size: number; txns: Set<string> }> {
  const txns = new Set<string>();
  let offset = 0;
  let carry = Buffer.alloc(0);
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset + carry.length);
    if (bytesRead === 0) return { size: offset, txns };
    const buf = carry.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
    const { frames, consumed, end } = decodeFrames(buf, offset, false);
    for (const f of frames) if (f.txnId !== '') txns.add(f.txnId);
    offset += consumed;
    if (end === 'corrupt') return { size: offset, txns };
    carry = Buffer.from(buf.subarray(consumed));
  }
}
