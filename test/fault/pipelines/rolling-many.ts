/**
 * A keyed rolling count and sum over many keys (one per key and value modulo 61, a few hundred in
 * all): long-lived state of which each checkpoint interval changes only a part, so incremental
 * checkpoints are real deltas on top of older segments (a restore that lost the older segments
 * would restart some counts).
 */
import { byKey, type Ev, parseLine } from './events.js';
import type { FaultPipeline } from './pipeline.js';

const keyOf = (e: Ev) => `${e.k}.${e.v % 61}`;

interface Running {
  readonly key: string;
  readonly n: number;
  readonly sum: number;
}

export const rollingMany: FaultPipeline = {
  name: 'rolling count and sum over many keys',
  build: (lines) =>
    lines
      .map(parseLine)
      .map((e): Running => ({ key: keyOf(e), n: 1, sum: e.v }))
      .keyBy('key')
      .reduce((a, b) => ({ key: a.key, n: a.n + b.n, sum: a.sum + b.sum }))
      .map((r) => `${r.key}|${r.n}|${r.sum}`),
  model: (events) => {
    const out: string[] = [];
    const byDerived = new Map<string, Ev[]>();
    for (const evs of byKey(events).values()) {
      for (const e of evs) {
        let list = byDerived.get(keyOf(e));
        if (!list) byDerived.set(keyOf(e), (list = []));
        list.push(e);
      }
    }
    for (const [key, evs] of byDerived) {
      let sum = 0;
      evs.forEach((e, i) => {
        sum += e.v;
        out.push(`${key}|${i + 1}|${sum}`);
      });
    }
    return out;
  },
};
