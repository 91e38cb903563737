/**
 * The job of the issue #14 reports, in-process: FileSource -> keyBy -> tumbling event-time window
 * -> FileSink, with checkpoints. The input is paced (a few lines per millisecond) so that many
 * checkpoints complete during a run, and the job can be stopped right after the sink committed a
 * chosen checkpoint (sources are told of a completed checkpoint after the sinks committed it).
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PollStatus, type Source, type SourceOutput, type SourceReader, StreamEnvironment } from '@weir/core';
import { FileSink, FileSource } from '@weir/connectors';
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import { paced } from '../child/paced-source.js';
import { generateEvents, toLine } from '../pipelines/events.js';
import { PIPELINES } from '../pipelines/index.js';
import { eventTime } from '../pipelines/pipeline.js';

export const PIPELINE = PIPELINES['tumbling-sum']!;

/** Writes `n` generated events to `path`; returns the lines the job must commit (the model). */
export async function writeInput(path: string, seed: number, n: number): Promise<string[]> {
  const events = generateEvents(seed, n);
  await writeFile(path, `${events.map(toLine).join('\n')}\n`);
  return PIPELINE.model(events);
}

/** Delegates to a reader; `onCommitted(id)` runs once the sinks committed checkpoint `id`. */
class NotifyingReader<T> implements SourceReader<T> {
  constructor(
    private readonly inner: SourceReader<T>,
    private readonly onCommitted: (id: number) => void,
  ) {}
  start(): void | Promise<void> {
    return this.inner.start?.();
  }
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    return this.inner.pollNext(output, maxRecords);
  }
  isAvailable(): Promise<void> {
    return this.inner.isAvailable();
  }
  snapshotPosition(checkpointId?: number): unknown {
    return this.inner.snapshotPosition?.(checkpointId);
  }
  restorePosition(position: unknown): void {
    this.inner.restorePosition?.(position);
  }
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.inner.notifyCheckpointComplete?.(checkpointId);
    this.onCommitted(checkpointId);
  }
  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}

function notifying<T>(source: Source<T>, onCommitted: (id: number) => void): Source<T> {
  return {
    name: source.name,
    bounded: source.bounded,
    replayable: source.replayable,
    createReader: (ctx) => new NotifyingReader(source.createReader(ctx), onCommitted),
  };
}

export interface FileJobOptions {
  readonly input: string;
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly restore: 'latest' | string | false;
  readonly retain?: number;
  readonly warnings?: string[];
  readonly onCommitted?: (id: number) => void;
  /**
   * Another job: `wider` is the same chain with 2-second windows (so the same generated uids),
   * `passthrough` copies the lines (other operators).
   */
  readonly variant?: 'tumbling' | 'wider' | 'passthrough';
}

export function fileJob(o: FileJobOptions): StreamEnvironment {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 10, dir: o.checkpointDir, retain: o.retain ?? 3 },
    restore: o.restore,
    restartStrategy: { attempts: 0 },
    logger: { info: () => {}, warn: (m) => o.warnings?.push(m) },
  });
  let source: Source<string> = paced(FileSource.lines(o.input, { chunkBytes: 4096 }), 20, 1);
  if (o.onCommitted) source = notifying(source, o.onCommitted);
  const lines = env.fromSource(source).uid('input');
  const out =
    o.variant === 'passthrough'
      ? lines.map((l) => `copy|${l}`)
      : o.variant === 'wider'
        ? eventTime(lines)
            .keyBy('k')
            .window(TumblingEventTimeWindows.of(Time.seconds(2)))
            .sum('v')
            .process((e, ctx, out) => out.collect(`${e.k}|${ctx.timestamp}|${e.v}`))
        : PIPELINE.build(lines);
  out.sinkTo(FileSink.lines(o.outDir)).uid('output');
  return env;
}

/** Names of the visible part files of checkpoint `id`. */
export function partsOf(outDir: string, id: number): string[] {
  const label = String(id).padStart(10, '0');
  return readdirSync(outDir).filter((n) => n.startsWith(`part-${label}-`));
}

/** The complete checkpoint directories, oldest first. */
export function checkpointNames(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^chk-\d{10}$/.test(n))
    .sort();
}

/** Reads a manifest's JSON body (either format version). */
export async function manifestOf(checkpoint: string): Promise<{
  operators: Array<{ uid: string; file?: string; parts: Array<{ kind: string; file?: string; offset: number; length: number }> }>;
  files: Record<string, { bytes: number; copy?: string }>;
}> {
  const raw = await readFile(join(checkpoint, 'manifest'), 'utf8');
  return JSON.parse(raw.slice(raw.indexOf('\n') + 1));
}

/**
 * A file holding keyed state (key groups) of the window, and where its first key group starts:
 * the one this checkpoint wrote itself when it wrote one (with incremental checkpoints the
 * others are shared with the checkpoints before it), else the first it refers to.
 */
export async function keyedStateFile(checkpoint: string): Promise<{ file: string; offset: number }> {
  const m = await manifestOf(checkpoint);
  const id = Number(/chk-(\d+)$/.exec(checkpoint)?.[1]);
  const parts = m.operators.flatMap((op) => op.parts.filter((p) => p.kind === 'keyGroup' && p.length > 0).map((p) => ({ file: (p.file ?? op.file)!, offset: p.offset })));
  const own = parts.find((p) => p.file.startsWith(`../shared/${id}-`));
  const part = own ?? parts[0];
  if (part === undefined) throw new Error(`no keyed state in ${checkpoint}`);
  return { file: join(checkpoint, part.file), offset: part.offset };
}

export async function flipByte(path: string, at: number): Promise<void> {
  const data = await readFile(path);
  data[at % data.length]! ^= 0x20;
  await writeFile(path, data);
}

/** Counts the lines in the given part files. */
export async function linesIn(outDir: string, names: readonly string[]): Promise<number> {
  let n = 0;
  for (const name of names) n += (await readFile(join(outDir, name), 'utf8')).split('\n').length - 1;
  return n;
}
