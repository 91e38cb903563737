/**
 * The graph one task runs: its sub-topology's nodes and the edges among them, with every
 * task-aware part instantiated for the task: partitioned sources restricted to the task's
 * partition, task-aware sinks with the task's transactions and fence, co-partition checks
 * bound to the partition. Uids stay the plan's, so the task's checkpoints map state to the same
 * operators whichever instance runs it.
 *
 * Example: task `1_3` of `repartition source -> window -> sink` gets
 * `source.forTask(1_3) -> window -> sink.forTask(1_3)`.
 */
import type { JobEdge } from '../../graph/job-graph.js';
import type { JobGraph, JobNode } from '../../contract/plan.js';
import type { ScaleOutPlan } from './plan-scale-out.js';
import { isPartitionedSource, isTaskAwareSink, type TaskInfo } from './scale-out-types.js';

type WithForTask = { forTask(task: TaskInfo): unknown };
const hasForTask = (x: unknown): x is WithForTask => typeof (x as Partial<WithForTask> | undefined)?.forTask === 'function';

/**
 * The graph of `task` (of sub-topology `task.subtopology`).
 *
 * @example
 * ```ts
 * const graph = taskGraph(plan, task); // run it as an ordinary job
 * ```
 */
export function taskGraph(plan: ScaleOutPlan, task: TaskInfo): JobGraph {
  const sub = plan.subtopologies[task.subtopology];
  if (sub === undefined) throw new RangeError(`No sub-topology ${task.subtopology}`);
  const members = new Set(sub.nodes);
  const nodes: JobNode[] = plan.graph.nodes.filter((n) => members.has(n.id)).map((n) => forTask(n, task));
  const edges: JobEdge[] = plan.graph.edges.filter((e) => members.has(e.from) && members.has(e.to)).map((e) => ({ ...e }));
  return { nodes, edges };
}

function forTask(node: JobNode, task: TaskInfo): JobNode {
  switch (node.kind) {
    case 'source': {
      const source = node.spec.source;
      if (!isPartitionedSource(source)) throw new Error(`Source '${node.name}' is not partitioned`); // planScaleOut refused it already
      return { ...node, spec: { source: source.forTask(task) } };
    }
    case 'sink':
      return isTaskAwareSink(node.spec.sink) ? { ...node, spec: { sink: node.spec.sink.forTask(task) } } : { ...node };
    case 'process':
      return hasForTask(node.spec.fn) ? { ...node, spec: { fn: node.spec.fn.forTask(task) as typeof node.spec.fn } } : { ...node };
    default:
      return { ...node };
  }
}
