/**
 * Translation tests (as Flink's WindowTranslationTest): the plan a pipeline compiles to is
 * checked directly, without running it; bad combinations are refused when the pipeline is built.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  type DataStream,
  type JobGraph,
  type JobNode,
  StreamEnvironment,
  type WindowNodeSpec,
} from '../index.js';
import {
  Count,
  CountEvictor,
  Delta,
  ProcessingTimeTrigger,
  CountTrigger,
  DeltaTrigger,
  EventTimeSessionWindows,
  EventTimeTrigger,
  GlobalWindows,
  ProcessingTimeSessionWindows,
  PurgingTrigger,
  SlidingEventTimeWindows,
  Time,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '@weir/windows';
import { CountDeltaWindowOperator } from '../windowing/count-delta-window-operator.js';
import { GenericWindowOperator } from '../windowing/generic-window-operator.js';
import { SessionWindowOperator } from '../windowing/session-window-operator.js';
import { SlidingWindowOperator } from '../windowing/sliding-window-operator.js';
import { TumblingWindowOperator } from '../windowing/tumbling-window-operator.js';
import { chooseWindowStrategy, type WindowStrategy } from '../windowing/window-strategy.js';
import { TRANSLATORS } from './translators.js';

const OPERATOR_CLASSES: Record<WindowStrategy, abstract new (...args: never[]) => unknown> = {
  tumbling: TumblingWindowOperator,
  sliding: SlidingWindowOperator,
  sessions: SessionWindowOperator,
  'count-delta': CountDeltaWindowOperator,
  generic: GenericWindowOperator,
};

interface Tick {
  symbol: string;
  price: number;
}

const countPricesNoMerge = { createAccumulator: () => 0, add: (_t: Tick, n: number) => n + 1, getResult: (n: number) => n };
const countPrices = { ...countPricesNoMerge, merge: (a: number, b: number) => a + b };

function plan(build: (ticks: DataStream<Tick>) => unknown): JobGraph {
  const env = StreamEnvironment.create();
  build(env.fromElements<Tick>({ symbol: 'A', price: 1 }));
  return env.explain();
}

function windowNode(graph: JobGraph): WindowNodeSpec {
  const windows = graph.nodes.filter((n): n is Extract<JobNode, { kind: 'window' }> => n.kind === 'window');
  expect(windows).toHaveLength(1);
  return windows[0]!.spec;
}

const describeWindow = (s: WindowNodeSpec) => [String(s.assigner), String(s.trigger), s.evictor === undefined ? undefined : String(s.evictor)];

describe('window translation', () => {
  it("the seed's window(Time).every(Time) is a sliding event-time assigner with the default trigger, on a hash edge", () => {
    const graph = plan((t) => t.groupBy('symbol').window(Time.of(10, 'seconds')).every(Time.of(5, 'seconds')).maxBy('price'));
    const spec = windowNode(graph);
    expect(describeWindow(spec)).toEqual(['SlidingEventTimeWindows(10000, 5000)', 'EventTimeTrigger()', undefined]);
    expect(spec.defaultTrigger).toBe(true);
    expect(spec.assigner).toBeInstanceOf(SlidingEventTimeWindows);
    const windowId = graph.nodes.find((n) => n.kind === 'window')!.id;
    expect(graph.edges.find((e) => e.to === windowId)?.partitioning).toBe('hash');
    expect(chooseWindowStrategy(spec)).toBe('sliding');
  });

  it('countWindow(n) is global + PurgingTrigger(CountTrigger(n)); countWindow(n, s) adds CountEvictor(n) and fires every s', () => {
    expect(describeWindow(windowNode(plan((t) => t.keyBy('symbol').countWindow(100).sum('price'))))).toEqual([
      'GlobalWindows()',
      'PurgingTrigger(CountTrigger(100))',
      undefined,
    ]);
    expect(describeWindow(windowNode(plan((t) => t.keyBy('symbol').countWindow(100, 10).sum('price'))))).toEqual([
      'GlobalWindows()',
      'CountTrigger(10)',
      'CountEvictor(100)',
    ]);
  });

  it("the seed's window(Count.of(n)) is a global window with the seed's count trigger", () => {
    const spec = windowNode(plan((t) => t.keyBy('symbol').window(Count.of(5)).sum('price')));
    expect(spec.assigner).toBeInstanceOf(GlobalWindows);
    expect(String(spec.trigger)).toBe('Count.of(5)');
  });

  it.each<[string, (t: DataStream<Tick>) => unknown, WindowStrategy]>([
    ['tumbling sum', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).sum('price'), 'tumbling'],
    ['sliding minBy', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).minBy('price'), 'sliding'],
    ['windowAll max', (t) => t.windowAll(TumblingEventTimeWindows.of(1000)).max('price'), 'tumbling'],
    ['an evictor with a slicing-capable aggregation', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).evictor(CountEvictor.of(3)).sum('price'), 'generic'],
    ['allowed lateness', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).allowedLateness(500).sum('price'), 'tumbling'],
    ['the default trigger given explicitly', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).trigger(EventTimeTrigger.create()).sum('price'), 'tumbling'],
    ['a custom trigger', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).trigger(CountTrigger.of(2)).sum('price'), 'generic'],
    ['a user reduce', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).reduce((a, b) => (a.price > b.price ? a : b)), 'tumbling'],
    ['a user reduce on sliding windows', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).reduce((a, b) => (a.price > b.price ? a : b)), 'sliding'],
    ['an AggregateFunction with merge on sliding windows', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).aggregate(countPrices), 'sliding'],
    ['an AggregateFunction without merge on sliding windows (an accumulator per window)', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).aggregate(countPricesNoMerge), 'sliding'],
    ['an AggregateFunction without merge on tumbling windows', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).aggregate(countPricesNoMerge), 'tumbling'],
    ['a ProcessWindowFunction over an aggregate', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(1000, 250)).aggregate(countPrices, (k, _c, [n], out) => out.collect(`${k}:${n}`)), 'sliding'],
    ['a ProcessWindowFunction over all elements', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).process((k, _c, els, out) => out.collect(`${k}:${els.length}`)), 'generic'],
    ['sliding windows with gaps (slide > size)', (t) => t.keyBy('symbol').window(SlidingEventTimeWindows.of(250, 1000)).sum('price'), 'generic'],
    ['processing time', (t) => t.keyBy('symbol').window(TumblingProcessingTimeWindows.of(1000)).sum('price'), 'tumbling'],
    ['sessions', (t) => t.keyBy('symbol').window(EventTimeSessionWindows.withGap(1000)).sum('price'), 'sessions'],
    ['processing-time sessions with a dynamic gap', (t) => t.keyBy('symbol').window(ProcessingTimeSessionWindows.withDynamicGap((x: Tick) => x.price)).max('price'), 'sessions'],
    ['sessions with a custom trigger', (t) => t.keyBy('symbol').window(EventTimeSessionWindows.withGap(1000)).trigger(PurgingTrigger.of(CountTrigger.of(2))).sum('price'), 'generic'],
    ['count windows', (t) => t.keyBy('symbol').countWindow(10).sum('price'), 'count-delta'],
    ['sliding count windows (an evictor)', (t) => t.keyBy('symbol').countWindow(10, 2).sum('price'), 'generic'],
    ['count windows over all elements', (t) => t.keyBy('symbol').countWindow(10).process((k, _c, els, out) => out.collect(`${k}:${els.length}`)), 'generic'],
    ["the seed's Count.of", (t) => t.keyBy('symbol').window(Count.of(5)).sum('price'), 'count-delta'],
    ["the seed's Delta.of", (t) => t.keyBy('symbol').window(Delta.of(1, (a: Tick, b: Tick) => Math.abs(a.price - b.price), { symbol: '', price: 0 })).max('price'), 'count-delta'],
    ['GlobalWindows + DeltaTrigger', (t) => t.keyBy('symbol').window(GlobalWindows.create()).trigger(DeltaTrigger.of(1, (a: Tick, b: Tick) => b.price - a.price)).sum('price'), 'count-delta'],
    ['GlobalWindows + a custom trigger', (t) => t.keyBy('symbol').window(GlobalWindows.create()).trigger(ProcessingTimeTrigger.create()).sum('price'), 'generic'],
    ['tumbling windows + CountTrigger', (t) => t.keyBy('symbol').window(TumblingEventTimeWindows.of(1000)).trigger(CountTrigger.of(3)).sum('price'), 'generic'],
  ])('%s runs on the %s operator', (_name, build, strategy) => {
    const spec = windowNode(plan(build));
    expect(chooseWindowStrategy(spec)).toBe(strategy);
    const operator = TRANSLATORS.window(spec)!.operator;
    expect(operator).toBeInstanceOf(OPERATOR_CLASSES[strategy]);
  });

  it('refuses a merging assigner with a trigger that cannot merge, when the pipeline is built', () => {
    const env = StreamEnvironment.create();
    const keyed = env.fromElements<Tick>().keyBy('symbol');
    expect(() =>
      keyed
        .window(EventTimeSessionWindows.withGap(100))
        .trigger(DeltaTrigger.of(1, (a: Tick, b: Tick) => b.price - a.price))
        .sum('price'),
    ).toThrow(ConfigError);
    expect(env.explain().nodes.map((n) => n.kind)).toEqual(['source']);
  });

  it('refuses session windows with an AggregateFunction that has no merge()', () => {
    const env = StreamEnvironment.create();
    const keyed = env.fromElements<Tick>().keyBy('symbol');
    const noMerge = { createAccumulator: () => 0, add: (t: Tick, n: number) => n + t.price, getResult: (n: number) => n };
    expect(() => keyed.window(EventTimeSessionWindows.withGap(100)).aggregate(noMerge)).toThrow(/need an AggregateFunction with merge\(\)/);
  });
});

describe('the plan of one-input operators', () => {
  it('map, filter, flatMap, keyBy().reduce and a sink: kinds, names, specs and edges', () => {
    const double = (t: Tick) => t.price * 2;
    const graph = plan((t) =>
      t
        .filter((x) => x.price > 0)
        .keyBy('symbol')
        .reduce((a, b) => ({ symbol: a.symbol, price: a.price + b.price }))
        .map(double)
        .print(),
    );
    expect(graph.nodes.map((n) => [n.id, n.kind, n.uid])).toEqual([
      [1, 'source', 'source-1'],
      [2, 'filter', 'filter-2'],
      [3, 'keyedReduce', 'keyedReduce-3'],
      [4, 'map', 'map-4'],
      [5, 'sink', 'sink-5'],
    ]);
    expect(graph.edges.map((e) => [e.from, e.to, e.partitioning])).toEqual([
      [1, 2, 'forward'],
      [2, 3, 'hash'],
      [3, 4, 'forward'],
      [4, 5, 'forward'],
    ]);
    const map = graph.nodes[3]!;
    expect(map.kind === 'map' && map.spec.fn).toBe(double);
  });

  it('has a translator for every node kind the API writes', () => {
    const kinds = new Set(
      plan((t) => {
        t.connect(t).keyBy('symbol', 'symbol').process({ processElement1: () => {}, processElement2: () => {} });
        t.union(t).flatMap((x: Tick) => [x]).process((x, _c, out) => out.collect(x)).collect();
        t.keyBy('symbol').process((x, _c, out) => out.collect(x));
        t.iterate().closeWith(t.filter(() => false));
      }).nodes.map((n) => n.kind),
    );
    for (const kind of kinds) expect(TRANSLATORS[kind], kind).toBeTypeOf('function');
    expect(kinds.size).toBeGreaterThanOrEqual(9);
  });
});
