/**
 * The broadcast state pattern through the runtime: a rule stream broadcast into map state, read
 * by a non-keyed and a keyed function, `applyToKeyedState` on the broadcast side, and
 * exactly-once across a crash (broadcast state and keyed state checkpointed together).
 */
import { type KeyedBroadcastProcessFunction, MapStateDescriptor, StreamEnvironment, ValueStateDescriptor } from '@weir/core';
import { arbEventStream, runPipeline, type TestEvent } from '@weir/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('broadcast state in a job', () => {
  it('non-keyed: events are filtered by the users broadcast so far', async () => {
    type In = { readonly block: string } | { readonly user: string };
    const blocked = new MapStateDescriptor<string, true>('blocked');
    const env = StreamEnvironment.create();
    // One source feeds both inputs, so they keep the source's order (Flink orders nothing
    // between two inputs; neither does weir when they come from two sources).
    const input = env.fromElements<In>({ user: 'mallory' }, { block: 'mallory' }, { user: 'alice' }, { user: 'mallory' }, { block: 'trudy' }, { user: 'trudy' }, { user: 'bob' });
    const rules = input.filter((x): x is { block: string } => 'block' in x).map((x) => x.block);
    const events = input.filter((x): x is { user: string } => 'user' in x);
    const out = events
      .connect(rules.broadcast(blocked))
      .process<string>({
        processElement: (e, ctx, o) => void (ctx.getBroadcastState(blocked).contains(e.user) || o.collect(e.user)),
        processBroadcastElement: (u, ctx) => ctx.getBroadcastState(blocked).put(u, true),
      })
      .collect();
    await env.execute();
    expect(out.items()).toEqual(['mallory', 'alice', 'bob']);
    expect(env.explain().edges.filter((e) => e.partitioning === 'broadcast')).toHaveLength(1);
  });

  it('keyed: keyed state per user, a broadcast reset clears every key through applyToKeyedState', async () => {
    type In = { readonly user: string } | { readonly reset: true };
    const limit = new MapStateDescriptor<string, number>('limit');
    const count = new ValueStateDescriptor<number>('count');
    const env = StreamEnvironment.create();
    const input = env.fromElements<In>({ user: 'a' }, { user: 'a' }, { user: 'b' }, { reset: true }, { user: 'a' }, { user: 'a' }, { user: 'a' });
    const control = input.filter((x): x is { reset: true } => 'reset' in x);
    const users = input.filter((x): x is { user: string } => 'user' in x);
    const fn: KeyedBroadcastProcessFunction<string, { user: string }, { reset: true }, string> = {
      processElement(e, ctx, out) {
        const c = ctx.getState(count);
        c.update((c.value() ?? 0) + 1);
        if (c.value()! > (ctx.getBroadcastState(limit).get('max') ?? 2)) out.collect(`${ctx.getCurrentKey()} over (${c.value()})`);
      },
      processBroadcastElement(_r, ctx) {
        ctx.getBroadcastState(limit).put('max', 2);
        ctx.applyToKeyedState(count, (_user, state) => state.clear());
      },
    };
    const out = users.keyBy('user').connect(control.broadcast(limit)).process(fn).collect();
    await env.execute();
    // One source feeds both inputs, so their order is the source's: the reset comes after a, a, b.
    expect(out.items()).toEqual(['a over (3)']);
  });
});

describe('exactly-once across a crash', () => {
  type Ev = TestEvent<number>;
  const events = arbEventStream({ keys: ['a', 'b', 'rule'], value: fc.integer({ min: 0, max: 9 }), maxDisorderMs: 50, maxLength: 30 });
  it('broadcast and keyed state restore together: the same output as a run that never failed', async () => {
    const thresholds = new MapStateDescriptor<string, number>('thresholds');
    const sums = new ValueStateDescriptor<number>('sum');
    const build = (s: import('@weir/core').DataStream<Ev>) => {
      const rules = s.filter((e) => e.key === 'rule');
      const data = s.filter((e) => e.key !== 'rule');
      return data
        .keyBy('key')
        .connect(rules.broadcast(thresholds))
        .process<string>({
          processElement(e, ctx, out) {
            const sum = ctx.getState(sums);
            sum.update((sum.value() ?? 0) + e.value);
            const t = ctx.getBroadcastState(thresholds).get('t') ?? 5;
            out.collect(`${e.key}:${sum.value()}${sum.value()! > t ? '!' : ''} (t=${t})`);
          },
          processBroadcastElement(r, ctx) {
            ctx.getBroadcastState(thresholds).put('t', r.value * 3);
          },
        })
        .uid('rules');
    };
    await fc.assert(
      fc.asyncProperty(events, fc.nat(), async (evs, n) => {
        const at = n % (evs.length + 1);
        const plain = await runPipeline(evs, build);
        const crashed = await runPipeline(evs, build, { crash: { afterEvents: at } });
        expect(crashed.restored).toBe(true);
        expect(crashed.results).toEqual(plain.results);
      }),
      { numRuns: 15 },
    );
  });
});
