/**
 * `FileSource.lines(path, { follow? })`: the lines of a text file, replayable by byte offset, so
 * a job with checkpoints reads every line exactly once across crashes and restarts.
 */
import { resolve } from 'node:path';
import { ConfigError, type Source, type SourceReader, type SourceReaderContext } from '@weir/core';
import { FileLinesReader } from './file-lines-reader.js';

/**
 * Options of {@link FileSource.lines}.
 *
 * @example
 * ```ts
 * FileSource.lines('/var/log/app.log', { follow: true, pollIntervalMs: 200 });
 * ```
 */
export interface FileSourceOptions {
  /**
   * Keep reading lines appended to the file, like `tail -F`, including after the file is rotated
   * (renamed and recreated) or truncated. The source is then unbounded. Default false: the
   * source ends at the end of the file, whose last line may lack a newline.
   */
  readonly follow?: boolean;
  /** Follow mode: how often to look for changes when no file-system event arrives, ms. Default 200. */
  readonly pollIntervalMs?: number;
  /** Longer lines (a CRLF's `\r` not counted) go to the dead-letter output (`DEAD_LETTERS`) with the reason. Default 1 MiB. */
  readonly maxLineBytes?: number;
  /** Bytes read per I/O call. Default 256 KiB. */
  readonly chunkBytes?: number;
}

class FileLinesSource implements Source<string> {
  readonly name: string;
  readonly bounded: boolean;
  readonly replayable = true;
  private readonly path: string;

  constructor(
    path: string,
    private readonly options: FileSourceOptions,
  ) {
    this.path = resolve(path);
    this.name = `File Source (${path})`;
    this.bounded = !options.follow;
    for (const key of ['pollIntervalMs', 'maxLineBytes', 'chunkBytes'] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new ConfigError(`FileSource.lines('${path}'): ${key} must be a positive number (got ${v})`);
    }
  }

  createReader(ctx: SourceReaderContext): SourceReader<string> {
    return new FileLinesReader(
      this.path,
      {
        follow: this.options.follow ?? false,
        pollIntervalMs: this.options.pollIntervalMs ?? 200,
        maxLineBytes: this.options.maxLineBytes ?? 1 << 20,
        chunkBytes: this.options.chunkBytes ?? 256 << 10,
      },
      ctx,
    );
  }
}

/**
 * Sources that read files.
 *
 * Each line (without its `\n`, and without a trailing `\r`) becomes one record, stamped with
 * ingestion time unless a watermark strategy assigns event time. Lines that are not valid UTF-8
 * or are longer than `maxLineBytes` go to the dead-letter side output with the reason and their
 * byte offset; they are never dropped silently. The checkpointed position is the byte offset
 * after the last emitted line (with the file's inode), so a restored job continues at the first
 * line it had not yet read.
 *
 * @example
 * ```ts
 * const env = StreamEnvironment.create({ checkpointing: { intervalMs: 1000 }, restore: 'latest' });
 * env.fromSource(FileSource.lines('ticks.csv'))
 *   .map((line) => line.split(','))
 *   .sinkTo(FileSink.lines('./out'));
 * await env.execute();
 * ```
 */
export const FileSource = {
  /**
   * The lines of the file at `path`. With `{ follow: true }` the source never ends and keeps
   * reading appended lines, across rotation.
   *
   * @example
   * ```ts
   * env.fromSource(FileSource.lines('/var/log/app.log', { follow: true }), 'app log');
   * ```
   */
  lines(path: string, options: FileSourceOptions = {}): Source<string> {
    return new FileLinesSource(path, options);
  },
} as const;
