/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): the functions with the most self time and the
 * most inclusive time, by function name and source location.
 *
 *   node --expose-gc --cpu-prof --cpu-prof-dir=prof bench/dist/child.js tumbling full --impl weir
 *   node bench/dist/profile-top.js prof/*.cpuprofile [--top 25]
 *
 * Frames in bundled files that have a source map beside them (`dist/index.js.map`) are named by
 * their original source file and line (`window-operator.ts:120`), so a profile of the built
 * packages points into the packages' sources.
 *
 * Worked example: a sample whose stack is run > processElement > get counts 1 sample of self time
 * for `get` and one of inclusive time for each of the three (once per function, however often
 * it recurses).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self and inclusive time of one function, µs. */
export interface FrameTime {
  readonly frame: string;
  self: number;
  total: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A decoded source map: per generated line, segments [generated column, source, line]. */
interface SourceMap {
  readonly sources: readonly string[];
  readonly lines: readonly (readonly (readonly [number, number, number])[])[];
}

/** Decodes a v3 source map's `mappings` (base64 VLQ, fields relative to the previous segment). */
function decodeSourceMap(json: { sources: string[]; mappings: string }): SourceMap {
  const lines: [number, number, number][][] = [];
  let source = 0;
  let line = 0;
  for (const text of json.mappings.split(';')) {
    const segments: [number, number, number][] = [];
    let column = 0;
    for (const seg of text.split(',')) {
      if (seg === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0] ?? 0;
      if (fields.length >= 4) {
        source += fields[1]!;
        line += fields[2]!;
        segments.push([column, source, line]);
      }
    }
    lines.push(segments);
  }
  return { sources: json.sources, lines };
}

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(url: string): SourceMap | null {
  let m = maps.get(url);
  if (m !== undefined) return m;
  m = null;
  try {
    const path = `${url.startsWith('file:') ? fileURLToPath(url) : url}.map`;
    if (existsSync(path)) m = decodeSourceMap(JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; mappings: string });
  } catch {
    m = null;
  }
  maps.set(url, m);
  return m;
}

/** `file:line` of a frame, through the file's source map when it has one. */
function location(f: CallFrame): string {
  const map = f.url ? sourceMapOf(f.url) : null;
  const segments = map?.lines[f.lineNumber];
  if (map && segments && segments.length > 0) {
    let best = segments[0]!;
    for (const s of segments) if (s[0] <= f.columnNumber) best = s;
    return `${basename(map.sources[best[1]] ?? '?')}:${best[2] + 1}`;
  }
  return f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
}

function frameName(f: CallFrame): string {
  const where = location(f);
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/**
 * Self and inclusive time per function of a profile.
 *
 * @example
 * ```ts
 * const top = frameTimes(JSON.parse(readFileSync('x.cpuprofile', 'utf8'))).sort((a, b) => b.self - a.self);
 * ```
 */
export function frameTimes(profile: CpuProfile): FrameTime[] {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const times = new Map<string, FrameTime>();
  const get = (name: string): FrameTime => {
    let t = times.get(name);
    if (t === undefined) times.set(name, (t = { frame: name, self: 0, total: 0 }));
    return t;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    let id: number | undefined = profile.samples[i]!;
    get(frameName(byId.get(id)!.callFrame)).self += dt;
    const seen = new Set<string>();
    while (id !== undefined) {
      const name = frameName(byId.get(id)!.callFrame);
      if (!seen.has(name)) {
        seen.add(name);
        get(name).total += dt;
      }
      id = parent.get(id);
    }
  }
  return [...times.values()];
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = args.filter((a, i) => !a.startsWith('--') && i !== topAt + 1);
  for (const file of files) {
    const times = frameTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
    const all = times.reduce((s, t) => s + t.self, 0);
    const pct = (x: number) => `${((x / all) * 100).toFixed(1).padStart(5)}%`;
    process.stdout.write(`\n${file}: ${(all / 1e6).toFixed(1)} s sampled\n  self time\n`);
    for (const t of [...times].sort((a, b) => b.self - a.self).slice(0, top)) process.stdout.write(`  ${pct(t.self)}  ${t.frame}\n`);
    process.stdout.write('  inclusive time\n');
    for (const t of [...times].sort((a, b) => b.total - a.total).slice(0, top)) process.stdout.write(`  ${pct(t.total)}  ${t.frame}\n`);
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(basename(process.argv[1]))) main();
