/**
 * Turns a {@link JobGraph} into connected runtime objects: one operator per node (from the
 * translator table), one driver per source, and the Downstream objects between them (direct
 * calls for single forward edges, valves for multi-input operators, fan-outs, side outputs).
 * @internal
 */
import { DEAD_LETTERS, type DeadLetter } from '../contract/output-tag.js';
import { ConfigError } from '../errors.js';
import type { JobGraph, JobNode } from '../contract/plan.js';
import type { JobEdge } from '../graph/job-graph.js';
import type { Source, SourceReaderContext } from '../contract/source.js';
import { KeyedStateBackend } from '../state/keyed-state-backend.js';
import type { Clock } from '../time/clock.js';
import { DISCARD, type Downstream } from '../contract/downstream.js';
import { IterationHeadOperator } from '../operators/iteration-head.js';
import type { JobSettings, OperatorContext, OperatorCounters, StreamOperator } from '../contract/operator.js';
import { BroadcastOutput, ChannelInput, OutputWithSides } from './outputs.js';
import { SourceDriver } from './source-driver.js';
import { translate } from './translators.js';
import { WatermarkValve } from './watermark-valve.js';

/** A runtime operator with what the runner needs to know about it. */
export interface OperatorInstance {
  readonly node: JobNode;
  readonly operator: StreamOperator<unknown, unknown>;
  readonly backend: KeyedStateBackend | undefined;
  readonly counters: OperatorCounters;
  readonly context: OperatorContext<unknown>;
}

/** An edge with a live count of the records that crossed it (metrics). */
export interface CountedEdge {
  readonly edge: JobEdge;
  count(): number;
}

export interface Wiring {
  /** Operators in topological order (upstream first). */
  readonly operators: readonly OperatorInstance[];
  readonly sources: readonly SourceDriver<unknown>[];
  /** Every edge with its record count. */
  readonly edges: readonly CountedEdge[];
  /** Heads of iterations, whose feedback queues the runner drains. */
  readonly loopHeads: readonly IterationHeadOperator<unknown>[];
}

const newCounters = (): OperatorCounters => ({ recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, lateRecordsSideOutput: 0, deadLetters: 0 });

/** Nodes in topological order; feedback edges are ignored. Throws on a cycle. */
export function topologicalOrder(graph: JobGraph): JobNode[] {
  const indegree = new Map<number, number>(graph.nodes.map((n) => [n.id, 0]));
  const forward = graph.edges.filter((e) => !e.feedback);
  for (const e of forward) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: JobNode[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(byId.get(id)!);
    for (const e of forward) {
      if (e.from !== id) continue;
      const d = indegree.get(e.to)! - 1;
      indegree.set(e.to, d);
      if (d === 0) ready.push(e.to);
    }
  }
  if (order.length !== graph.nodes.length) throw new ConfigError('The job graph has a cycle that is not an iteration feedback edge');
  return order;
}

export function wireJob(
  graph: JobGraph,
  clock: Clock,
  settings: JobSettings,
  signal: AbortSignal,
  /** Called when an operator has asynchronous results to emit (the runner wakes up). */
  requestAsyncWork: () => void = () => {},
): Wiring {
  const order = topologicalOrder(graph);
  const incoming = new Map<number, JobEdge[]>();
  const outgoing = new Map<number, JobEdge[]>();
  for (const e of graph.edges) {
    if (!incoming.has(e.to)) incoming.set(e.to, []);
    incoming.get(e.to)!.push(e);
    if (!outgoing.has(e.from)) outgoing.set(e.from, []);
    outgoing.get(e.from)!.push(e);
  }

  // 1. Operators.
  const built = new Map<number, { operator: StreamOperator<unknown, unknown>; keyed: boolean }>();
  for (const node of order) if (node.kind !== 'source') built.set(node.id, translate(node));

  // 2. The Downstream of every edge at its consumer.
  const consumerOf = new Map<JobEdge, Downstream<unknown>>();
  for (const node of order) {
    if (node.kind === 'source') continue;
    const op = built.get(node.id)!.operator;
    const all = incoming.get(node.id) ?? [];
    for (const e of all.filter((x) => x.feedback)) {
      if (!(op instanceof IterationHeadOperator)) throw new ConfigError(`Feedback edge into '${node.name}', which is not an iteration head`);
      consumerOf.set(e, op.feedbackInput as Downstream<unknown>);
    }
    if (op instanceof IterationHeadOperator && !all.some((x) => x.feedback)) {
      throw new ConfigError(`Iteration '${node.name}' was never closed: call closeWith(feedbackStream) on the stream iterate() returned`);
    }
    const edges = all.filter((x) => !x.feedback);
    if (edges.length === 1 && edges[0]!.inputIndex === 0) {
      consumerOf.set(edges[0]!, op);
      continue;
    }
    const valve = new WatermarkValve(edges.length, op);
    edges.forEach((e, i) => consumerOf.set(e, new ChannelInput(op, valve, i, e.inputIndex === 1)));
  }

  const fanOut = (edges: readonly JobEdge[]): Downstream<unknown> => {
    if (edges.length === 0) return DISCARD;
    if (edges.length === 1) return consumerOf.get(edges[0]!)!;
    return new BroadcastOutput(edges.map((e) => consumerOf.get(e)!));
  };
  const outputsOf = (node: JobNode) => {
    const edges = outgoing.get(node.id) ?? [];
    const main = fanOut(edges.filter((e) => e.sideOutput === undefined));
    const sides = new Map<string, Downstream<unknown>>();
    const tags = new Set(edges.filter((e) => e.sideOutput !== undefined).map((e) => e.sideOutput!));
    for (const tag of tags) sides.set(tag, fanOut(edges.filter((e) => e.sideOutput === tag)));
    return { main, sides };
  };

  // 3. Contexts and sources.
  const operators: OperatorInstance[] = [];
  const sources: SourceDriver<unknown>[] = [];
  for (const node of order) {
    const { main, sides } = outputsOf(node);
    const counters = newCounters();
    if (node.kind === 'source') {
      const source = node.spec.source as Source<unknown>;
      const readerCtx: SourceReaderContext = { sourceName: node.name, clock, signal };
      const reader = source.createReader(readerCtx);
      const deadLetters = sides.get(DEAD_LETTERS.id) as Downstream<DeadLetter> | undefined;
      sources.push(new SourceDriver(node.name, node.uid, source, reader, main, deadLetters, clock, counters));
      continue;
    }
    const { operator, keyed } = built.get(node.id)!;
    const backend = keyed ? new KeyedStateBackend(node.name, settings.maxParallelism) : undefined;
    const output = sides.size === 0 ? main : new OutputWithSides(main, [...sides.values()]);
    const context: OperatorContext<unknown> = {
      name: node.name,
      uid: node.uid,
      clock,
      settings,
      output,
      sideOutput: (tag) => sides.get(tag),
      keyed: backend,
      counters,
      requestAsyncWork,
    };
    operators.push({ node, operator, backend, counters, context });
  }
  const counters = new Map<number, OperatorCounters>();
  for (const o of operators) counters.set(o.node.id, o.counters);
  const edgeCounts: CountedEdge[] = graph.edges.map((edge) => {
    const consumer = consumerOf.get(edge);
    if (consumer instanceof ChannelInput) return { edge, count: () => consumer.count };
    if (edge.feedback) {
      const head = built.get(edge.to)!.operator as IterationHeadOperator<unknown>;
      return { edge, count: () => head.fedBack };
    }
    const c = counters.get(edge.to);
    return { edge, count: () => c?.recordsIn ?? 0 };
  });
  const loopHeads = operators.map((o) => o.operator).filter((op): op is IterationHeadOperator<unknown> => op instanceof IterationHeadOperator);
  return { operators, sources, loopHeads, edges: edgeCounts };
}
