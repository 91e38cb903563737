/**
 * The translator table: graph node kind -> runtime operator (Flink's `TransformationTranslator`
 * registry). The only place that knows both the graph and the operators. Sources are driven by
 * the runner and have no entry here.
 */
import type { JobNode, NodeKind, NodeSpecs } from '../contract/plan.js';
import { AsyncWaitOperator } from '../operators/async/async-wait.js';
import { BroadcastProcessOperator } from '../operators/broadcast/broadcast-process-operator.js';
import { KeyedBroadcastProcessOperator } from '../operators/broadcast/keyed-broadcast-process-operator.js';
import { CoProcessOperator } from '../operators/co-process-operator.js';
import { KeyedCoProcessOperator } from '../operators/keyed-co-process-operator.js';
import { FilterOperator } from '../operators/filter.js';
import { FlatMapOperator } from '../operators/flat-map.js';
import { IntervalJoinOperator } from '../operators/interval-join.js';
import { IterationHeadOperator } from '../operators/iteration-head.js';
import { KeyedProcessOperator } from '../operators/keyed-process.js';
import { KeyedReduceOperator } from '../operators/keyed-reduce.js';
import { MapOperator } from '../operators/map.js';
import { ProcessOperator } from '../operators/process.js';
import { SinkOperator } from '../operators/sink.js';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks.js';
import { UnionOperator } from '../operators/union.js';
import { CountDeltaWindowOperator } from '../windowing/count-delta-window-operator.js';
import { GenericWindowOperator } from '../windowing/generic-window-operator.js';
import { SessionWindowOperator } from '../windowing/session-window-operator.js';
import { SlidingWindowOperator } from '../windowing/sliding-window-operator.js';
import { TumblingWindowOperator } from '../windowing/tumbling-window-operator.js';
import { chooseWindowStrategy } from '../windowing/window-strategy.js';
import { slicingOf } from '../contract/slicing.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { StreamOperator } from '../contract/operator.js';

/** A built operator and whether it needs keyed state. */
export interface Translation {
  readonly operator: StreamOperator<unknown, unknown>;
  readonly keyed: boolean;
}

/** One translator per node kind; sources are driven by the runner and translate to nothing. */
type TranslatorTable = { readonly [K in NodeKind]: (spec: NodeSpecs[K]) => Translation | undefined };

const plain = (operator: StreamOperator<unknown, unknown>): Translation => ({ operator, keyed: false });
const keyed = (operator: StreamOperator<unknown, unknown>): Translation => ({ operator, keyed: true });

/**
 * Node kind -> operator factory. A mapped type over every kind of the plan: adding a kind to
 * `NodeSpecs` without a translator here does not compile.
 */
export const TRANSLATORS: TranslatorTable = {
  source: () => undefined,
  map: (s) => plain(new MapOperator(s.fn)),
  filter: (s) => plain(new FilterOperator(s.fn)),
  flatMap: (s) => plain(new FlatMapOperator(s.fn)),
  process: (s) => plain(new ProcessOperator(s.fn)),
  union: () => plain(new UnionOperator()),
  iterationHead: (s) => plain(new IterationHeadOperator(s.maxWaitMs)),
  timestamps: (s) => plain(new TimestampsAndWatermarksOperator(s.strategy)),
  keyedReduce: (s) => keyed(new KeyedReduceOperator(s.keySelector, s.reduce)),
  keyedProcess: (s) => keyed(new KeyedProcessOperator(s.keySelector, s.fn)),
  window: (s) => keyed(windowOperator(s)),
  coProcess: (s) =>
    s.keySelector1 !== undefined && s.keySelector2 !== undefined
      ? keyed(new KeyedCoProcessOperator(s.keySelector1, s.keySelector2, s.fn as never))
      : plain(new CoProcessOperator(s.fn)),
  asyncWait: (s) => plain(new AsyncWaitOperator(s)),
  intervalJoin: (s) => keyed(new IntervalJoinOperator(s)),
  broadcastProcess: (s) => (s.keySelector === undefined ? plain(new BroadcastProcessOperator(s)) : keyed(new KeyedBroadcastProcessOperator(s))),
  sink: (s) => plain(new SinkOperator(s.sink) as unknown as StreamOperator<unknown, unknown>),
};

/** The window operator of the family the plan calls for (windowing/window-strategy.ts). */
function windowOperator(spec: WindowNodeSpec): StreamOperator<unknown, unknown> {
  switch (chooseWindowStrategy(spec)) {
    case 'tumbling':
      return new TumblingWindowOperator(spec, slicingOf(spec.assigner)!);
    case 'sliding':
      return new SlidingWindowOperator(spec, slicingOf(spec.assigner)!);
    case 'sessions':
      return new SessionWindowOperator(spec);
    case 'count-delta':
      return new CountDeltaWindowOperator(spec);
    case 'generic':
      return new GenericWindowOperator(spec);
  }
}

/** Builds the operator of a (non-source) node. */
export function translate(node: JobNode): Translation {
  const translation = (TRANSLATORS[node.kind] as (spec: JobNode['spec']) => Translation | undefined)(node.spec);
  if (translation === undefined) throw new Error(`Node '${node.name}' (${node.kind}) is not an operator`);
  return translation;
}
