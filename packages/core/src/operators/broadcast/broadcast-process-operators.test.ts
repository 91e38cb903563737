/**
 * The broadcast process operators, driven by hand. Cases from Flink's
 * `CoBroadcastWithKeyedOperatorTest` and `CoBroadcastWithNonKeyedOperatorTest` with their inputs and
 * expected outputs (values, timestamps, watermark positions), and a snapshot/restore of broadcast
 * and keyed state into a fresh operator.
 */
import { describe, expect, it } from 'vitest';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from '../../contract/broadcast-functions.js';
import { OutputTag } from '../../contract/output-tag.js';
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '../../state/descriptors.js';
import { TwoInputHarness } from '../two-input-harness.test-util.js';
import { BroadcastProcessOperator } from './broadcast-process-operator.js';
import { KeyedBroadcastProcessOperator } from './keyed-broadcast-process-operator.js';

const STATE = new MapStateDescriptor<string, number>('broadcast-state');
const identity = (x: unknown) => x;
const keyed = <K, IN1, IN2, OUT>(fn: KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>, keySelector: (v: unknown) => unknown = identity, names = [STATE.name]) =>
  TwoInputHarness.open(new KeyedBroadcastProcessOperator({ keySelector, fn: fn as never, stateNames: names }));
const nonKeyed = <IN1, IN2, OUT>(fn: BroadcastProcessFunction<IN1, IN2, OUT>, names = [STATE.name]) =>
  TwoInputHarness.open(new BroadcastProcessOperator({ keySelector: undefined, fn: fn as never, stateNames: names }));
const rec = (value: unknown, timestamp: number) => ({ value, timestamp });
const wm = (watermark: number) => ({ watermark });

describe("Flink's CoBroadcastWithKeyedOperatorTest", () => {
  it('testKeyQuerying: the element side sees its key', () => {
    const seen: unknown[] = [];
    const h = keyed<number, readonly [number, string], string, string>(
      {
        processElement(v, ctx, out) {
          seen.push([ctx.getCurrentKey(), v[0]]);
          out.collect(v[1]);
        },
        processBroadcastElement() {},
      },
      (v) => (v as [number, string])[0],
    );
    h.element1([5, '5'], 12).element1([42, '42'], 13);
    expect(h.main.out).toEqual([rec('5', 12), rec('42', 13)]);
    expect(seen).toEqual([[5, 5], [42, 42]]);
  });

  it('testAccessToKeyedStateIt: applyToKeyedState visits every key with its list state', () => {
    const list = new ListStateDescriptor<string>('listStateTest');
    const visited: Record<string, string[]> = {};
    const h = keyed<string, string, number, string>({
      processElement(v, ctx) {
        ctx.getListState(list).add(v);
      },
      processBroadcastElement(_v, ctx) {
        ctx.applyToKeyedState(list, (key, state) => {
          visited[key] = [...state.get()];
        });
      },
    });
    for (const [k, ts] of [['test1', 12], ['test1', 12], ['test2', 13], ['test2', 13], ['test2', 13], ['test3', 14], ['test3', 14], ['test3', 14], ['test2', 13]] as const) h.element1(k, ts);
    h.element2(1, 13);
    expect(visited).toEqual({ test1: ['test1', 'test1'], test2: ['test2', 'test2', 'test2', 'test2'], test3: ['test3', 'test3', 'test3'] });
  });

  const timerFunction = (out: 'main' | 'side'): KeyedBroadcastProcessFunction<string, string, number, string> => {
    const br = new OutputTag<string>('br-out');
    const nonBr = new OutputTag<string>('non-br-out');
    return {
      processBroadcastElement(v, ctx, o) {
        const s = `BR:${v} WM:${ctx.currentWatermark()} TS:${ctx.timestamp}`;
        if (out === 'main') o.collect(s);
        else ctx.output(br, s);
      },
      processElement(v, ctx, o) {
        const s = `NON-BR:${v} WM:${ctx.currentWatermark()} TS:${ctx.timestamp}`;
        if (out === 'main') {
          ctx.timerService().registerEventTimeTimer(41);
          o.collect(s);
        } else ctx.output(nonBr, s);
      },
      onTimer(ts, ctx, o) {
        expect(ctx.getCurrentKey()).toBe('6');
        o.collect(`TIMER:${ts}`);
      },
    };
  };
  const timerScript = (h: TwoInputHarness<unknown>) => {
    h.watermark1(10).watermark2(10).element2(5, 12);
    h.watermark1(40).watermark2(40).element1('6', 13).element1('6', 15);
    h.watermark1(50).watermark2(50);
  };

  it('testFunctionWithTimer: outputs, the timer and the watermarks in order', () => {
    const h = keyed(timerFunction('main'));
    timerScript(h);
    expect(h.main.out).toEqual([wm(10), rec('BR:5 WM:10 TS:12', 12), wm(40), rec('NON-BR:6 WM:40 TS:13', 13), rec('NON-BR:6 WM:40 TS:15', 15), rec('TIMER:41', 41), wm(50)]);
  });

  it('testSideOutput: both sides may write side outputs', () => {
    const h = keyed(timerFunction('side'));
    timerScript(h);
    expect(h.side('br-out')).toEqual([rec('BR:5 WM:10 TS:12', 12)]);
    expect(h.side('non-br-out')).toEqual([rec('NON-BR:6 WM:40 TS:13', 13), rec('NON-BR:6 WM:40 TS:15', 15)]);
  });

  it('testFunctionWithBroadcastState: the element side and timers read what the broadcast side wrote', () => {
    const h = keyed<string, string, number, string>({
      processBroadcastElement(v, ctx) {
        ctx.getBroadcastState(STATE).put(`${v}.key`, v);
      },
      processElement(_v, ctx) {
        expect(new Map(ctx.getBroadcastState(STATE).entries())).toEqual(new Map([['5.key', 5], ['34.key', 34], ['53.key', 53], ['12.key', 12], ['98.key', 98]]));
        ctx.timerService().registerEventTimeTimer(41);
      },
      onTimer(ts, ctx, out) {
        expect(ctx.getCurrentKey()).toBe('trigger');
        const entries = [...ctx.getBroadcastState(STATE).entries()].sort(([a], [b]) => a.localeCompare(b));
        out.collect(`TS:${ts} ${entries.map(([k, v]) => `${k}=${v}`).join(',')}`);
      },
    });
    h.watermark1(10).watermark2(10);
    for (const [v, ts] of [[5, 10], [34, 12], [53, 15], [12, 16], [98, 19]] as const) h.element2(v, ts);
    h.element1('trigger', 13);
    h.element2(51, 21);
    h.watermark1(50).watermark2(50);
    expect(h.main.out).toEqual([wm(10), rec('TS:41 12.key=12,34.key=34,5.key=5,51.key=51,53.key=53,98.key=98', 41), wm(50)]);
  });

  it('the element side cannot write broadcast state, not even from JavaScript', () => {
    const h = keyed<string, string, number, string>({
      processElement(_v, ctx) {
        (ctx.getBroadcastState(STATE) as unknown as { put(k: string, v: number): void }).put('x', 1);
      },
      processBroadcastElement() {},
    });
    expect(() => h.element1('k', 1)).toThrow(/put is not a function/);
  });

  it('a broadcast state that was not declared is a ConfigError naming the declared ones', () => {
    const h = keyed<string, string, number, string>({
      processElement() {},
      processBroadcastElement(_v, ctx) {
        ctx.getBroadcastState(new MapStateDescriptor<string, number>('typo')).put('a', 1);
      },
    });
    expect(() => h.element2(1, 1)).toThrow(/no broadcast state 'typo'.*declared: 'broadcast-state'/);
  });

  it('snapshot and restore: broadcast state and keyed state come back; a fresh operator continues', () => {
    const counts = new ValueStateDescriptor<number>('count');
    const fn: KeyedBroadcastProcessFunction<string, string, number, string> = {
      processBroadcastElement(v, ctx) {
        ctx.getBroadcastState(STATE).put('threshold', v);
      },
      processElement(v, ctx, out) {
        const c = ctx.getState(counts);
        c.update((c.value() ?? 0) + 1);
        if (c.value()! >= (ctx.getBroadcastState(STATE).get('threshold') ?? Infinity)) out.collect(`${v} x${c.value()}`);
      },
    };
    const first = keyed(fn);
    first.element2(2, 1).element1('a', 2).element1('b', 3);
    const snapshot = first.snapshot();
    first.element2(100, 4); // after the checkpoint: not in it
    const fresh = keyed(fn);
    const restored = TwoInputHarness.open(new KeyedBroadcastProcessOperator({ keySelector: identity, fn: fn as never, stateNames: [STATE.name] }), snapshot);
    fresh.element1('a', 5);
    restored.element1('a', 5).element1('b', 6);
    expect(fresh.main.out).toEqual([]); // a fresh operator knows no threshold
    expect(restored.main.out).toEqual([rec('a x2', 5), rec('b x2', 6)]);
  });
});

describe("Flink's CoBroadcastWithNonKeyedOperatorTest", () => {
  it('testMultiStateSupport: several broadcast states, written on one side and read on the other', () => {
    const s1 = new MapStateDescriptor<string, number>('buffer-state-1');
    const s2 = new MapStateDescriptor<number, string>('buffer-state-2');
    const h = nonKeyed<string, number, string>(
      {
        processBroadcastElement(v, ctx) {
          ctx.getBroadcastState(s1).put(String(v), v);
          ctx.getBroadcastState(s2).put(v, String(v));
        },
        processElement(v, ctx, out) {
          for (const [k, x] of ctx.getBroadcastState(s1).entries()) out.collect(`${v}:${k}->${x}`);
          for (const [k, x] of ctx.getBroadcastState(s2).entries()) out.collect(`${v}:${k}->${x}`);
        },
      },
      [s1.name, s2.name],
    );
    h.element2(5, 10).element2(6, 11).element1('9', 15);
    expect(h.main.out).toEqual([rec('9:5->5', 15), rec('9:6->6', 15), rec('9:5->5', 15), rec('9:6->6', 15)]);
  });

  it('testBroadcastState and the watermark: the min of both inputs', () => {
    const h = nonKeyed<string, number, string>({
      processBroadcastElement(v, ctx) {
        ctx.getBroadcastState(STATE).put(String(v), v);
      },
      processElement(v, ctx, out) {
        out.collect(`${v} sees ${ctx.getBroadcastState(STATE).size} at WM ${ctx.currentWatermark()}`);
      },
    });
    h.watermark1(10).element2(5, 10).watermark2(8).element1('x', 12);
    expect(h.main.out).toEqual([wm(8), rec('x sees 1 at WM 8', 12)]);
  });
});
