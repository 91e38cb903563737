/**
 * The scale-out rewrite of plans: where it cuts (keyBy on another key than the source's
 * partitioning key), where it does not (the same key function: co-partitioned), the sub-topologies
 * and their task counts, the inserted nodes, and the plans it refuses. Expected cuts are written
 * from the rule (Kafka Streams repartitions exactly when the key changed), not from the code.
 */
import { describe, expect, it } from 'vitest';
import { StreamEnvironment } from '../../api/stream-environment.js';
import { ConfigError } from '../../errors.js';
import { toMermaid } from '../../graph/mermaid.js';
import { CollectionSource } from '../../sources/collection-source.js';
import { keyGroupOf } from '../../state/key-groups.js';
import { TumblingEventTimeWindows } from '../../windows/assigners/tumbling-event-time-windows.js';
import type { Source } from '../../contract/source.js';
import { planScaleOut } from './plan-scale-out.js';
import type { PartitionedSource, TaskInfo } from './scale-out-types.js';
import { taskGraph } from './task-graph.js';
import { scaleOutToMermaid } from './scale-out-mermaid.js';

interface Click {
  user: string;
  page: string;
  ts: number;
}

/** A partitioned in-memory source: partition p holds the clicks whose user hashes to p. */
class Clicks implements PartitionedSource<Click> {
  readonly bounded = true;
  readonly name = 'clicks';
  readonly tasks: TaskInfo[] = [];
  constructor(
    readonly partitions: number,
    readonly partitionKey?: (c: Click) => unknown,
    private readonly items: Click[] = [],
  ) {}
  partitionOf(key: unknown): number {
    return keyGroupOf(String(key), this.partitions);
  }
  forTask(task: TaskInfo): Source<Click> {
    this.tasks.push(task);
    return new CollectionSource(this.items.filter((c) => this.partitionOf(c.user) === task.partition));
  }
  createReader(): never {
    throw new Error('a partitioned test source is read per task');
  }
}

const byUser = (c: Click) => c.user;
const byPage = (c: Click) => c.page;
const task = (subtopology: number, partition: number, partitions: number): TaskInfo => ({
  jobName: 'j',
  taskId: `${subtopology}_${partition}`,
  subtopology,
  partition,
  partitions,
  epoch: 1,
  fence: { key: 'k', epoch: 1 },
  instanceId: 'i',
});
const kinds = (plan: ReturnType<typeof planScaleOut>, s: number) => plan.subtopologies[s]!.nodes.map((id) => plan.graph.nodes.find((n) => n.id === id)!.name);

describe('planScaleOut', () => {
  it('keeps a keyBy on the source partitioning key in one sub-topology, with a co-partition check', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(8, byUser)).keyBy(byUser).window(TumblingEventTimeWindows.of(1000)).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'j' });
    expect(plan.repartitions).toEqual([]);
    expect(plan.subtopologies).toHaveLength(1);
    expect(plan.subtopologies[0]!.partitions).toBe(8);
    expect(kinds(plan, 0)).toEqual(['clicks', expect.stringMatching(/^Co-partition check: /), expect.stringMatching(/Window/), expect.stringMatching(/Print|print/i)]);
  });

  it('cuts a keyBy on another key into two sub-topologies joined by a repartition stream', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(8, byUser)).map((c) => ({ ...c })).keyBy(byPage).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'pages' });
    expect(plan.repartitions).toHaveLength(1);
    const r = plan.repartitions[0]!;
    expect(r).toMatchObject({ index: 1, name: 'pages-repartition-1', partitions: 8, upstream: 0, downstream: 1 });
    expect(kinds(plan, 0)).toEqual(['clicks', 'Map', 'Repartition Sink: pages-repartition-1']);
    expect(kinds(plan, 1)).toEqual(['Repartition Source: pages-repartition-1', 'Keyed Reduce', expect.stringMatching(/print/i)]);
    expect(plan.subtopologies.map((s) => s.partitions)).toEqual([8, 8]);
    const mermaid = toMermaid(plan.graph);
    expect(mermaid).toContain('Repartition Sink: pages-repartition-1');
    expect(mermaid).toContain('Repartition Source: pages-repartition-1');
  });

  it('cuts a keyBy by field name (only the same key function is known to be the partitioning key)', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(4, byUser)).keyBy('user').reduce((a) => a).print();
    expect(planScaleOut(env.explain(), { jobName: 'j' }).repartitions).toHaveLength(1);
  });

  it('cuts when the source declares no partitioning key, and honours repartitionPartitions', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(4)).keyBy(byUser).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'j', repartitionPartitions: 6 });
    expect(plan.subtopologies.map((s) => s.partitions)).toEqual([4, 6]);
  });

  it('repartitions once for two keyBys on the same key function (the second is co-partitioned with the repartition stream)', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(8, byUser)).keyBy(byPage).reduce((a) => a).keyBy(byPage).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'j' });
    expect(plan.repartitions).toHaveLength(1);
    expect(kinds(plan, 1)).toEqual([
      'Repartition Source: j-repartition-1',
      'Keyed Reduce',
      'Co-partition check: Keyed Reduce',
      'Keyed Reduce',
      expect.stringMatching(/print/i),
    ]);
  });

  it('cuts both inputs of a keyed connect when one of them needs a repartition', () => {
    const env = StreamEnvironment.create();
    const a = env.fromSource<Click>(new Clicks(4, byUser));
    const b = env.fromSource<Click>(new Clicks(4, byUser));
    a.connect(b)
      .keyBy(byUser, byPage)
      .process({ processElement1: () => {}, processElement2: () => {} })
      .print();
    const plan = planScaleOut(env.explain(), { jobName: 'j' });
    expect(plan.repartitions).toHaveLength(2);
    expect(plan.subtopologies).toHaveLength(3);
    expect(plan.subtopologies.map((s) => s.partitions)).toEqual([4, 4, 4]);
  });

  it('refuses non-partitioned sources, windowAll, and inputs with different partition counts', () => {
    const e1 = StreamEnvironment.create();
    e1.fromElements(1, 2).print();
    expect(() => planScaleOut(e1.explain(), { jobName: 'j' })).toThrow(ConfigError);
    expect(() => planScaleOut(e1.explain(), { jobName: 'j' })).toThrow(/not partitioned/);

    const e2 = StreamEnvironment.create();
    e2.fromSource<Click>(new Clicks(4, byUser)).windowAll(TumblingEventTimeWindows.of(1000)).reduce((a) => a).print();
    expect(() => planScaleOut(e2.explain(), { jobName: 'j' })).toThrow(/windowAll/);

    const e3 = StreamEnvironment.create();
    e3.fromSource<Click>(new Clicks(4, byUser)).union(e3.fromSource<Click>(new Clicks(8, byUser))).print();
    expect(() => planScaleOut(e3.explain(), { jobName: 'j' })).toThrow(/has 4 partitions but 'clicks' has 8/);
  });

  it('builds a task graph with the task-aware parts instantiated for the task', () => {
    const source = new Clicks(4, byUser);
    const env = StreamEnvironment.create();
    env.fromSource<Click>(source).keyBy(byUser).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'j' });
    const g = taskGraph(plan, task(0, 2, 4));
    expect(source.tasks.map((t) => t.taskId)).toEqual(['0_2']);
    expect(g.nodes.map((n) => n.uid).sort()).toEqual(['co-partition-check-keyedReduce-2-0', 'keyedReduce-2', 'sink-3', 'source-1']);
    expect(g.edges).toHaveLength(3);
  });

  it('the co-partition check passes keys of its partition and fails the task on a key of another partition', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(4, byUser)).keyBy(byUser).reduce((a) => a).print();
    const plan = planScaleOut(env.explain(), { jobName: 'j' });
    const check = taskGraph(plan, task(0, keyGroupOf('alice', 4), 4)).nodes.find((n) => n.kind === 'process')!;
    const fn = (check.spec as { fn: (v: unknown, ctx: unknown, out: { collect(v: unknown): void }) => void }).fn;
    const out: unknown[] = [];
    fn({ user: 'alice', page: 'p', ts: 1 }, undefined, { collect: (v) => out.push(v) });
    expect(out).toHaveLength(1);
    const other = ['bob', 'carol', 'dave', 'erin'].find((u) => keyGroupOf(u, 4) !== keyGroupOf('alice', 4))!;
    expect(() => fn({ user: other, page: 'p', ts: 1 }, undefined, { collect: () => {} })).toThrow(/arrived in partition .* belongs to partition/);
  });
});

describe('scaleOutToMermaid', () => {
  it('draws one subgraph per sub-topology and the repartition stream between them', () => {
    const env = StreamEnvironment.create();
    env.fromSource<Click>(new Clicks(8, byUser)).keyBy(byPage).reduce((a) => a).print();
    const text = scaleOutToMermaid(planScaleOut(env.explain(), { jobName: 'pages' }));
    expect(text).toContain('subgraph s0["sub-topology 0: 8 tasks (0_0 .. 0_7)"]');
    expect(text).toContain('subgraph s1["sub-topology 1: 8 tasks (1_0 .. 1_7)"]');
    expect(text).toMatch(/n\d+ -\.->\|"pages-repartition-1 \(8 partitions, by key group\)"\| n\d+/);
  });
});
