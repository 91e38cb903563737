/**
 * Reads what a FileSink has committed and checks it: against the expected lines (multiset:
 * lost, duplicated, wrong), against a reference run (each key's lines in the same order), and
 * the commit protocol's invariants at a crash (nothing visible before its checkpoint is
 * durable; nothing visible ever changes afterwards).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface Committed {
  readonly lines: string[];
  /** Visible files, name -> SHA-256 of the content. */
  readonly files: Map<string, string>;
  /** Visible files whose last line has no newline (a torn write made visible). */
  readonly torn: number;
  /** Hidden (in-progress or pending) files present. */
  readonly hidden: number;
}

export async function readCommitted(dir: string): Promise<Committed> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch {
    names = [];
  }
  const lines: string[] = [];
  const files = new Map<string, string>();
  let torn = 0;
  let hidden = 0;
  for (const n of names) {
    if (n.startsWith('.')) {
      hidden++;
      continue;
    }
    const text = await fs.readFile(join(dir, n), 'utf8');
    files.set(n, createHash('sha256').update(text).digest('hex'));
    if (text.length > 0 && !text.endsWith('\n')) torn++;
    const parts = text.split('\n');
    parts.pop();
    lines.push(...parts);
  }
  return { lines, files, torn, hidden };
}

export interface Anomalies {
  lost: number;
  duplicated: number;
  inconsistent: number;
}

export const noAnomalies = (): Anomalies => ({ lost: 0, duplicated: 0, inconsistent: 0 });
export const total = (a: Anomalies): number => a.lost + a.duplicated + a.inconsistent;
export function add(into: Anomalies, a: Anomalies): void {
  into.lost += a.lost;
  into.duplicated += a.duplicated;
  into.inconsistent += a.inconsistent;
}

function counts(lines: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/** Multiset comparison: lines missing, lines repeated, lines that should not exist at all. */
export function compareLines(actual: readonly string[], expected: readonly string[]): Anomalies {
  const exp = counts(expected);
  const act = counts(actual);
  const a = noAnomalies();
  for (const [line, n] of exp) a.lost += Math.max(0, n - (act.get(line) ?? 0));
  for (const [line, n] of act) {
    const e = exp.get(line);
    if (e === undefined) a.inconsistent += n;
    else a.duplicated += Math.max(0, n - e);
  }
  return a;
}

const keyOf = (line: string) => line.slice(0, line.indexOf('|'));

/** Keys whose lines come in a different order than in the reference. */
export function keysOutOfOrder(actual: readonly string[], reference: readonly string[]): number {
  const group = (lines: readonly string[]) => {
    const m = new Map<string, string[]>();
    for (const l of lines) {
      const k = keyOf(l);
      let list = m.get(k);
      if (!list) m.set(k, (list = []));
      list.push(l);
    }
    return m;
  };
  const a = group(actual);
  let n = 0;
  for (const [k, ref] of group(reference)) {
    const got = a.get(k) ?? [];
    if (got.length !== ref.length || got.some((l, i) => l !== ref[i])) n++;
  }
  return n;
}

/** Checkpoint id of a committed part file `part-<id>-<seq>`; undefined for `part-end-*`. */
export function partCheckpoint(name: string): number | undefined {
  const m = /^part-(\d{10})-\d+$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Id of the newest durable checkpoint: the newest complete checkpoint directory (renamed from its
 * temporary name, so its manifest is there), whether or not LATEST was updated before the crash,
 * since restore uses it either way; or what LATEST names (the in-place broken variant). 0: none.
 */
export async function latestDurableCheckpoint(checkpointDir: string): Promise<number> {
  const idOf = async (name: string) => {
    try {
      const manifest = await fs.readFile(join(checkpointDir, name, 'manifest'), 'utf8');
      return Number((JSON.parse(manifest.slice(manifest.indexOf('\n') + 1)) as { checkpointId: number }).checkpointId);
    } catch {
      return 0;
    }
  };
  let best = 0;
  let names: string[] = [];
  try {
    names = await fs.readdir(checkpointDir);
  } catch {
    return 0;
  }
  for (const n of names) if (/^chk-\d{10}$/.test(n)) best = Math.max(best, await idOf(n));
  try {
    best = Math.max(best, await idOf((await fs.readFile(join(checkpointDir, 'LATEST'), 'utf8')).trim()));
  } catch {
    // no pointer yet
  }
  return best;
}
