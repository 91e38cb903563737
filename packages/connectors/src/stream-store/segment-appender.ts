/**
 * Appends frames to one segment file (a registry hands every writer of a segment in this process
 * the same appender), by group commit: the frames queued while a commit is under way go out
 * together in the next one, which
 *
 * 1. writes them after the committed end, each stamped with its offset, and `fdatasync`s the segment;
 * 2. writes the new committed length to the commit record and `fdatasync`s it;
 * 3. only then resolves their `append` promises.
 *
 * So everything below the recorded length was acknowledged and is durable, and a crash can only
 * leave damage past it. On open, the segment is checked against its commit record
 * (`segment-recovery.ts`): corruption below the committed length makes the open fail with a
 * `StreamStoreCorruptError` (the appender refuses the segment; nothing is cut off), while a torn
 * tail past it is moved aside to `<segment>.torn-<offset>` — kept for inspection, reported with
 * a warning — and cut off. The scan also collects the transaction ids present, which makes
 * transactional commits idempotent.
 * @internal
 */
import { type FileHandle, open, writeFile } from 'node:fs/promises';
import { CommitRecordWriter, createCommitRecord, openCommitRecord, readCommit } from './commit-record.js';
import { stampFrame } from './frame-codec.js';
import { scanSegment } from './segment-recovery.js';
import { commitRecordPath, segmentNumberOf } from './stream-config.js';
import { StreamStoreCorruptError } from './stream-store-corrupt-error.js';

interface QueuedAppend {
  readonly frame: Buffer;
  readonly txnId: string;
  readonly resolve: (appended: boolean) => void;
  readonly reject: (e: unknown) => void;
}

const registry = new Map<string, Promise<SegmentAppender>>();

export class SegmentAppender {
  private queue: QueuedAppend[] = [];
  private draining: Promise<void> | undefined = undefined;
  private closed = false;
  private failure: unknown = undefined;
  private released = false;
  /** This appender's entry in the registry (so a failed appender removes itself, not a successor). */
  private entry: Promise<SegmentAppender> | undefined = undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly record: CommitRecordWriter,
    private size: number,
    private readonly txns: Set<string>,
  ) {}

  /** The appender of the segment at `path` (opened and checked once per process; retried after a failure). */
  static for(path: string): Promise<SegmentAppender> {
    let p = registry.get(path);
    if (p === undefined) {
      p = SegmentAppender.open(path);
      registry.set(path, p);
      const entry = p;
      p.then(
        (a) => {
          a.entry = entry;
        },
        () => {
          if (registry.get(path) === entry) registry.delete(path);
        },
      );
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
    const segment = segmentNumberOf(path);
    const handle = await open(path, 'a+').then(async (h) => {
      await h.close();
      return open(path, 'r+');
    });
    let record: CommitRecordWriter | undefined;
    try {
      record = await openRecord(path, segment, handle);
      const { goodEnd, fileSize, txns } = await scanSegment(handle, path, segment, record.length);
      if (fileSize > goodEnd) {
        const torn = Buffer.alloc(fileSize - goodEnd);
        await handle.read(torn, 0, torn.length, goodEnd);
        await writeFile(`${path}.torn-${goodEnd}`, torn);
        await handle.truncate(goodEnd);
        await handle.datasync();
        process.emitWarning(`weir stream store: cut ${torn.length} bytes of an incomplete append off ${path} at offset ${goodEnd} (kept in ${path}.torn-${goodEnd})`, { code: 'WEIR_STREAM_STORE' });
      }
      // Good frames past the committed length (synced, but the crash came before their commit
      // record): commit them now, so readers see them and the tail is clean.
      if (goodEnd > record.length) await record.commit(goodEnd);
      return new SegmentAppender(path, handle, record, goodEnd, txns);
    } catch (e) {
      await record?.close().catch(() => {});
      await handle.close().catch(() => {});
      throw e;
    }
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
   * Appends a frame durably (resolves once the frame and the commit record that covers it are
   * synced). With a transaction id, appends only if the segment does not hold that transaction
   * yet (idempotent re-commit); resolves false when it was already there.
   */
  append(frame: Buffer, txnId = ''): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      if (this.closed) return reject(new Error(`segment ${this.path} is closed`));
      if (this.failure !== undefined) return reject(this.failure);
      this.queue.push({ frame, txnId, resolve, reject });
      this.draining ??= this.drain().finally(() => {
        this.draining = undefined;
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    await this.release();
  }

  private async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.record.close().catch(() => {});
    await this.handle.close().catch(() => {});
  }

  /** Commits the queue, one group at a time, until it is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      if (this.failure !== undefined) {
        for (const a of group) a.reject(this.failure);
        continue;
      }
      await this.commitGroup(group);
    }
  }

  private async commitGroup(group: QueuedAppend[]): Promise<void> {
    const frames: Buffer[] = [];
    const added = new Set<string>();
    let end = this.size;
    for (const a of group) {
      if (a.txnId !== '' && (this.txns.has(a.txnId) || added.has(a.txnId))) continue;
      frames.push(stampFrame(a.frame, end));
      end += a.frame.length;
      if (a.txnId !== '') added.add(a.txnId);
    }
    try {
      if (frames.length > 0) {
        const bytes = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
        let written = 0;
        while (written < bytes.length) written += (await this.handle.write(bytes, written, bytes.length - written, this.size + written)).bytesWritten;
        await this.handle.datasync();
        await this.record.commit(end);
      }
    } catch (e) {
      // After a failed write or sync the state of the file is unknown (a failed fsync may have
      // dropped dirty pages): refuse further appends here; the next opener rescans the segment.
      this.failure = e;
      if (registry.get(this.path) === this.entry) registry.delete(this.path);
      for (const a of group) a.reject(e);
      void this.release();
      return;
    }
    this.size = end;
    const appended = new Set<QueuedAppend>();
    for (const a of group) {
      if (a.txnId === '') appended.add(a);
      else if (added.delete(a.txnId)) {
        this.txns.add(a.txnId);
        appended.add(a);
      }
    }
    for (const a of group) a.resolve(appended.has(a));
  }
}

/**
 * The segment's commit record, created (saying 0 bytes) for a segment that has none yet and is
 * empty. A non-empty segment without one was written by format 1 (or lost its record): its
 * committed length is unknown, and guessing could cut committed data, so that is refused.
 */
async function openRecord(path: string, segment: number, handle: FileHandle): Promise<CommitRecordWriter> {
  const recordPath = commitRecordPath(path);
  let h = await openCommitRecord(recordPath, 'r+');
  if (h === undefined) {
    const { size } = await handle.stat();
    if (size > 0) throw new StreamStoreCorruptError(path, segment, 0, `the segment has ${size} bytes but no commit record ${recordPath} (written by an older weir, whose format this one does not read, or the record was lost)`);
    await createCommitRecord(recordPath);
    h = (await openCommitRecord(recordPath, 'r+'))!;
  }
  const c = await readCommit(h);
  if (c === 'unreadable') {
    await h.close();
    throw new StreamStoreCorruptError(path, segment, 0, `its commit record ${recordPath} is unreadable (both slots fail their checksum)`);
  }
  return new CommitRecordWriter(h, c);
}
