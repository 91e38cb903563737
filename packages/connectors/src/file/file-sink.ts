/**
 * `FileSink.lines(dir, { encode? })`: writes one line per record into part files, with
 * two-phase commit so that a job with checkpoints and a replayable source produces every line
 * exactly once, across crashes (file names and lifecycle in part-files.ts).
 *
 * Records are buffered and appended to a hidden in-progress file in the background. At a
 * checkpoint barrier the writer seals its transaction (pre-commit): the buffered lines are
 * written, the file is fsynced, closed and renamed to a hidden pending name, and the directory
 * fsynced — all before the checkpoint itself is written. When the checkpoint is durable the
 * runtime commits: pending files are renamed to their visible names. After a crash, `recover`
 * deletes the hidden files of attempts that never reached a completed checkpoint, and the
 * pending files of the restored checkpoint are committed (again, idempotently).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, SerializationError, type Sink, type SinkContext, type SinkWriter } from '@weir/core';
import { commitParts, discardUncommitted, type FileCommittable, finalName, fsyncDir, inProgressName, pendingName } from './part-files.js';

/**
 * Options of {@link FileSink.lines}.
 *
 * @example
 * ```ts
 * FileSink.lines<Tick>('./out', { encode: (t) => `${t.symbol},${t.price}`, prefix: 'ticks', suffix: '.csv' });
 * ```
 */
export interface FileSinkOptions<T> {
  /**
   * Turns a record into its line (without the newline). Default: strings as they are, anything
   * else as JSON (BigInt as a decimal string). A line containing `\n` is a `SerializationError`.
   */
  readonly encode?: (value: T) => string;
  /** File name prefix of the part files, default `'part'`. One job per directory and prefix. */
  readonly prefix?: string;
  /** File name suffix of committed part files, e.g. `'.csv'`. Default none. */
  readonly suffix?: string;
  /** Start a new part file within a checkpoint once this many bytes were written. Default 128 MiB. */
  readonly maxPartBytes?: number;
}

/** Lines buffered in memory before they are handed to the file, in UTF-16 code units. */
const FLUSH_CHARS = 64 << 10;

const jsonReplacer = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

function defaultEncode(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, jsonReplacer) ?? String(value);
}

interface Resolved<T> {
  readonly dir: string;
  readonly encode: (value: T) => string;
  readonly prefix: string;
  readonly suffix: string;
  readonly maxPartBytes: number;
}

class FileLinesWriter<T> implements SinkWriter<T, FileCommittable> {
  private lines: string[] = [];
  private chars = 0;
  private handle: FileHandle | undefined = undefined;
  private current = '';
  private currentBytes = 0;
  /** Closed in-progress files of the open transaction (rolled by size), in order. */
  private sealed: string[] = [];
  private files = 0;
  private io: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private readonly id = randomBytes(4).toString('hex');

  constructor(
    private readonly o: Resolved<T>,
    private readonly operatorName: string,
  ) {}

  write(value: T): void {
    if (this.failure !== undefined) throw this.failure;
    const line = this.o.encode(value);
    if (typeof line !== 'string' || line.includes('\n')) {
      throw new SerializationError(
        `FileSink '${this.o.dir}' (operator '${this.operatorName}'): encode() must return a string without line breaks, got ${JSON.stringify(line)}`,
      );
    }
    this.lines.push(line);
    this.chars += line.length + 1;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  prepareCommit(checkpointId: number): Promise<FileCommittable | undefined> {
    this.flush();
    // Sealing is queued behind the writes so far; records written while it runs go to the next file.
    return this.enqueue(async () => {
      if (this.handle) await this.closeCurrent();
      const sealed = this.sealed;
      this.sealed = [];
      if (sealed.length === 0) return undefined;
      const files = sealed.map((file, seq) => ({ file, pending: pendingName(this.o.prefix, checkpointId, seq), final: finalName(this.o.prefix, checkpointId, seq, this.o.suffix) }));
      for (const f of files) await fs.rename(join(this.o.dir, f.file), join(this.o.dir, f.pending));
      await fsyncDir(this.o.dir);
      return { checkpointId, files: files.map(({ pending, final }) => ({ pending, final })) };
    });
  }

  async close(): Promise<void> {
    await this.io;
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => {});
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const data = Buffer.from(`${this.lines.join('\n')}\n`, 'utf8');
    this.lines = [];
    this.chars = 0;
    // Failures are kept in `failure` and rethrown by the next write or pre-commit.
    this.enqueue(() => this.append(data)).catch(() => {});
  }

  private async append(data: Buffer): Promise<void> {
    if (this.handle === undefined) {
      this.current = inProgressName(this.o.prefix, this.id, this.files++);
      await fs.mkdir(this.o.dir, { recursive: true });
      this.handle = await fs.open(join(this.o.dir, this.current), 'w');
      this.currentBytes = 0;
    }
    let done = 0;
    while (done < data.length) done += (await this.handle.write(data, done, data.length - done)).bytesWritten;
    this.currentBytes += data.length;
    if (this.currentBytes >= this.o.maxPartBytes) await this.closeCurrent();
  }

  private async closeCurrent(): Promise<void> {
    const h = this.handle!;
    this.handle = undefined;
    await h.sync();
    await h.close();
    this.sealed.push(this.current);
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    const p = this.io.then(() => {
      if (this.failure !== undefined) throw this.failure;
      return task();
    });
    this.io = p.then(
      () => {},
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    return p;
  }
}

class FileLinesSink<T> implements Sink<T, FileCommittable> {
  readonly name: string;
  constructor(private readonly o: Resolved<T>) {
    this.name = `File Sink (${o.dir})`;
  }

  createWriter(ctx: SinkContext): SinkWriter<T, FileCommittable> {
    return new FileLinesWriter(this.o, ctx.operatorName);
  }

  commit(committables: readonly FileCommittable[]): Promise<void> {
    return commitParts(this.o.dir, committables);
  }

  async recover(restored: { readonly state: unknown; readonly committables: readonly FileCommittable[] } | undefined): Promise<void> {
    await fs.mkdir(this.o.dir, { recursive: true });
    const keep = new Set<string>();
    for (const c of restored?.committables ?? []) for (const f of c.files) keep.add(f.pending);
    await discardUncommitted(this.o.dir, this.o.prefix, keep);
  }
}

/**
 * Sinks that write files.
 *
 * @example
 * ```ts
 * env.fromSource(FileSource.lines('in.txt')).map((l) => l.toUpperCase()).sinkTo(FileSink.lines('./out'));
 * ```
 */
export const FileSink = {
  /**
   * Writes each record as one line into part files in `dir`. Transactional: lines become visible
   * (as `part-<checkpoint>-<seq>`) when the checkpoint that covers them completes, or at the end
   * of a bounded job (`part-end-<seq>` without checkpointing); in-progress and pending files are
   * hidden (their names start with `.`). With a replayable source and `restore: 'latest'`, the
   * committed lines after any crash equal those of a run that never failed. Reading the
   * committed output: the visible files of `dir` in name order.
   *
   * @example
   * ```ts
   * stream.sinkTo(FileSink.lines('./out', { encode: (t: Tick) => `${t.symbol},${t.price}`, suffix: '.csv' }));
   * ```
   */
  lines<T>(dir: string, options: FileSinkOptions<T> = {}): Sink<T, FileCommittable> {
    const prefix = options.prefix ?? 'part';
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(prefix)) throw new ConfigError(`FileSink.lines('${dir}'): prefix '${prefix}' must be a plain file name part (letters, digits, _ . -)`);
    const maxPartBytes = options.maxPartBytes ?? 128 << 20;
    if (!(maxPartBytes > 0)) throw new ConfigError(`FileSink.lines('${dir}'): maxPartBytes must be positive (got ${maxPartBytes})`);
    return new FileLinesSink<T>({
      dir: resolve(dir),
      encode: options.encode ?? (defaultEncode as (value: T) => string),
      prefix,
      suffix: options.suffix ?? '',
      maxPartBytes,
    });
  },
} as const;
