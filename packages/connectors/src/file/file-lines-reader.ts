/**
 * Reads a file line by line for {@link FileSource.lines}, replayable by byte offset.
 *
 * Chunks read from the file go through a LineFramer, which queues each line with the file offset
 * just past it. The offset after the last emitted line (with the file's inode) is the position a
 * checkpoint stores, so a restore continues at the first line that was not emitted:
 *
 * ```
 * file:  a,1\n b,2\n c,3\n d,       (d, is a partial line: no newline yet)
 * emit:  "a,1" -> position 4, "b,2" -> 8, "c,3" -> 12
 * EOF:   bounded: "d," is the last line (position 14); follow: "d," waits for its newline
 * ```
 *
 * Reads are asynchronous (one chunk ahead), polls are synchronous: `pollNext` hands over the
 * complete lines that are queued and reports NOTHING_AVAILABLE while the next chunk is read.
 *
 * With `follow` the reader behaves like `tail -F`: at the end of the file it waits (fs.watch on
 * the directory, plus a polling fallback) for appended bytes; when the path names a new file
 * (rotation: rename + create) it first drains the old file to its end — its last partial line
 * included, since nobody will complete it — then continues at the start of the new file. When
 * the file shrinks in place (copytruncate) it starts again at offset 0, with a warning. A
 * checkpoint taken in the old file restores into it by finding its inode in the same directory
 * (the rotated name), so rotation during downtime loses nothing that is still on disk.
 * @internal
 */
import { type FSWatcher, promises as fs, watch } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LineFramer, PollStatus, RecordQueue, type RejectedLine, SourceError, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';

/**
 * A position in a file source: the byte offset after the last emitted line, and the inode of
 * the file it refers to (0 when unknown).
 *
 * @example
 * ```ts
 * const p: FilePosition = { offset: 4096, inode: 1234567 };
 * ```
 */
export interface FilePosition {
  readonly offset: number;
  readonly inode: number;
}

/** Resolved options of a file reader. @internal */
export interface FileLinesReaderOptions {
  readonly follow: boolean;
  readonly pollIntervalMs: number;
  readonly maxLineBytes: number;
  readonly chunkBytes: number;
}

/** A framed line (or a reject) and the file offset just past it. */
type FramedLine = { readonly text: string; readonly end: number } | { readonly rejected: RejectedLine; readonly end: number };

const warn = (message: string) => process.emitWarning(message, { code: 'WEIR_FILE_SOURCE' });
const isMissing = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** @internal */
export class FileLinesReader implements SourceReader<string> {
  private handle: FileHandle | undefined = undefined;
  /** Inode of the open file (0: unknown). */
  private inode = 0;
  /** Position: file offset right after the last emitted line. */
  private offset = 0;
  /** File offset right after the last framed line. */
  private framedEnd = 0;
  /** Where the next read starts. */
  private readOffset = 0;
  /** Lines framed and not emitted yet (all of the open file). */
  private lines = new RecordQueue<FramedLine>();
  private framer: LineFramer;
  private reading: Promise<void> | undefined = undefined;
  private pending: Promise<void> | undefined = undefined;
  private eof = false;
  /** Follow: the path names a newer file; finish this one, then switch. */
  private rotated = false;
  private failure: unknown = undefined;
  private closed = false;
  private restored: FilePosition | undefined = undefined;
  private watcher: FSWatcher | undefined = undefined;
  private wake: (() => void) | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;

  constructor(
    private readonly path: string,
    private readonly options: FileLinesReaderOptions,
    private readonly ctx: SourceReaderContext,
  ) {
    this.framer = this.newFramer();
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number') this.restored = { offset: position, inode: 0 };
    else this.restored = position as FilePosition;
  }

  snapshotPosition(): FilePosition {
    return { offset: this.offset, inode: this.inode };
  }

  async start(): Promise<void> {
    if (this.options.follow) this.startWatching();
    const r = this.restored;
    if (r === undefined) {
      await this.openPath(0);
      return;
    }
    let handle: FileHandle | undefined;
    try {
      handle = await fs.open(this.path, 'r');
    } catch (e) {
      if (!isMissing(e) || !this.options.follow) throw this.error(`cannot open the file (${(e as Error).message})`, e);
    }
    const st = handle ? await handle.stat() : undefined;
    if (r.inode !== 0 && st?.ino !== r.inode) {
      if (this.options.follow) {
        const old = await this.findByInode(r.inode);
        if (old !== undefined) {
          await handle?.close();
          // The checkpointed file was rotated away: finish it, then go on with the new one.
          await this.adopt(await fs.open(old, 'r'), r.offset);
          this.rotated = true;
          return;
        }
        warn(`File source '${this.path}': the file read at the checkpoint (inode ${r.inode}) is gone; reading the current file from its start`);
        if (handle) await this.adopt(handle, 0);
        return;
      }
      if (st) warn(`File source '${this.path}': the file was replaced since the checkpoint (inode ${r.inode} -> ${st.ino}); continuing at byte ${r.offset}`);
    }
    if (!handle) return; // follow: the file appears later
    if (r.offset > st!.size) {
      if (!this.options.follow) {
        await handle.close();
        throw this.error(`the checkpoint position (byte ${r.offset}) is beyond the end of the file (${st!.size} bytes)`);
      }
      warn(`File source '${this.path}': the file is shorter than the checkpoint position (truncated); reading from its start`);
      await this.adopt(handle, 0);
      return;
    }
    await this.adopt(handle, r.offset);
  }

  pollNext(output: SourceOutput<string>, maxRecords: number): PollStatus {
    if (this.failure !== undefined) throw this.failure;
    if (this.handle === undefined) return PollStatus.NOTHING_AVAILABLE;
    let n = 0;
    for (; n < maxRecords; n++) {
      const line = this.lines.shift();
      if (line === undefined) break;
      this.emit(output, line);
    }
    if (n === maxRecords) {
      this.prefetch();
      return PollStatus.MORE_AVAILABLE;
    }
    if (this.reading !== undefined) return PollStatus.NOTHING_AVAILABLE;
    if (!this.eof) {
      this.read();
      return PollStatus.NOTHING_AVAILABLE;
    }
    if (!this.options.follow) {
      this.emitTail(output);
      return PollStatus.END_OF_INPUT;
    }
    if (this.rotated) {
      // The old file is complete: its partial last line is a line, then on to the new file.
      this.emitTail(output);
      this.pending = this.switchFiles();
    }
    return PollStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined || this.closed) return Promise.resolve();
    if (this.reading !== undefined) return this.reading;
    if (this.pending !== undefined) return this.pending;
    if (this.handle === undefined) return (this.pending = this.waitForChange().then(() => this.openPath(0)));
    if (this.eof && this.options.follow) return (this.pending = this.waitForChange().then(() => this.checkFile()));
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  /** Emits one framed line; the position moves past it before the output sees it. */
  private emit(output: SourceOutput<string>, line: FramedLine): void {
    const position: FilePosition = { offset: this.offset, inode: this.inode };
    this.offset = line.end;
    if ('text' in line) return output.collect(line.text);
    const r = line.rejected;
    const reason = r.kind === 'too long' ? `${r.reason} (${r.lineBytes} bytes)` : r.reason;
    output.deadLetter({ input: r.preview, reason, position });
  }

  /** At the end of a file that will not grow: a last line without newline still counts. */
  private emitTail(output: SourceOutput<string>): void {
    this.framer.flushAsLine();
    const line = this.lines.shift();
    if (line !== undefined) this.emit(output, line);
  }

  private newFramer(): LineFramer {
    return new LineFramer(
      {
        line: (text, bytes) => this.lines.push({ text, end: (this.framedEnd += bytes) }),
        reject: (rejected) => this.lines.push({ rejected, end: (this.framedEnd += rejected.bytes) }),
      },
      { maxLineBytes: this.options.maxLineBytes },
    );
  }

  /** Reads ahead while less than half a chunk of read bytes waits to be emitted. */
  private prefetch(): void {
    if (this.reading === undefined && !this.eof && this.readOffset - this.offset < this.options.chunkBytes / 2) this.read();
  }

  private read(): void {
    const handle = this.handle!;
    const size = this.options.chunkBytes;
    const p = handle.read(Buffer.allocUnsafe(size), 0, size, this.readOffset).then(
      ({ bytesRead, buffer }) => {
        this.reading = undefined;
        if (handle !== this.handle) return; // switched files or closed meanwhile
        if (bytesRead === 0) {
          this.eof = true;
          return;
        }
        this.readOffset += bytesRead;
        this.framer.write(buffer.subarray(0, bytesRead));
      },
      (e: unknown) => {
        this.reading = undefined;
        if (!this.closed) this.failure ??= this.error(`read failed at byte ${this.readOffset} (${(e as Error).message})`, e);
      },
    );
    this.reading = p;
  }

  /** Takes `handle` as the file being read, continuing at `offset`. */
  private async adopt(handle: FileHandle, offset: number): Promise<void> {
    const st = await handle.stat();
    this.handle = handle;
    this.inode = st.ino;
    this.offset = offset;
    this.readOffset = offset;
    this.framedEnd = offset;
    this.lines = new RecordQueue();
    this.framer = this.newFramer();
    this.eof = false;
    this.rotated = false;
  }

  private async openPath(offset: number): Promise<void> {
    this.pending = undefined;
    try {
      await this.adopt(await fs.open(this.path, 'r'), offset);
    } catch (e) {
      if (!isMissing(e) || !this.options.follow) throw this.error(`cannot open the file (${(e as Error).message})`, e);
    }
  }

  private async switchFiles(): Promise<void> {
    const old = this.handle;
    this.handle = undefined;
    await old?.close().catch(() => {});
    await this.openPath(0);
  }

  /** Follow mode at EOF: did the file grow, shrink or get replaced? */
  private async checkFile(): Promise<void> {
    this.pending = undefined;
    let st;
    try {
      st = await fs.stat(this.path);
    } catch (e) {
      if (!isMissing(e)) this.failure ??= this.error(`cannot stat the file (${(e as Error).message})`, e);
      return; // renamed away and not yet recreated: wait
    }
    if (st.ino !== this.inode) {
      this.rotated = true;
      this.eof = false; // drain whatever was appended to the old file before the switch
    } else if (st.size < this.readOffset) {
      warn(`File source '${this.path}': the file shrank from ${this.readOffset} to ${st.size} bytes (truncated in place); reading from its start`);
      await this.adopt(this.handle!, 0);
    } else if (st.size > this.readOffset) this.eof = false;
  }

  private waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        this.ctx.signal.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, this.options.pollIntervalMs);
      this.ctx.signal.addEventListener('abort', done);
    });
  }

  private startWatching(): void {
    const dir = dirname(this.path);
    const name = basename(this.path);
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || file === name) this.wake?.();
      });
      this.watcher.on('error', () => {}); // polling still covers us
    } catch {
      // The directory may not exist yet; the polling fallback covers that.
    }
  }

  private async findByInode(inode: number): Promise<string | undefined> {
    const dir = dirname(this.path);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return undefined;
    }
    for (const n of names) {
      const p = join(dir, n);
      try {
        const st = await fs.stat(p);
        if (st.isFile() && st.ino === inode) return p;
      } catch {
        // vanished meanwhile
      }
    }
    return undefined;
  }

  private error(message: string, cause?: unknown): SourceError {
    return new SourceError(this.ctx.sourceName, `${this.path}: ${message}`, cause === undefined ? undefined : { cause });
  }
}
