/**
 * Renders a job graph as a Mermaid flowchart (for docs and for people reading a plan).
 *
 * Example output for `fromElements -> map -> print`:
 * ```
 * flowchart LR
 *   n1["Source: elements"]
 *   n2["map"]
 *   n1 --> n2
 * ```
 */
import type { Graph } from './job-graph.js';

/**
 * Mermaid source of the graph; hash edges are labelled `hash`, side outputs by their tag.
 *
 * @example
 * ```ts
 * console.log(toMermaid(env.explain()));
 * ```
 */
export function toMermaid(graph: Graph): string {
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  n${n.id}["${escape(n.name)}"]`);
  for (const e of graph.edges) {
    const labels: string[] = [];
    if (e.partitioning !== 'forward') labels.push(e.partitioning);
    if (e.sideOutput !== undefined) labels.push(`side: ${e.sideOutput}`);
    if (e.feedback) labels.push('feedback');
    const arrow = e.feedback ? '-.->' : '-->';
    lines.push(labels.length ? `  n${e.from} ${arrow}|${escape(labels.join(', '))}| n${e.to}` : `  n${e.from} ${arrow} n${e.to}`);
  }
  return lines.join('\n');
}

/**
 * Graphviz DOT source of the graph.
 *
 * @example
 * ```ts
 * fs.writeFileSync('plan.dot', toDot(env.explain()));
 * ```
 */
export function toDot(graph: Graph): string {
  const lines = ['digraph job {', '  rankdir=LR;'];
  for (const n of graph.nodes) lines.push(`  n${n.id} [label="${escape(n.name)}"];`);
  for (const e of graph.edges) {
    const label = [e.partitioning !== 'forward' ? e.partitioning : '', e.sideOutput ?? ''].filter(Boolean).join(', ');
    lines.push(`  n${e.from} -> n${e.to}${label ? ` [label="${escape(label)}"]` : ''}${e.feedback ? ' [style=dashed]' : ''};`);
  }
  lines.push('}');
  return lines.join('\n');
}

function escape(s: string): string {
  return s.replace(/"/g, '#quot;');
}
