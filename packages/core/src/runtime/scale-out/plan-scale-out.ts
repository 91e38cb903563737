/**
 * The scale-out rewrite of a plan: a pure function from the job's graph to the graph the
 * instances run, cut into sub-topologies (docs/scale-out.md).
 *
 * Algorithm, in topological order: every node knows the partitioned inputs that reach it
 * without crossing a cut (its *origins*: sources, or repartition streams). A `hash` edge into a
 * keyed node whose key selector is the very function every origin declares as its
 * `partitionKey` is co-partitioned: it stays, with a check node in front of the keyed node that
 * fails the task if a record's key belongs to another partition. Any other `hash` edge is cut: a
 * repartition sink takes the upstream side, a repartition source (partitioned by the key's
 * key-group range) feeds the keyed node. If one input of a two-input keyed node is cut, all its
 * keyed inputs are, so that both sides route keys alike. The connected components that remain
 * are the sub-topologies; every partitioned input of one must have the same number of partitions
 * (a task is one partition of them all).
 *
 * Example: `source(clicks by user) -> map -> keyBy(page) -> window -> sink` becomes
 * sub-topology 0 `source -> map -> repartition sink` and sub-topology 1
 * `repartition source -> window -> sink`; with `keyBy(byUser)` (the source's `partitionKey`) it
 * stays one sub-topology with a co-partition check before the window.
 */
import { ConfigError } from '../../errors.js';
import type { JobEdge } from '../../graph/job-graph.js';
import type { JobGraph, JobNode, NodeSpecs } from '../../contract/plan.js';
import type { ProcessContext, ProcessFunction } from '../../contract/process-functions.js';
import type { Collector } from '../../functions/functions.js';
import { DEFAULT_MAX_PARALLELISM } from '../../state/key-groups.js';
import { topologicalOrder } from '../job-wiring.js';
import { keyGroupRangePartitioner } from './key-group-range.js';
import {
  isPartitionedSource,
  type PartitionedSource,
  type RepartitionSpec,
  type RepartitionTransport,
  type TaskAwareSink,
  type TaskInfo,
} from './scale-out-types.js';

/**
 * Options of {@link planScaleOut}.
 *
 * @example
 * ```ts
 * const plan = planScaleOut(env.explain(), { jobName: 'sessionizer' }); // no transport: to look at the plan
 * ```
 */
export interface ScaleOutPlanOptions {
  readonly jobName: string;
  /** Creates the repartition streams; without one, repartition nodes are placeholders that cannot run. */
  readonly transport?: RepartitionTransport;
  /** Key groups of keyed state (the job's `maxParallelism`, default 128). */
  readonly maxParallelism?: number;
  /** Partitions of every repartition stream (default: the upstream sub-topology's). */
  readonly repartitionPartitions?: number;
}

/**
 * One sub-topology: the nodes a task runs, and how many tasks (partitions) it has.
 *
 * @example
 * ```ts
 * for (const s of plan.subtopologies) console.log(`sub-topology ${s.id}: ${s.partitions} tasks, nodes ${s.nodes.join(',')}`);
 * ```
 */
export interface Subtopology {
  readonly id: number;
  /** Node ids of the rewritten graph, in topological order. */
  readonly nodes: readonly number[];
  readonly partitions: number;
}

/**
 * A cut of the plan: the repartition stream between two sub-topologies.
 *
 * @example
 * ```ts
 * for (const r of plan.repartitions) console.log(r.name, `${r.from} -> ${r.to}`, r.partitions);
 * ```
 */
export interface Repartition {
  readonly index: number;
  readonly name: string;
  readonly partitions: number;
  /** The original edge's ends (node ids). */
  readonly from: number;
  readonly to: number;
  /** The nodes inserted for it. */
  readonly sinkNode: number;
  readonly sourceNode: number;
  /** Sub-topologies it connects. */
  readonly upstream: number;
  readonly downstream: number;
}

/**
 * A plan cut for scale-out.
 *
 * @example
 * ```ts
 * const plan: ScaleOutPlan = planScaleOut(env.explain(), { jobName: 'j' });
 * console.log(toMermaid(plan.graph));
 * ```
 */
export interface ScaleOutPlan {
  readonly jobName: string;
  readonly graph: JobGraph;
  readonly subtopologies: readonly Subtopology[];
  readonly repartitions: readonly Repartition[];
}

/** A partitioned input reaching a node: the declared key (identity decides co-partitioning). */
interface Origin {
  readonly partitionKey: ((value: unknown) => unknown) | undefined;
  /** The source node it is (original id), or the cut edge it comes from. */
  readonly node?: number;
  readonly cut?: JobEdge;
}

/** The key selector a keyed node applies to its input `inputIndex`. */
export function keySelectorOf(node: JobNode, inputIndex: 0 | 1): ((value: unknown) => unknown) | undefined {
  const spec = node.spec as { keySelector?: unknown; keySelector1?: unknown; keySelector2?: unknown };
  const k = inputIndex === 0 ? (spec.keySelector ?? spec.keySelector1) : spec.keySelector2;
  return typeof k === 'function' ? (k as (value: unknown) => unknown) : undefined;
}

/**
 * Cuts a job's plan into sub-topologies for scale-out (see the module comment).
 *
 * @example
 * ```ts
 * const plan = planScaleOut(env.explain(), { jobName: 'clicks per page' });
 * plan.subtopologies.length; // 2 when a keyBy needed a repartition stream
 * ```
 */
export function planScaleOut(graph: JobGraph, options: ScaleOutPlanOptions): ScaleOutPlan {
  const maxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
  const order = topologicalOrder(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  refuseUnsupported(graph, byId);

  // 1. Which hash edges are cut (co-partitioning by identity of the key selector).
  const incoming = new Map<number, JobEdge[]>();
  for (const e of graph.edges) {
    if (!incoming.has(e.to)) incoming.set(e.to, []);
    incoming.get(e.to)!.push(e);
  }
  const origins = new Map<number, Origin[]>();
  const cut = new Set<JobEdge>();
  for (const node of order) {
    if (node.kind === 'source') {
      const source = node.spec.source;
      if (!isPartitionedSource(source)) {
        throw new ConfigError(
          `Scale-out: source '${node.name}' is not partitioned; every source of a scaled-out job must be split into partitions for tasks (e.g. a RedisStreamSource)`,
        );
      }
      origins.set(node.id, [{ partitionKey: source.partitionKey, node: node.id }]);
      continue;
    }
    const inputs = (incoming.get(node.id) ?? []).filter((e) => !e.feedback);
    const hash = inputs.filter((e) => e.partitioning === 'hash');
    const coPartitioned = (e: JobEdge) => {
      const key = keySelectorOf(node, e.inputIndex);
      if (key === undefined) throw new ConfigError(`Scale-out: cannot tell the key of '${node.name}' for its input ${e.inputIndex}`);
      return (origins.get(e.from) ?? []).every((o) => o.partitionKey === key);
    };
    if (hash.some((e) => !coPartitioned(e))) for (const e of hash) cut.add(e);
    const mine: Origin[] = [];
    for (const e of inputs) {
      if (cut.has(e)) mine.push({ partitionKey: keySelectorOf(node, e.inputIndex), cut: e });
      else mine.push(...(origins.get(e.from) ?? []));
    }
    origins.set(node.id, mine);
  }
  refuseCutsInLoops(graph, cut);

  // 2. Sub-topologies: connected components without the cut edges.
  const component = components(graph, cut, order);
  const partitionsOf = componentPartitions(graph, component, cut, options.repartitionPartitions);

  // 3. The rewritten graph.
  let nextId = Math.max(0, ...graph.nodes.map((n) => n.id)) + 1;
  const nodes: JobNode[] = graph.nodes.map((n) => ({ ...n }));
  const edges: JobEdge[] = [];
  const repartitions: Repartition[] = [];
  const nodeComponent = new Map(component);
  let index = 0;
  for (const e of graph.edges) {
    const to = byId.get(e.to)!;
    if (cut.has(e)) {
      index++;
      const name = `${options.jobName}-repartition-${index}`;
      const upstream = component.get(e.from)!;
      const downstream = component.get(e.to)!;
      const partitions = partitionsOf.get(downstream)!;
      const spec: RepartitionSpec = {
        jobName: options.jobName,
        index,
        name,
        partitions,
        upstreamTasks: partitionsOf.get(upstream)!,
        key: keySelectorOf(to, e.inputIndex)!,
        partitionOf: keyGroupRangePartitioner(maxParallelism, partitions),
      };
      const { sink, source } = options.transport?.repartition(spec) ?? placeholders(spec);
      const sinkNode = makeNode(nextId++, 'sink', `Repartition Sink: ${name}`, `repartition-${index}-sink`, { sink });
      const sourceNode = makeNode(nextId++, 'source', `Repartition Source: ${name}`, `repartition-${index}-source`, { source });
      nodes.push(sinkNode, sourceNode);
      nodeComponent.set(sinkNode.id, upstream);
      nodeComponent.set(sourceNode.id, downstream);
      edges.push({ ...e, to: sinkNode.id, partitioning: 'forward', inputIndex: 0 });
      edges.push({ from: sourceNode.id, to: e.to, partitioning: 'hash', inputIndex: e.inputIndex });
      repartitions.push({ index, name, partitions, from: e.from, to: e.to, sinkNode: sinkNode.id, sourceNode: sourceNode.id, upstream, downstream });
    } else if (e.partitioning === 'hash' && !e.feedback) {
      const check = makeNode(nextId++, 'process', `Co-partition check: ${to.name}`, `co-partition-check-${to.uid}-${e.inputIndex}`, {
        fn: coPartitionCheck(to.name, keySelectorOf(to, e.inputIndex)!, partitionerOf(origins.get(e.from)![0]!, byId, maxParallelism)),
      });
      nodes.push(check);
      nodeComponent.set(check.id, component.get(e.to)!);
      edges.push({ ...e, to: check.id, partitioning: 'forward', inputIndex: 0 });
      edges.push({ from: check.id, to: e.to, partitioning: 'hash', inputIndex: e.inputIndex });
    } else edges.push({ ...e });
  }
  const rewritten: JobGraph = { nodes, edges };
  const subtopologies: Subtopology[] = [...new Set(component.values())].sort((a, b) => a - b).map((id) => ({
    id,
    nodes: topologicalOrder(rewritten).filter((n) => nodeComponent.get(n.id) === id).map((n) => n.id),
    partitions: partitionsOf.get(id)!,
  }));
  return { jobName: options.jobName, graph: rewritten, subtopologies, repartitions };
}

function makeNode<K extends 'sink' | 'source' | 'process'>(id: number, kind: K, name: string, uid: string, spec: NodeSpecs[K]): JobNode {
  return { id, uid, uidSetByUser: false, kind, name, parallelism: 1, spec } as unknown as JobNode;
}

function refuseUnsupported(graph: JobGraph, byId: ReadonlyMap<number, JobNode>): void {
  for (const e of graph.edges) {
    if (e.partitioning === 'broadcast') {
      throw new ConfigError(`Scale-out: the broadcast edge into '${byId.get(e.to)!.name}' is not supported across instances`);
    }
  }
  for (const n of graph.nodes) {
    if (n.kind === 'window' && n.spec.keySelector === undefined) {
      throw new ConfigError(`Scale-out: '${n.name}' is a non-keyed window (windowAll), which sees every record of the job; it cannot be split into tasks. Key the stream first`);
    }
  }
}

/** Refuses a cut edge inside an iteration (its feedback would cross sub-topologies). */
function refuseCutsInLoops(graph: JobGraph, cut: ReadonlySet<JobEdge>): void {
  for (const fb of graph.edges.filter((e) => e.feedback)) {
    const fromHead = reach(graph, fb.to, 'forward');
    const toTail = reach(graph, fb.from, 'backward');
    for (const e of cut) {
      if (fromHead.has(e.from) && toTail.has(e.to)) {
        throw new ConfigError(`Scale-out: a keyBy inside an iteration would need a repartition stream, which is not supported`);
      }
    }
  }
}

function reach(graph: JobGraph, start: number, direction: 'forward' | 'backward'): Set<number> {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of graph.edges) {
      if (e.feedback) continue;
      const [a, b] = direction === 'forward' ? [e.from, e.to] : [e.to, e.from];
      if (a === id && !seen.has(b)) {
        seen.add(b);
        stack.push(b);
      }
    }
  }
  return seen;
}

/** Node id -> component number, numbered in topological order of their first node. */
function components(graph: JobGraph, cut: ReadonlySet<JobEdge>, order: readonly JobNode[]): Map<number, number> {
  const parent = new Map<number, number>(graph.nodes.map((n) => [n.id, n.id]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const e of graph.edges) if (!cut.has(e)) parent.set(find(e.from), find(e.to));
  const numbers = new Map<number, number>();
  const out = new Map<number, number>();
  for (const n of order) {
    const root = find(n.id);
    if (!numbers.has(root)) numbers.set(root, numbers.size);
    out.set(n.id, numbers.get(root)!);
  }
  return out;
}

/**
 * Partitions of each component: its sources' (all equal), or, for a component fed only by
 * repartition streams, the option or the largest upstream component's.
 */
function componentPartitions(
  graph: JobGraph,
  component: ReadonlyMap<number, number>,
  cut: ReadonlySet<JobEdge>,
  repartitionPartitions: number | undefined,
): Map<number, number> {
  const out = new Map<number, number>();
  const named = new Map<number, string>();
  for (const n of graph.nodes) {
    if (n.kind !== 'source') continue;
    const c = component.get(n.id)!;
    const p = (n.spec.source as PartitionedSource<unknown>).partitions;
    const known = out.get(c);
    if (known !== undefined && known !== p) {
      throw new ConfigError(`Scale-out: '${named.get(c)}' has ${known} partitions but '${n.name}' has ${p}; inputs processed together must have as many partitions (one task per partition)`);
    }
    out.set(c, p);
    named.set(c, n.name);
  }
  if (repartitionPartitions !== undefined && (!Number.isInteger(repartitionPartitions) || repartitionPartitions < 1)) {
    throw new ConfigError(`Scale-out: repartitionPartitions must be a positive integer (got ${repartitionPartitions})`);
  }
  // Components fed by cuts only, upstream first (cut edges go from lower to higher numbers).
  const cuts = [...cut].sort((a, b) => component.get(a.to)! - component.get(b.to)!);
  for (const e of cuts) {
    const down = component.get(e.to)!;
    if (out.has(down) && named.has(down)) continue;
    const up = out.get(component.get(e.from)!)!;
    out.set(down, repartitionPartitions ?? Math.max(out.get(down) ?? 0, up));
  }
  return out;
}

/** How the partition of a key is found for a co-partitioned edge: the first origin's partitioner. */
function partitionerOf(origin: Origin, byId: ReadonlyMap<number, JobNode>, maxParallelism: number): (task: TaskInfo) => (key: unknown) => number {
  if (origin.node !== undefined) {
    const source = (byId.get(origin.node)! as Extract<JobNode, { kind: 'source' }>).spec.source as PartitionedSource<unknown>;
    return () => (key) => source.partitionOf(key);
  }
  // From a repartition stream: the key-group range of the task's partition.
  return (task) => keyGroupRangePartitioner(maxParallelism, task.partitions);
}

/**
 * The function of a co-partition check node: forwards every record, and fails the task with a
 * message that names the keyed operator when a key belongs to another partition (the input was
 * not partitioned by that key: the `keyBy` should not have been declared co-partitioned).
 */
function coPartitionCheck(
  operator: string,
  key: (value: unknown) => unknown,
  partitioner: (task: TaskInfo) => (key: unknown) => number,
): ProcessFunction<unknown, unknown> & { forTask(task: TaskInfo): ProcessFunction<unknown, unknown> } {
  return {
    processElement() {
      throw new ConfigError(`Co-partition check of '${operator}' runs only inside a task`);
    },
    forTask(task) {
      const partitionOf = partitioner(task);
      return (value: unknown, _ctx: ProcessContext, out: Collector<unknown>) => {
        const k = key(value);
        const p = partitionOf(k);
        if (p !== task.partition) {
          throw new ConfigError(
            `Scale-out: '${operator}' is keyed by its input's partitioning key, but key ${JSON.stringify(k)} arrived in partition ${task.partition} (task ${task.taskId}) and belongs to partition ${p}: the input is not partitioned by that key`,
          );
        }
        out.collect(value);
      };
    },
  };
}

/** Nodes for a plan without a transport: they show where the cut is and refuse to run. */
function placeholders(spec: RepartitionSpec): { sink: TaskAwareSink<unknown>; source: PartitionedSource<unknown> } {
  const refuse = (): never => {
    throw new ConfigError(`Repartition stream '${spec.name}' has no transport: run the job with runInstance(..., { transport })`);
  };
  const sink: TaskAwareSink<unknown> = { name: spec.name, createWriter: refuse, forTask: refuse };
  const source: PartitionedSource<unknown> = {
    name: spec.name,
    bounded: false,
    partitions: spec.partitions,
    partitionKey: spec.key,
    partitionOf: spec.partitionOf,
    createReader: refuse,
    forTask: refuse,
  };
  return { sink, source };
}
