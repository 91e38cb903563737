/**
 * State TTL in running jobs (issue #17), with the injectable processing-time clock: a keyed
 * `ValueState` with a time-to-live of 1 s, written and read at chosen processing times, gives the
 * model's answers (visible before write + 1000, gone from then on), the same when the job is
 * stopped and restored from its checkpoint in the middle (the write times travel with the
 * state); and an idle job removes expired state in the background, which the operator's
 * `stateEntries` metric shows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type KeyedProcessFunction,
  ManualClock,
  PollStatus,
  type Sink,
  type Source,
  StateTtlConfig,
  StreamEnvironment,
  ValueStateDescriptor,
} from '@weir/core';

const TTL = 1000;

/** Write `v` for `k` or read `k`'s value, at processing time `at`. */
interface Op {
  readonly k: string;
  readonly op: 'w' | 'r';
  readonly v?: number;
  readonly at: number;
}

const ops: Op[] = [
  { k: 'a', op: 'w', v: 1, at: 0 },
  { k: 'b', op: 'w', v: 2, at: 100 },
  { k: 'a', op: 'r', at: 500 },
  { k: 'b', op: 'r', at: 999 },
  { k: 'a', op: 'r', at: 999 },
  { k: 'a', op: 'r', at: 1000 },
  { k: 'b', op: 'w', v: 3, at: 1050 },
  { k: 'b', op: 'r', at: 1099 },
  { k: 'c', op: 'w', v: 4, at: 1200 },
  { k: 'b', op: 'r', at: 2049 },
  { k: 'b', op: 'r', at: 2050 },
  { k: 'c', op: 'r', at: 2100 },
  { k: 'c', op: 'r', at: 2200 },
];

/** The model: a value is visible from its write until write + TTL - 1. */
function model(list: readonly Op[]): string[] {
  const written = new Map<string, { v: number; at: number }>();
  const out: string[] = [];
  for (const o of list) {
    if (o.op === 'w') written.set(o.k, { v: o.v!, at: o.at });
    else {
      const w = written.get(o.k);
      out.push(`${o.k}@${o.at}=${w !== undefined && o.at < w.at + TTL ? w.v : 'none'}`);
    }
  }
  return out;
}

/** One op per poll, the clock set to its time first; replayable from a position. */
function opsSource(list: readonly Op[], clock: ManualClock): Source<Op> {
  return {
    name: 'ops',
    bounded: true,
    replayable: true,
    createReader: () => {
      let i = 0;
      return {
        pollNext(out) {
          if (i >= list.length) return PollStatus.END_OF_INPUT;
          clock.set(list[i]!.at);
          out.collect(list[i++]!);
          return i >= list.length ? PollStatus.END_OF_INPUT : PollStatus.MORE_AVAILABLE;
        },
        isAvailable: () => Promise.resolve(),
        snapshotPosition: () => i,
        restorePosition: (p) => {
          i = p as number;
        },
      };
    },
  };
}

const value = new ValueStateDescriptor<number>('value').enableTimeToLive(StateTtlConfig.newBuilder(TTL).disableCleanupInBackground().build());
const readWrite: KeyedProcessFunction<string, Op, string> = {
  processElement(o, ctx, out) {
    const s = ctx.getState(value);
    if (o.op === 'w') s.update(o.v!);
    else out.collect(`${o.k}@${o.at}=${s.value() ?? 'none'}`);
  },
};

/** Output committed per checkpoint, idempotently (a restored job commits its restored transaction again). */
class Committed {
  private readonly byId = new Map<string, string[]>();
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
        for (const c of cs) if (!this.byId.has(c.id)) this.byId.set(c.id, c.items);
      },
    };
  }
  items(): string[] {
    return [...this.byId.values()].flat();
  }
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weir-ttl-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function job(list: readonly Op[], dir: string, restore: 'latest' | false, committed: Committed, run: string, clock: ManualClock) {
  const env = StreamEnvironment.create({ clock, checkpointing: { intervalMs: 60_000, dir }, restore, restartStrategy: { attempts: 0 }, logger: { info() {}, warn() {} } });
  env.fromSource(opsSource(list, clock)).uid('ops').keyBy('k').process(readWrite).uid('ttl').sinkTo(committed.sink(run)).uid('out');
  return env;
}

describe('state TTL in a job', () => {
  it('reads give the model, uninterrupted and across a restore in the middle', async () => {
    const whole = new Committed();
    await job(ops, join(root, 'whole'), false, whole, 'whole', new ManualClock(0)).execute('ttl');
    expect(whole.items()).toEqual(model(ops));
    expect(model(ops)).toContain('a@999=1');
    expect(model(ops)).toContain('a@1000=none');

    for (const cut of [3, 6, 9]) {
      const dir = join(root, `split-${cut}`);
      const split = new Committed();
      await job(ops.slice(0, cut), dir, false, split, 'first', new ManualClock(0)).execute('ttl');
      // The restored job runs on a clock of its own that starts where the first one stopped.
      const result = await job(ops, dir, 'latest', split, 'second', new ManualClock(ops[cut - 1]!.at)).execute('ttl');
      expect(result.restoredFrom).toBeDefined();
      expect(split.items()).toEqual(model(ops));
    }
  });

  it('an idle job removes expired state in the background; the stateEntries metric shows it', async () => {
    const clock = new ManualClock(0);
    let release!: () => void;
    const idle = new Promise<void>((r) => (release = r));
    const writes: Op[] = Array.from({ length: 50 }, (_, i) => ({ k: `k${i}`, op: 'w', v: i, at: 10 }));
    const source: Source<Op> = {
      name: 'writes then idle',
      bounded: true,
      createReader: () => {
        let i = 0;
        let ended = false;
        void idle.then(() => (ended = true));
        return {
          pollNext(out) {
            if (i < writes.length) {
              out.collect(writes[i++]!);
              return PollStatus.MORE_AVAILABLE;
            }
            return ended ? PollStatus.END_OF_INPUT : PollStatus.NOTHING_AVAILABLE;
          },
          isAvailable: () => idle,
        };
      },
    };
    const background = new ValueStateDescriptor<number>('value').enableTimeToLive(StateTtlConfig.newBuilder(TTL).cleanupIncrementally(0, false).build());
    const env = StreamEnvironment.create({ clock, logger: { info() {}, warn() {} } });
    env
      .fromSource(source)
      .keyBy('k')
      .process<string>({
        processElement(o, ctx) {
          ctx.getState(background).update(o.v!);
        },
      })
      .uid('ttl')
      .sinkTo({ name: 'discard', createWriter: () => ({ write() {} }) });
    const running = env.execute('ttl background');
    const entries = () => env.metrics().operators.find((o) => o.uid === 'ttl')?.stateEntries;
    const settle = () => new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 50 && entries() !== 50; i++) await settle();
    expect(entries()).toBe(50);
    clock.set(500);
    await settle();
    expect(entries()).toBe(50);
    clock.set(10 + TTL);
    for (let i = 0; i < 50 && entries() !== 0; i++) await settle();
    expect(entries()).toBe(0);
    release();
    await running;
  });
});
