/**
 * Savepoints (issue #17): a checkpoint of an incremental chain, whose keyed state lives in files
 * it shares with earlier checkpoints, is copied away as a self-contained directory; with the
 * original checkpoint directory gone, a job restored from the savepoint continues exactly (its
 * output equals the uninterrupted model), and its first checkpoint is full. A damaged file is
 * refused while copying; a savepoint is never written over an existing directory.
 */
import { cp, mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointCorruptError, ConfigError, type Sink, savepoint, StreamEnvironment } from '@weir/core';

interface Ev {
  k: string;
  v: number;
}
/** Run 1: 37 keys; runs 2 and 3 change a few (so the chain has deltas); run 4 continues. */
const inputs: Ev[][] = [
  Array.from({ length: 200 }, (_, i) => ({ k: `k${i % 37}`, v: i })),
  Array.from({ length: 20 }, (_, i) => ({ k: `k${1 + (i % 2)}`, v: i })),
  Array.from({ length: 20 }, (_, i) => ({ k: 'k3', v: i })),
  Array.from({ length: 30 }, (_, i) => ({ k: `k${i % 5}`, v: 1000 + i })),
];

/** Each key's running sums, in input order (the model of a rolling sum). */
function model(events: readonly Ev[]): string[] {
  const sums = new Map<string, number>();
  return events.map((e) => {
    const s = (sums.get(e.k) ?? 0) + e.v;
    sums.set(e.k, s);
    return `${e.k}=${s}`;
  });
}

/**
 * The "external system" the runs commit to, idempotently per checkpoint id (a restored job
 * commits its restored transaction again; `collect()` is per environment and would repeat it).
 */
class Committed {
  private readonly byCheckpoint = new Map<string, string[]>();
  sink(run: string): Sink<string, { id: string; items: string[] }> {
    return {
      name: 'committed',
      createWriter: () => {
        let items: string[] = [];
        return {
          write: (v) => void items.push(v),
          prepareCommit: (id) => {
            const c = { id: `${run}:${id}`, items };
            items = [];
            return c;
          },
        };
      },
      commit: (cs) => {
        for (const c of cs) if (!this.byCheckpoint.has(c.id)) this.byCheckpoint.set(c.id, c.items);
      },
    };
  }
  items(): string[] {
    return [...this.byCheckpoint.values()].flat();
  }
}

function job(dir: string, runs: number, restore: 'latest' | string, committed = new Committed(), run = dir) {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 60_000, dir, retain: 3 },
    restore,
    restartStrategy: { attempts: 0 },
    logger: { info: () => {}, warn: () => {} },
  });
  const out = env
    .fromCollection(inputs.slice(0, runs).flat())
    .uid('events')
    .keyBy('k')
    .sum('v')
    .uid('rolling')
    .map((e) => `${e.k}=${e.v}`);
  out.sinkTo(committed.sink(run)).uid('out');
  return { env, committed };
}

const manifestFiles = async (dir: string) => {
  const raw = await readFile(join(dir, 'manifest'), 'utf8');
  return Object.keys((JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { files: Record<string, unknown> }).files);
};

let root: string;
let chain: string;
let newest: string;
const committed = new Committed();
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-savepoint-'));
  chain = join(root, 'checkpoints');
  for (let runs = 1; runs <= 3; runs++) await job(chain, runs, 'latest', committed, 'chain').env.execute('savepoints');
  newest = (await readdir(chain)).filter((n) => n.startsWith('chk-')).sort().at(-1)!;
  // The newest checkpoint is a delta: it refers to shared files written by earlier checkpoints.
  expect((await manifestFiles(join(chain, newest))).filter((f) => f.startsWith('../shared/')).length).toBe(3);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('savepoints', () => {
  it('holds every file itself; restored after the checkpoint directory is gone, the job continues exactly and checkpoints in full', async () => {
    const copy = join(root, 'copy');
    await cp(chain, copy, { recursive: true });
    const target = join(root, 'savepoints', 'sp-1');
    const sp = await savepoint(join(copy, newest), target);
    expect(sp.path).toBe(target);
    expect(sp.checkpointId).toBe(Number(newest.slice(4)));
    const files = await manifestFiles(target);
    expect(files.every((f) => !f.includes('/'))).toBe(true);
    expect((await readdir(target)).sort()).toEqual(expect.arrayContaining([...files, 'manifest', 'manifest.copy']));
    await rm(copy, { recursive: true, force: true });

    const fresh = join(root, 'after-savepoint');
    const result = await job(fresh, 4, target, committed, 'after-savepoint').env.execute('savepoints');
    expect(result.restoredFrom?.path).toBe(target);
    expect(committed.items()).toEqual(model(inputs.flat()));
    // Nothing to build on in the new directory: its first checkpoint holds all keyed state.
    const first = (await readdir(fresh)).filter((n) => n.startsWith('chk-')).sort()[0]!;
    const raw = await readFile(join(fresh, first, 'manifest'), 'utf8');
    const parts = (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { operators: Array<{ parts: Array<{ kind: string; full?: boolean }> }> }).operators.flatMap((o) => o.parts);
    expect(parts.filter((p) => p.kind === 'keyGroup').every((p) => p.full === true)).toBe(true);
  });

  it('refuses a damaged file while copying, naming it, and leaves no savepoint', async () => {
    const copy = join(root, 'damaged');
    await cp(chain, copy, { recursive: true });
    const shared = (await readdir(join(copy, 'shared'))).sort();
    await truncate(join(copy, 'shared', shared[0]!), 7);
    const target = join(root, 'savepoints', 'sp-damaged');
    await expect(savepoint(join(copy, newest), target)).rejects.toSatisfy((e: unknown) => e instanceof CheckpointCorruptError && e.file === join(copy, 'shared', shared[0]!));
    await expect(readdir(target)).rejects.toThrow();
  });

  it('never writes over an existing directory', async () => {
    const target = join(root, 'savepoints', 'taken');
    await cp(join(chain, newest), target, { recursive: true });
    await expect(savepoint(join(chain, newest), target)).rejects.toBeInstanceOf(ConfigError);
  });
});
