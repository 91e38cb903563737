/**
 * Reads a file's lines from a byte offset to its end, ahead of the job (up to a high-water mark),
 * each line with the byte offset just past it: the replay position after that line. Used by
 * sources that parse a finished log file (the K8s audit source); following a growing file is
 * `FileSource`'s job.
 * @internal
 */
import { type FileHandle, open } from 'node:fs/promises';
import { LineFramer, RecordQueue } from '@weir/core';

/** A framed line (or a reject) and the offset after it. */
export type FileLine =
  | { readonly text: string; readonly end: number; readonly reject?: undefined }
  | { readonly text: string; readonly end: number; readonly reject: string };

const CHUNK = 64 * 1024;
const HIGH_WATER = 8192;

export class BoundedLineFile {
  readonly queue = new RecordQueue<FileLine>();
  private handle: FileHandle | undefined = undefined;
  private offset: number;
  private framed: number;
  private pumping = false;
  private done = false;
  private readonly framer: LineFramer;

  constructor(
    private readonly path: string,
    startOffset: number,
    maxLineBytes: number,
  ) {
    this.offset = startOffset;
    this.framed = startOffset;
    this.framer = new LineFramer(
      {
        line: (text, bytes) => {
          this.framed += bytes;
          this.queue.push({ text, end: this.framed });
        },
        reject: ({ preview, reason, bytes }) => {
          this.framed += bytes;
          this.queue.push({ text: preview, end: this.framed, reject: reason });
        },
      },
      { maxLineBytes },
    );
  }

  async open(): Promise<void> {
    this.handle = await open(this.path, 'r');
    this.pump();
  }

  /** Reads more when the queue ran low; call after taking items. */
  pump(): void {
    if (this.pumping || this.done || this.queue.length >= HIGH_WATER / 2) return;
    this.pumping = true;
    void this.readMore().finally(() => {
      this.pumping = false;
    });
  }

  async close(): Promise<void> {
    this.done = true;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async readMore(): Promise<void> {
    const buf = Buffer.allocUnsafe(CHUNK);
    try {
      while (!this.done && this.queue.length < HIGH_WATER) {
        const { bytesRead } = await this.handle!.read(buf, 0, CHUNK, this.offset);
        if (bytesRead === 0) {
          this.framer.flushAsLine(); // a last line without '\n' is still a line of a finished file
          this.done = true;
          this.queue.end();
          return;
        }
        this.offset += bytesRead;
        this.framer.write(Buffer.from(buf.subarray(0, bytesRead)));
      }
    } catch (e) {
      this.done = true;
      this.queue.fail(e);
    }
  }
}
