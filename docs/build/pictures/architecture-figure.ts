/**
 * The layers of @weir/core as a picture, drawn from the import graph of its sources (the same
 * scan the layer test checks): one box per folder with its layer, one arrow per folder that
 * imports another, labelled with how many imports it carries. Arrows only point down the layers.
 */
import type { GraphNode, JobEdge } from '@weir/core';
import { coreImports, folderEdges, LAYERS } from '../../../test/architecture/core-imports.js';
import { graphSvg } from './graph-svg.js';

/** SVG of the folders of packages/core/src and their imports. */
export function architectureSvg(): string {
  // The public index re-exports everything and every folder may throw errors.ts' errors: leaving
  // both out keeps the picture readable (the layer test checks them like every other import).
  const shown = (f: string) => f !== 'index.ts' && f !== 'errors.ts';
  const folders = Object.keys(LAYERS).filter(shown).sort((a, b) => LAYERS[b]! - LAYERS[a]! || a.localeCompare(b));
  const id = new Map(folders.map((f, i) => [f, i + 1]));
  const nodes: GraphNode[] = folders.map((f) => ({
    id: id.get(f)!,
    uid: f,
    uidSetByUser: false,
    kind: `layer ${LAYERS[f]}`,
    name: f,
    parallelism: 1,
    spec: undefined,
  }));
  // Sorted: the scan follows the file system's directory order, which differs between clones.
  const edges: Array<JobEdge & { imports: number }> = [...folderEdges(coreImports())]
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([pair]) => pair.split(' ').every((f) => id.has(f)))
    .map(([pair, n]) => {
      const [from, to] = pair.split(' ') as [string, string];
      return { from: id.get(from)!, to: id.get(to)!, partitioning: 'forward' as const, inputIndex: 0 as const, imports: n };
    });
  const graph = { nodes, edges };
  const count = (e: JobEdge) => String((e as JobEdge & { imports?: number }).imports ?? '');
  return graphSvg(graph as never, '@weir/core: folders and their imports (arrow: imports; number: how many)', count);
}
