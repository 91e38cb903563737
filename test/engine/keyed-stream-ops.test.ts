/**
 * A KeyedStream is a DataStream (Flink's hierarchy): `keyed.map`, `filter`, `flatMap`, `print`,
 * `union` run on it, their edges hash-partitioned; what it has no operator for is refused.
 */
import { ConfigError, DataStream, StreamEnvironment } from '@weir/core';
import { describe, expect, it } from 'vitest';

describe('DataStream operations on a KeyedStream', () => {
  it('map, filter, flatMap and union run, and read the keyed stream hash-partitioned', async () => {
    const env = StreamEnvironment.create();
    const xs = env.fromElements({ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 3 });
    const keyed = xs.keyBy('k');
    expect(keyed).toBeInstanceOf(DataStream);
    const mapped = keyed.map((x) => `${x.k}${x.v}`).collect();
    const filtered = keyed.filter((x) => x.v > 1).flatMap((x: { k: string; v: number }) => [x.v, -x.v]).collect();
    const unioned = xs.union(keyed).map((x) => x.v).collect();
    const rolling = keyed.sum('v').collect();
    await env.execute();
    expect(mapped.items()).toEqual(['a1', 'b2', 'a3']);
    expect(filtered.items()).toEqual([2, -2, 3, -3]);
    expect([...unioned.items()].sort()).toEqual([1, 1, 2, 2, 3, 3]);
    expect(rolling.items()).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'a', v: 4 }]);
    const graph = env.explain();
    const source = graph.nodes.find((n) => n.kind === 'source')!;
    const fromSource = graph.edges.filter((e) => e.from === source.id).map((e) => [graph.nodes.find((n) => n.id === e.to)!.kind, e.partitioning]);
    expect(fromSource).toEqual([
      ['map', 'hash'],
      ['filter', 'hash'],
      ['union', 'forward'],
      ['union', 'forward'],
      ['keyedReduce', 'hash'],
    ]);
  });

  it('name, uid and getSideOutput are refused with a ConfigError (a keyed stream has no operator of its own)', () => {
    const env = StreamEnvironment.create();
    const keyed = env.fromElements(1, 2).keyBy((x) => x % 2) as unknown as { name(n: string): unknown; uid(u: string): unknown; getSideOutput(t: unknown): unknown };
    expect(() => keyed.name('x')).toThrow(ConfigError);
    expect(() => keyed.uid('x')).toThrow(/uid\(\) on a KeyedStream/);
    expect(() => keyed.getSideOutput({ id: 'late' })).toThrow(ConfigError);
  });
});
