/**
 * Test helpers: drive a file reader directly (without a job) and record what it emits with the
 * position after each record, so tests can check offsets byte for byte.
 * @internal
 */
import { PollStatus, systemClock, type DeadLetter, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import type { FilePosition } from './file-lines-reader.js';

export interface Emitted {
  readonly line?: string;
  readonly dead?: Omit<DeadLetter, 'source'>;
  /** Position right after this record. */
  readonly after: FilePosition;
}

export function readerContext(signal: SourceReaderContext['signal'] = new AbortController().signal): SourceReaderContext {
  return { sourceName: 'test file', clock: systemClock, signal };
}

/** Records everything a reader emits. */
export class Recorder implements SourceOutput<string> {
  readonly out: Emitted[] = [];
  constructor(private readonly reader: SourceReader<string>) {}
  collect(line: string): void {
    this.out.push({ line, after: this.reader.snapshotPosition!() as FilePosition });
  }
  deadLetter(dead: Omit<DeadLetter, 'source'>): void {
    this.out.push({ dead, after: this.reader.snapshotPosition!() as FilePosition });
  }
  lines(): string[] {
    return this.out.filter((e) => e.line !== undefined).map((e) => e.line!);
  }
}

/** Polls until END_OF_INPUT (bounded), or until `until` holds (follow), with a deadline. */
export async function pump(reader: SourceReader<string>, rec: Recorder, opts: { batch?: number; until?: () => boolean; timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    if (opts.until?.()) return;
    if (Date.now() > deadline) throw new Error(`reader did not get there in time; got ${JSON.stringify(rec.lines())}`);
    const status = reader.pollNext(rec, opts.batch ?? 1000);
    if (status === PollStatus.END_OF_INPUT) return;
    if (status === PollStatus.NOTHING_AVAILABLE) await reader.isAvailable();
  }
}
