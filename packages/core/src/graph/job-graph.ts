/**
 * The job graph: plain data that the API builds and the runtime interprets.
 *
 * Every fluent call appends one node and the edges into it. A node carries its kind (the
 * runtime's translator table maps kinds to operators), a name for people, a `uid` that maps
 * checkpointed state to the node across code changes, and a `spec` with the node's parameters
 * (user functions included, which is why the graph is serialisable "apart from user functions").
 *
 * This module imports nothing: it is the bottom of core.
 *
 * Example: `env.fromElements(1, 2).map(f).print()` is
 * `nodes: [source#1, map#2, sink#3]`, `edges: [1->2 forward, 2->3 forward]`.
 */

/**
 * How records travel along an edge. In one process `hash` is a logical repartition by key.
 *
 * @example
 * ```ts
 * const p: Partitioning = env.explain().edges[0]!.partitioning; // 'forward', 'hash' or 'broadcast'
 * ```
 */
export type Partitioning = 'forward' | 'hash' | 'broadcast';

/**
 * One operator of the plan.
 *
 * @example
 * ```ts
 * const missing = env.explain().nodes.filter((n) => n.kind === 'window' && !n.uidSetByUser);
 * ```
 */
export interface JobNode {
  readonly id: number;
  /** Stable identity of the node's state in checkpoints; defaults to `<kind>-<id>`. */
  uid: string;
  /** True once `uid()` was set by the user. */
  uidSetByUser: boolean;
  readonly kind: string;
  name: string;
  readonly parallelism: 1;
  readonly spec: Readonly<Record<string, unknown>>;
}

/**
 * A connection from one node to another.
 *
 * @example
 * ```ts
 * const keyed = env.explain().edges.filter((e) => e.partitioning === 'hash');
 * ```
 */
export interface JobEdge {
  readonly from: number;
  readonly to: number;
  readonly partitioning: Partitioning;
  /** Which input of a two-input node (connect, join) this edge feeds: 0 or 1. */
  readonly inputIndex: 0 | 1;
  /** Set when the edge carries a side output of `from` instead of its main output. */
  readonly sideOutput?: string;
  /** Feedback edge of an iteration (the only kind of edge that may close a cycle). */
  readonly feedback?: true;
}

/**
 * The whole plan, as returned by `env.explain()`.
 *
 * @example
 * ```ts
 * const graph: JobGraph = env.explain();
 * console.log(graph.nodes.length, 'operators;', toMermaid(graph));
 * ```
 */
export interface JobGraph {
  readonly nodes: readonly JobNode[];
  readonly edges: readonly JobEdge[];
}

/**
 * Mutable builder behind a stream environment. Returns node ids; never interprets nodes.
 * @internal
 */
export class JobGraphBuilder {
  private readonly nodes: JobNode[] = [];
  private readonly edges: JobEdge[] = [];

  addNode(kind: string, name: string, spec: Record<string, unknown>): number {
    const id = this.nodes.length + 1;
    this.nodes.push({ id, uid: `${kind}-${id}`, uidSetByUser: false, kind, name, parallelism: 1, spec });
    return id;
  }

  addEdge(edge: JobEdge): void {
    this.edges.push(edge);
  }

  node(id: number): JobNode {
    const n = this.nodes[id - 1];
    if (!n) throw new RangeError(`No node with id ${id}`);
    return n;
  }

  /** A snapshot of the plan; nodes and edges are copied so later calls do not change it. */
  build(): JobGraph {
    return {
      nodes: this.nodes.map((n) => ({ ...n })),
      edges: this.edges.map((e) => ({ ...e })),
    };
  }

  get size(): number {
    return this.nodes.length;
  }
}
