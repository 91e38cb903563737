/**
 * The graph structure of a job: plain data that the API builds and the runtime interprets. The
 * plan's node kinds and their specs are typed one layer up (contract/plan.ts); this module only
 * knows nodes and edges.
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
 * One operator of a graph: the shape every node has, whatever its kind. The plan's nodes
 * (`JobNode`, a union over every kind with its typed `spec`) are graph nodes.
 *
 * @example
 * ```ts
 * const missing = env.explain().nodes.filter((n) => n.kind === 'window' && !n.uidSetByUser);
 * ```
 */
export interface GraphNode<K extends string = string, S = unknown> {
  readonly id: number;
  /** Stable identity of the node's state in checkpoints; defaults to `<kind>-<id>`. */
  uid: string;
  /** True once `uid()` was set by the user. */
  uidSetByUser: boolean;
  readonly kind: K;
  name: string;
  readonly parallelism: 1;
  readonly spec: S;
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
 * The node union of a map from kind to spec: `{ a: A; b: B }` gives
 * `GraphNode<'a', A> | GraphNode<'b', B>`.
 *
 * @example
 * ```ts
 * type PlanNode = NodeOf<NodeSpecs>; // the same as JobNode
 * ```
 */
export type NodeOf<Specs extends object> = { [K in keyof Specs & string]: GraphNode<K, Specs[K]> }[keyof Specs & string];

/**
 * Nodes and the edges between them. The plan `env.explain()` returns is a `Graph<JobNode>`.
 *
 * @example
 * ```ts
 * const graph: JobGraph = env.explain();
 * console.log(graph.nodes.length, 'operators;', toMermaid(graph));
 * ```
 */
export interface Graph<N extends GraphNode = GraphNode> {
  readonly nodes: readonly N[];
  readonly edges: readonly JobEdge[];
}

/**
 * Mutable builder behind a stream environment. Returns node ids; never interprets nodes.
 * @internal
 */
export class GraphBuilder<Specs extends object> {
  private readonly nodes: NodeOf<Specs>[] = [];
  private readonly edges: JobEdge[] = [];

  addNode<K extends keyof Specs & string>(kind: K, name: string, spec: Specs[K]): number {
    const id = this.nodes.length + 1;
    const node: GraphNode<K, Specs[K]> = { id, uid: `${kind}-${id}`, uidSetByUser: false, kind, name, parallelism: 1, spec };
    this.nodes.push(node as unknown as NodeOf<Specs>);
    return id;
  }

  addEdge(edge: JobEdge): void {
    this.edges.push(edge);
  }

  node(id: number): NodeOf<Specs> {
    const n = this.nodes[id - 1];
    if (!n) throw new RangeError(`No node with id ${id}`);
    return n;
  }

  /** A snapshot of the graph; nodes and edges are copied so later calls do not change it. */
  build(): Graph<NodeOf<Specs>> {
    return {
      nodes: this.nodes.map((n) => ({ ...n })),
      edges: this.edges.map((e) => ({ ...e })),
    };
  }

  get size(): number {
    return this.nodes.length;
  }
}
