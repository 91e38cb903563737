/**
 * The JSON the web endpoint serves at `/api/job` and pushes over `/api/events`: the job's name,
 * its graph without the nodes' `spec` (user functions, sources and sinks are not data), and the
 * metrics snapshot. Values JSON cannot carry are made plain: a BigInt source position becomes a
 * string, an unserialisable one its `String()`; non-finite numbers become `null` (JSON.stringify).
 */
import type { MetricsSnapshot } from '@weir/core';
import type { JobGraph, Partitioning } from '@weir/core';

/**
 * One node of the graph as the dashboard sees it.
 *
 * @example
 * ```ts
 * const node: GraphNodeView = { id: 1, uid: 'source-1', kind: 'source', name: 'Collection Source' };
 * ```
 */
export interface GraphNodeView {
  readonly id: number;
  readonly uid: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * One edge of the graph as the dashboard sees it.
 *
 * @example
 * ```ts
 * const edge: GraphEdgeView = { from: 1, to: 2, partitioning: 'hash' };
 * ```
 */
export interface GraphEdgeView {
  readonly from: number;
  readonly to: number;
  readonly partitioning: Partitioning;
  readonly sideOutput?: string;
  readonly feedback?: true;
}

/**
 * The body of `GET /api/job`.
 *
 * @example
 * ```ts
 * const doc = (await (await fetch(`${url}api/job`)).json()) as JobDocument;
 * doc.graph.nodes.length; // operators of the plan
 * ```
 */
export interface JobDocument {
  readonly jobName: string;
  readonly graph: { readonly nodes: readonly GraphNodeView[]; readonly edges: readonly GraphEdgeView[] };
  readonly metrics: MetricsSnapshot;
}

/**
 * The graph without specs.
 *
 * @example
 * ```ts
 * graphView(env.explain()).nodes.map((n) => n.kind); // ['source', 'map', 'sink']
 * ```
 */
export function graphView(graph: JobGraph): JobDocument['graph'] {
  return {
    nodes: graph.nodes.map(({ id, uid, kind, name }) => ({ id, uid, kind, name })),
    edges: graph.edges.map(({ from, to, partitioning, sideOutput, feedback }) => ({
      from,
      to,
      partitioning,
      ...(sideOutput === undefined ? {} : { sideOutput }),
      ...(feedback ? { feedback } : {}),
    })),
  };
}

/**
 * Serialises a document, or a snapshot, as JSON that never throws on a source position.
 *
 * @example
 * ```ts
 * toJson({ position: 10n }); // '{"position":"10"}'
 * ```
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (key === 'position' && v !== null && typeof v === 'object') {
      try {
        return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) as unknown;
      } catch {
        return String(v);
      }
    }
    return v;
  });
}
