/**
 * The translator table: graph node kind -> runtime operator (Flink's `TransformationTranslator`
 * registry). The only place that knows both the graph and the operators. Sources are driven by
 * the runner and have no entry here.
 */
import { ConfigError } from '../errors.js';
import type { ReduceFunction } from '../functions/functions.js';
import type { CoProcessFunction, KeyedProcessFunction, ProcessFunction } from '../functions/process-functions.js';
import type { JobNode } from '../graph/job-graph.js';
import { CoProcessOperator, KeyedCoProcessOperator } from '../operators/co-process.js';
import { FilterOperator } from '../operators/filter.js';
import { type FlatMapFunction, FlatMapOperator } from '../operators/flat-map.js';
import { IterationHeadOperator } from '../operators/iteration-head.js';
import { KeyedProcessOperator } from '../operators/keyed-process.js';
import { KeyedReduceOperator } from '../operators/keyed-reduce.js';
import { MapOperator } from '../operators/map.js';
import { ProcessOperator } from '../operators/process.js';
import { SinkOperator } from '../operators/sink.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks.js';
import { UnionOperator } from '../operators/union.js';
import type { Sink } from '../sinks/sink.js';
import type { WatermarkStrategy } from '../time/watermark-strategy.js';
import { WindowOperator, type WindowOperatorSpec } from '../windowing/window-operator.js';
import type { StreamOperator } from './operator.js';

/** A built operator and whether it needs keyed state. */
export interface Translation {
  readonly operator: StreamOperator<unknown, unknown>;
  readonly keyed: boolean;
}

type Translator = (spec: Record<string, unknown>, node: JobNode) => Translation;

// biome-ignore lint/suspicious/noExplicitAny: specs are typed by the API that writes them.
type Spec = any;
const plain = (operator: StreamOperator<unknown, unknown>): Translation => ({ operator, keyed: false });
const keyed = (operator: StreamOperator<unknown, unknown>): Translation => ({ operator, keyed: true });

/** Node kind -> operator factory. Extend by adding an entry (plus the fluent method that writes the node). */
export const TRANSLATORS: Readonly<Record<string, Translator>> = {
  map: (s: Spec) => plain(new MapOperator(s.fn as (v: unknown) => unknown)),
  filter: (s: Spec) => plain(new FilterOperator(s.fn as (v: unknown) => boolean)),
  flatMap: (s: Spec) => plain(new FlatMapOperator(s.fn as FlatMapFunction<unknown, unknown>)),
  process: (s: Spec) => plain(new ProcessOperator(s.fn as ProcessFunction<unknown, unknown>)),
  union: () => plain(new UnionOperator()),
  iterationHead: (s: Spec) => plain(new IterationHeadOperator(s.maxWaitMs as number | undefined)),
  timestamps: (s: Spec) => plain(new TimestampsAndWatermarksOperator(s.strategy as WatermarkStrategy<unknown>)),
  keyedReduce: (s: Spec) => keyed(new KeyedReduceOperator(s.keySelector, s.reduce as ReduceFunction<unknown>)),
  keyedProcess: (s: Spec) => keyed(new KeyedProcessOperator(s.keySelector, s.fn as KeyedProcessFunction<unknown, unknown, unknown>)),
  window: (s: Spec) => keyed(new WindowOperator(s as WindowOperatorSpec)),
  coProcess: (s: Spec) =>
    s.keySelector1
      ? keyed(new KeyedCoProcessOperator(s.keySelector1, s.keySelector2, s.fn))
      : plain(new CoProcessOperator(s.fn as CoProcessFunction<unknown, unknown, unknown>)),
  sink: (s: Spec) => plain(new SinkOperator(s.sink as Sink<unknown>) as unknown as StreamOperator<unknown, unknown>),
};

/** Builds the operator of a node. */
export function translate(node: JobNode): Translation {
  const t = TRANSLATORS[node.kind];
  if (!t) throw new ConfigError(`Node '${node.name}' has kind '${node.kind}', which no translator handles`);
  return t(node.spec as Record<string, unknown>, node);
}
