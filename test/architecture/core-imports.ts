/**
 * The import graph of @weir/core's sources, by top-level folder, and the layer order it must
 * follow (docs/architecture.md). Shared by the layer test and the architecture picture, so the
 * picture is drawn from the same facts the test checks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORE_SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/core/src');

/** Layer of each top-level folder (or file) of packages/core/src, bottom = 0. */
export const LAYERS: Readonly<Record<string, number>> = {
  'errors.ts': 0,
  graph: 0,
  functions: 1,
  state: 2,
  time: 2,
  aggregation: 2,
  contract: 3,
  checkpoint: 3,
  operators: 4,
  windowing: 4,
  windows: 4,
  sources: 4,
  sinks: 4,
  runtime: 5,
  api: 6,
  'index.ts': 7,
};

/** What each layer is for, bottom first. */
export const LAYER_NAMES: readonly string[] = [
  'graph / errors',
  'user function types',
  'state / time / aggregation',
  'operator contract / checkpoint storage',
  'operators / windowing / windows / sources / sinks',
  'runtime',
  'api',
  'public index',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.test-d.ts') ? [path] : [];
  });
}

/** The top-level folder (or file) of a path under `root`. */
export const topOf = (path: string, root = CORE_SRC): string => relative(root, path).split(sep)[0]!;

/** Every relative import of every source file under `root` (tests excluded), as [file, imported file]. */
export function coreImports(root = CORE_SRC): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      out.push([file, resolve(dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts')]);
    }
  }
  return out;
}

/**
 * Imports that run against the layer order, as "from -> to" lines: an import is allowed within a
 * folder, or into a folder of a strictly lower layer; never into the same layer's other folders
 * (crossing) or a higher one (upward), and never from or into a folder without a layer.
 */
export function layerViolations(imports: ReadonlyArray<readonly [string, string]>, root = CORE_SRC): string[] {
  const bad: string[] = [];
  for (const [from, to] of imports) {
    const a = topOf(from, root);
    const b = topOf(to, root);
    if (a === b) continue;
    const la = LAYERS[a];
    const lb = LAYERS[b];
    if (la === undefined || lb === undefined || lb >= la) bad.push(`${relative(root, from)} -> ${relative(root, to)}`);
  }
  return bad;
}

/** Folder-to-folder edges with how many imports each carries. */
export function folderEdges(imports: ReadonlyArray<readonly [string, string]>, root = CORE_SRC): Map<string, number> {
  const edges = new Map<string, number>();
  for (const [from, to] of imports) {
    const a = topOf(from, root);
    const b = topOf(to, root);
    if (a !== b) edges.set(`${a} ${b}`, (edges.get(`${a} ${b}`) ?? 0) + 1);
  }
  return edges;
}
