/**
 * The input of the fault-injection pipelines: CSV lines `key,value,timestamp`, generated from a
 * seed. Values are a per-key random walk of integers (sums stay exact); timestamps advance with
 * occasional long gaps (so sessions and tumbling windows break) and are out of order by at most
 * DISORDER_MS, strictly less than the watermark bound BOUND_MS, so no element is ever late and
 * the models below need no lateness rules.
 */
export interface Ev {
  readonly k: string;
  readonly v: number;
  readonly ts: number;
}

export const BOUND_MS = 50;
export const DISORDER_MS = 40;
export const KEYS = 8;

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateEvents(seed: number, n: number): Ev[] {
  const rnd = prng(seed);
  const walk = new Array<number>(KEYS).fill(100);
  const out: Ev[] = [];
  let t = 1_000_000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 16);
    if (rnd() < 0.02) t += 400;
    const key = Math.floor(rnd() * KEYS);
    walk[key] = Math.max(1, walk[key]! + Math.floor(rnd() * 13) - 6);
    out.push({ k: `k${key}`, v: walk[key]!, ts: t - Math.floor(rnd() * (DISORDER_MS + 1)) });
  }
  return out;
}

export const toLine = (e: Ev): string => `${e.k},${e.v},${e.ts}`;

export function parseLine(line: string): Ev {
  const [k, v, ts] = line.split(',');
  return { k: k!, v: Number(v), ts: Number(ts) };
}

/** Groups events by key, keeping input order. */
export function byKey(events: readonly Ev[]): Map<string, Ev[]> {
  const m = new Map<string, Ev[]>();
  for (const e of events) {
    let list = m.get(e.k);
    if (!list) m.set(e.k, (list = []));
    list.push(e);
  }
  return m;
}
