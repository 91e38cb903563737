/**
 * A scaled-out plan as a Mermaid flowchart: one subgraph per sub-topology (with its task count),
 * the plan's edges inside them, and a dotted edge from each repartition sink to its repartition
 * source labelled with the stream that carries the records between processes.
 *
 * Example, for `clicks by user -> keyBy(page) -> window`:
 * ```
 * flowchart LR
 *   subgraph s0["sub-topology 0: 8 tasks"]
 *     n1["clicks"]
 *     n5["Repartition Sink: pages-repartition-1"]
 *   end
 *   ...
 *   n5 -.->|"pages-repartition-1 (8 partitions)"| n6
 * ```
 */
import type { ScaleOutPlan } from './plan-scale-out.js';

const escape = (s: string) => s.replace(/"/g, '#quot;');

/**
 * Mermaid source of a scaled-out plan.
 *
 * @example
 * ```ts
 * console.log(scaleOutToMermaid(planScaleOut(env.explain(), { jobName: 'pages' })));
 * ```
 */
export function scaleOutToMermaid(plan: ScaleOutPlan): string {
  const lines = ['flowchart LR'];
  const byId = new Map(plan.graph.nodes.map((n) => [n.id, n]));
  for (const s of plan.subtopologies) {
    lines.push(`  subgraph s${s.id}["sub-topology ${s.id}: ${s.partitions} tasks (${s.id}_0 .. ${s.id}_${s.partitions - 1})"]`);
    for (const id of s.nodes) lines.push(`    n${id}["${escape(byId.get(id)!.name)}"]`);
    lines.push('  end');
  }
  for (const e of plan.graph.edges) {
    const labels = [e.partitioning !== 'forward' ? e.partitioning : '', e.sideOutput !== undefined ? `side: ${e.sideOutput}` : ''].filter(Boolean);
    const arrow = e.feedback ? '-.->' : '-->';
    lines.push(labels.length ? `  n${e.from} ${arrow}|${escape(labels.join(', '))}| n${e.to}` : `  n${e.from} ${arrow} n${e.to}`);
  }
  for (const r of plan.repartitions) lines.push(`  n${r.sinkNode} -.->|"${escape(`${r.name} (${r.partitions} partitions, by key group)`)}"| n${r.sourceNode}`);
  return lines.join('\n');
}
