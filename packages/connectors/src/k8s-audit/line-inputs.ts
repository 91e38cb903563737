/**
 * Where the audit source's lines come from — a finished log file (replayable by byte offset), an
 * array or other re-iterable collection (replayable by line index), or an async iterable (not
 * replayable) — behind one pull interface for the reader.
 * @internal
 */
import { RecordQueue } from '@weir/core';
import { BoundedLineFile } from '../common/bounded-line-file.js';

/** One line and the replay position after it. */
export interface InputLine {
  readonly text: string;
  readonly reject?: string | undefined;
  /** Replay position after this line: byte offset (files) or line count (collections). */
  readonly next: number;
}

export interface LineInput {
  start(position: number): Promise<void> | void;
  /** The next line, or undefined when none is buffered now. */
  take(): InputLine | undefined;
  readonly ended: boolean;
  whenAvailable(): Promise<void>;
  close(): Promise<void> | void;
}

export class FileInput implements LineInput {
  private file: BoundedLineFile | undefined = undefined;
  constructor(
    private readonly path: string,
    private readonly maxLineBytes: number,
  ) {}
  async start(position: number): Promise<void> {
    this.file = new BoundedLineFile(this.path, position, this.maxLineBytes);
    await this.file.open();
  }
  take(): InputLine | undefined {
    const f = this.file!;
    f.queue.throwIfFailed();
    const l = f.queue.shift();
    f.pump();
    return l === undefined ? undefined : { text: l.text, reject: l.reject, next: l.end };
  }
  get ended(): boolean {
    return this.file!.queue.ended && this.file!.queue.length === 0;
  }
  whenAvailable(): Promise<void> {
    return this.file!.queue.whenAvailable();
  }
  close(): Promise<void> | void {
    return this.file?.close();
  }
}

export class IterableInput implements LineInput {
  private it: Iterator<string> | undefined = undefined;
  private index = 0;
  ended = false;
  constructor(private readonly lines: Iterable<string>) {}
  start(position: number): void {
    this.it = this.lines[Symbol.iterator]();
    for (let i = 0; i < position && !this.ended; i++) if (this.it.next().done) this.ended = true;
    this.index = position;
  }
  take(): InputLine | undefined {
    if (this.ended) return undefined;
    const r = this.it!.next();
    if (r.done) {
      this.ended = true;
      return undefined;
    }
    return { text: r.value, next: ++this.index };
  }
  whenAvailable(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.it?.return?.();
  }
}

export class AsyncIterableInput implements LineInput {
  private readonly queue = new RecordQueue<string>();
  private index = 0;
  private stopped = false;
  constructor(private readonly lines: AsyncIterable<string>) {}
  start(position: number): void {
    this.index = position;
    void this.pump(position);
  }
  take(): InputLine | undefined {
    this.queue.throwIfFailed();
    const text = this.queue.shift();
    return text === undefined ? undefined : { text, next: ++this.index };
  }
  get ended(): boolean {
    return this.queue.ended && this.queue.length === 0;
  }
  whenAvailable(): Promise<void> {
    return this.queue.whenAvailable();
  }
  close(): void {
    this.stopped = true;
  }
  private async pump(skip: number): Promise<void> {
    try {
      for await (const line of this.lines) {
        if (this.stopped) return;
        if (skip > 0) skip--;
        else this.queue.push(line);
      }
      this.queue.end();
    } catch (e) {
      this.queue.fail(e);
    }
  }
}
