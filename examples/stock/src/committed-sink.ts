/**
 * Committed output: a transactional sink of text lines into a directory, exactly-once together
 * with checkpoints (weir's two-phase-commit `Sink`).
 *
 * - Between two checkpoints the writer keeps the lines in memory.
 * - At a checkpoint (`prepareCommit(id)`) it writes them to a hidden file
 *   `.part-<id>-<run>.pending` and fsyncs it: durable but not visible. The file name is the
 *   committable, stored in the checkpoint.
 * - When the checkpoint is durable (`commit`) the file is renamed to `part-<id>.jsonl`: visible.
 *   A rename is atomic and idempotent (done again after a crash, it finds the file committed).
 * - On a restart (`recover`) hidden files that are not the restored checkpoint's committable are
 *   deleted: they hold output after the checkpoint, which the restarted job produces again.
 *
 * The committed output is the visible part files in checkpoint order: {@link readCommittedLines}.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sink, SinkWriter } from '@weir/core';

/**
 * What a checkpoint holds for the sink: the hidden file to make visible.
 *
 * @example
 * ```ts
 * const c: PartCommittable = { pending: '.part-3-1234.pending', visible: 'part-0000000003.jsonl' };
 * ```
 */
export interface PartCommittable {
  readonly pending: string;
  readonly visible: string;
}

const VISIBLE = /^part-(\d+|final)\.jsonl$/;
const PENDING = /^\.part-.*\.pending$/;

function visibleName(checkpointId: number): string {
  return checkpointId < 0 ? 'part-final.jsonl' : `part-${String(checkpointId).padStart(10, '0')}.jsonl`;
}

async function fsyncDir(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

let runs = 0;

/**
 * Lines of `encode(value)` committed into `dir` at each completed checkpoint.
 *
 * @example
 * ```ts
 * results.sinkTo(new CommittedLinesSink('./out', toJsonLine));
 * await env.execute();
 * await readCommittedLines('./out');
 * ```
 */
export class CommittedLinesSink<T> implements Sink<T, PartCommittable> {
  readonly name = 'Committed Lines Sink';
  private readonly run = `${process.pid}-${Date.now().toString(36)}-${++runs}`;

  constructor(
    readonly dir: string,
    private readonly encode: (value: T) => string,
  ) {}

  createWriter(): SinkWriter<T, PartCommittable> {
    let lines: string[] = [];
    return {
      write: (value) => {
        lines.push(this.encode(value));
      },
      prepareCommit: async (checkpointId) => {
        if (lines.length === 0) return undefined;
        const body = `${lines.join('\n')}\n`;
        lines = [];
        const pending = `.part-${checkpointId}-${this.run}.pending`;
        await mkdir(this.dir, { recursive: true });
        const path = join(this.dir, pending);
        await writeFile(path, body);
        const fd = openSync(path, 'r+');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        return { pending, visible: visibleName(checkpointId) };
      },
    };
  }

  async commit(committables: readonly PartCommittable[]): Promise<void> {
    for (const c of committables) {
      const from = join(this.dir, c.pending);
      const to = join(this.dir, c.visible);
      try {
        await rename(from, to);
      } catch (e) {
        // Committed before (a commit repeated after a restart): the visible file is there.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (await exists(to))) continue;
        throw e;
      }
    }
    if (committables.length > 0) await fsyncDir(this.dir);
  }

  async recover(restored: { readonly state: unknown; readonly committables: readonly PartCommittable[] } | undefined): Promise<void> {
    const keep = new Set((restored?.committables ?? []).map((c) => c.pending));
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) if (PENDING.test(name) && !keep.has(name)) await unlink(join(this.dir, name));
  }
}

/**
 * The committed lines of a {@link CommittedLinesSink} directory, in commit order.
 *
 * @example
 * ```ts
 * const results = (await readCommittedLines('./cp/results')).map(fromJsonLine);
 * ```
 */
export async function readCommittedLines(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const parts = names.filter((n) => VISIBLE.test(n)).sort();
  const out: string[] = [];
  for (const p of parts) {
    const text = await readFile(join(dir, p), 'utf8');
    for (const line of text.split('\n')) if (line !== '') out.push(line);
  }
  return out;
}
