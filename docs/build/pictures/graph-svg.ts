/**
 * The job graph of `env.explain()` as an SVG picture: dagre lays the graph out left to right (as
 * the data flows), this file draws it. Nodes show the operator's name and kind, edges their
 * partitioning (`hash` after a keyBy), side-output tag or feedback (dashed), as `toMermaid` does.
 */
import dagre from '@dagrejs/dagre';
import type { JobEdge, JobGraph, JobNode } from '@weir/core';
import { el, esc, svgDocument, text, textWidth } from './svg.js';

const LINE_H = 15;
const MAX_LINE = 30;
const KIND_COLOURS: Record<string, string> = { source: '#ddf4ff', sink: '#fff8c5' };

/** SVG of a job graph. */
export function graphSvg(graph: JobGraph, title: string, labelOf: (e: JobEdge) => string = edgeLabel): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 20, ranksep: 56, edgesep: 12, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<number, { w: number; h: number; lines: string[] }>();
  for (const n of graph.nodes) {
    const lines = wrap(n.name, MAX_LINE);
    const w = Math.max(textWidth(n.kind, 10), ...lines.map((l) => textWidth(l, 12))) + 24;
    const h = lines.length * LINE_H + 30;
    boxes.set(n.id, { w, h, lines });
    g.setNode(String(n.id), { width: w, height: h });
  }
  graph.edges.forEach((e, i) => {
    const label = labelOf(e);
    const size = label ? { width: textWidth(label, 10) + 6, height: 14, labelpos: 'c' as const } : {};
    g.setEdge(String(e.from), String(e.to), { minlen: 1, weight: e.feedback ? 0 : 1, ...size }, `e${i}`);
  });
  dagre.layout(g);
  const width = Math.ceil(g.graph().width ?? 100);
  const height = Math.ceil(g.graph().height ?? 60);
  const defs = el(
    'defs',
    {},
    el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, el('path', { d: 'M0 0L10 5L0 10z', fill: '#656d76' })),
  );
  const edges = graph.edges.map((e, i) => {
    const laid = g.edge({ v: String(e.from), w: String(e.to), name: `e${i}` });
    const points = laid?.points ?? [];
    const path = el('path', {
      d: smoothPath(points),
      fill: 'none',
      stroke: '#656d76',
      'stroke-width': 1.3,
      'stroke-dasharray': e.feedback ? '5 4' : undefined,
      'marker-end': 'url(#arrow)',
    });
    const label = labelOf(e);
    return label && laid?.x !== undefined && laid.y !== undefined
      ? path + text(laid.x, laid.y + 3, label, { 'text-anchor': 'middle', class: 'small muted' })
      : path;
  });
  const nodes = graph.nodes.map((n) => nodeBox(n, g.node(String(n.id)), boxes.get(n.id)!));
  return svgDocument(width, height, title, defs + edges.join('') + nodes.join(''));
}

function nodeBox(n: JobNode, pos: { x: number; y: number }, box: { w: number; h: number; lines: string[] }): string {
  const x = pos.x - box.w / 2;
  const y = pos.y - box.h / 2;
  return el(
    'g',
    {},
    el('rect', { x, y, width: box.w, height: box.h, rx: 6, fill: KIND_COLOURS[n.kind] ?? '#f6f8fa', stroke: '#8c959f' }),
    ...box.lines.map((l, i) => text(pos.x, y + 19 + i * LINE_H, l, { 'text-anchor': 'middle' })),
    text(pos.x, y + box.h - 9, n.kind, { 'text-anchor': 'middle', class: 'small muted mono' }),
  );
}

/** Breaks a long operator name after commas or spaces into lines of at most `max` characters. */
function wrap(name: string, max: number): string[] {
  const words = name.split(/(?<=[, ])/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (line + w).trimEnd().length > max) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += w;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

function edgeLabel(e: JobEdge): string {
  const labels: string[] = [];
  if (e.partitioning !== 'forward') labels.push(e.partitioning);
  if (e.sideOutput !== undefined) labels.push(`side: ${e.sideOutput}`);
  if (e.feedback) labels.push('feedback');
  return labels.join(', ');
}

/** A path through dagre's points with the corners rounded by quadratic curves. */
function smoothPath(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M${r(first.x)},${r(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const next = rest[i + 1]!;
    d += `Q${r(p.x)},${r(p.y)} ${r((p.x + next.x) / 2)},${r((p.y + next.y) / 2)}`;
  }
  const last = rest.at(-1);
  if (last) d += `L${r(last.x)},${r(last.y)}`;
  return esc(d);
}

const r = (n: number) => Math.round(n * 10) / 10;
