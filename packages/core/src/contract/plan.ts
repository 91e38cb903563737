/**
 * The plan: every kind of node the API can write, with the parameters (`spec`) of each. A node
 * is a graph node whose `kind` picks its spec from {@link NodeSpecs}, so `JobNode` is a
 * discriminated union: `node.kind === 'window'` narrows `node.spec` to a {@link WindowNodeSpec}.
 * The runtime's translator table is a mapped type over the same keys, so a kind without a
 * translator does not compile.
 *
 * Example: `env.fromElements(1, 2).map(f).print()` plans
 * `source#1 { source } -> map#2 { fn: f } -> sink#3 { sink }`.
 */
import type { FlatMapFunction, ReduceFunction } from '../functions/functions.js';
import type { AsyncWaitNodeSpec } from './async-function.js';
import type { IntervalJoinNodeSpec } from './join-functions.js';
import type { BroadcastProcessNodeSpec } from './broadcast-functions.js';
import type { CoProcessFunction, KeyedProcessFunction, ProcessContext, ProcessFunction } from './process-functions.js';
import type { Graph, NodeOf } from '../graph/job-graph.js';
import type { Sink } from './sink.js';
import type { Source } from './source.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';
import type { Evictor } from './evictor.js';
import type { Trigger } from './trigger.js';
import type { WindowAssigner } from './window-assigner.js';
import type { WindowFunctionSpec } from './window-functions.js';
import type { Window } from './window.js';

/**
 * The plan stores user functions with their element types erased to `unknown` (the API that
 * writes a node knows them; the operators are generic over them). This marks the one place per
 * node where a typed function is stored as its erased form.
 * @internal
 */
export function erased<F>(fn: F): never {
  return fn as never;
}

/** A key selector as the plan stores it (typed by the API that wrote it). */
export type PlanKeySelector = (value: unknown) => unknown;

/**
 * Everything a window node is built from; made by the API (`window(...)...reduce(...)`).
 *
 * @example
 * ```ts
 * const node = env.explain().nodes.find((n) => n.kind === 'window');
 * if (node?.kind === 'window') console.log(String(node.spec.assigner), String(node.spec.trigger));
 * ```
 */
export interface WindowNodeSpec {
  /** Undefined for non-keyed windows (`windowAll`). */
  readonly keySelector: ((value: unknown) => unknown) | undefined;
  readonly assigner: WindowAssigner<unknown, Window>;
  readonly trigger: Trigger<unknown, Window>;
  readonly evictor: Evictor<unknown, Window> | undefined;
  readonly allowedLateness: number;
  readonly lateDataTag: string | undefined;
  readonly fn: WindowFunctionSpec;
  /** True when the trigger is the assigner's default one. */
  readonly defaultTrigger: boolean;
}

/**
 * The spec of each node kind.
 *
 * @example
 * ```ts
 * const mapSpec: NodeSpecs['map'] = { fn: (x) => x };
 * ```
 */
export interface NodeSpecs {
  readonly source: { readonly source: Source<unknown> };
  readonly map: { readonly fn: (value: unknown) => unknown };
  readonly filter: { readonly fn: (value: unknown) => unknown };
  readonly flatMap: { readonly fn: FlatMapFunction<unknown, unknown> };
  readonly process: { readonly fn: ProcessFunction<unknown, unknown> };
  readonly union: Readonly<Record<string, never>>;
  readonly timestamps: { readonly strategy: WatermarkStrategy<unknown> };
  readonly iterationHead: { readonly maxWaitMs: number | undefined };
  readonly keyedReduce: { readonly keySelector: PlanKeySelector; readonly reduce: ReduceFunction<unknown> };
  readonly keyedProcess: { readonly keySelector: PlanKeySelector; readonly fn: KeyedProcessFunction<unknown, unknown, unknown> };
  readonly coProcess: {
    readonly fn: CoProcessFunction<unknown, unknown, unknown, ProcessContext>;
    /** Both set for keyed connected streams (`connect(...).keyBy(k1, k2)`), neither otherwise. */
    readonly keySelector1: PlanKeySelector | undefined;
    readonly keySelector2: PlanKeySelector | undefined;
  };
  readonly window: WindowNodeSpec;
  readonly asyncWait: AsyncWaitNodeSpec;
  readonly intervalJoin: IntervalJoinNodeSpec;
  readonly broadcastProcess: BroadcastProcessNodeSpec;
  readonly sink: { readonly sink: Sink<unknown> };
}

/**
 * A node kind of the plan.
 *
 * @example
 * ```ts
 * const kinds: NodeKind[] = env.explain().nodes.map((n) => n.kind);
 * ```
 */
export type NodeKind = keyof NodeSpecs;

/**
 * One operator of the plan, discriminated by `kind`.
 *
 * @example
 * ```ts
 * for (const n of env.explain().nodes) if (n.kind === 'window') console.log(n.name, n.spec.allowedLateness);
 * ```
 */
export type JobNode = NodeOf<NodeSpecs>;

/**
 * The whole plan, as returned by `env.explain()`.
 *
 * @example
 * ```ts
 * const graph: JobGraph = env.explain();
 * console.log(graph.nodes.length, 'operators;', toMermaid(graph));
 * ```
 */
export type JobGraph = Graph<JobNode>;
