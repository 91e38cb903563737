/**
 * Flink's `IntervalJoinOperatorTest`, case by case, with its inputs and expected pairs (left
 * timestamp, right timestamp; every pair stamped with the larger one), both parameterisations
 * (left input faster than right, and the reverse), the buffer contents after each cleanup step,
 * snapshot and restore, the context's timestamps, and late data.
 */
import { describe, expect, it } from 'vitest';
import type { IntervalJoinNodeSpec, ProcessJoinFunction } from '../contract/join-functions.js';
import { IntervalJoinOperator } from './interval-join.js';
import { TwoInputHarness, type TwoInputSnapshot } from './two-input-harness.test-util.js';

interface TestElem {
  readonly key: string;
  readonly ts: number;
  readonly source: 'lhs' | 'rhs';
}
const elem = (ts: number, source: 'lhs' | 'rhs'): TestElem => ({ key: 'key', ts, source });
const passthrough: ProcessJoinFunction<unknown, unknown, unknown> = (l, r, _ctx, out) => out.collect([l, r]);

function operator(lower: number, lowerInclusive: boolean, upper: number, upperInclusive: boolean, extra: Partial<IntervalJoinNodeSpec> = {}) {
  return new IntervalJoinOperator({
    keySelector1: (e) => (e as TestElem).key,
    keySelector2: (e) => (e as TestElem).key,
    lowerBound: lower,
    upperBound: upper,
    lowerBoundInclusive: lowerInclusive,
    upperBoundInclusive: upperInclusive,
    fn: passthrough,
    leftLateTag: undefined,
    rightLateTag: undefined,
    ...extra,
  });
}

/** Flink's streamRecordOf(lhsTs, rhsTs). */
const pair = (l: number, r: number) => ({ value: [elem(l, 'lhs'), elem(r, 'rhs')], timestamp: Math.max(l, r) });
const sortPairs = <T extends { timestamp: number; value: unknown }>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

function processElementsAndWatermarks(h: TwoInputHarness<unknown>, from: number, to: number, lhsFaster: boolean): void {
  const lhs = () => {
    for (let i = from; i <= to; i++) h.element1(elem(i, 'lhs'), i).watermark1(i);
  };
  const rhs = () => {
    for (let i = from; i <= to; i++) h.element2(elem(i, 'rhs'), i).watermark2(i);
  };
  if (lhsFaster) {
    lhs();
    rhs();
  } else {
    rhs();
    lhs();
  }
}

const cases: Array<[string, number, boolean, number, boolean, Array<[number, number]>]> = [
  ['testImplementationMirrorsCorrectly (1 incl, 3 excl)', 1, true, 3, false, [[1, 2], [1, 3], [2, 3], [2, 4], [3, 4]]],
  ['testImplementationMirrorsCorrectly mirrored (-3 excl, -1 incl)', -3, false, -1, true, [[2, 1], [3, 1], [3, 2], [4, 2], [4, 3]]],
  ['testNegativeInclusiveAndNegativeInclusive (-2, -1)', -2, true, -1, true, [[2, 1], [3, 1], [3, 2], [4, 2], [4, 3]]],
  ['testNegativeInclusiveAndPositiveInclusive (-1, 1)', -1, true, 1, true, [[1, 1], [1, 2], [2, 1], [2, 2], [2, 3], [3, 2], [3, 3], [3, 4], [4, 3], [4, 4]]],
  ['testPositiveInclusiveAndPositiveInclusive (1, 2)', 1, true, 2, true, [[1, 2], [1, 3], [2, 3], [2, 4], [3, 4]]],
  ['testNegativeExclusiveAndNegativeExlusive (-3, -1)', -3, false, -1, false, [[3, 1], [4, 2]]],
  ['testNegativeExclusiveAndPositiveExlusive (-1, 1)', -1, false, 1, false, [[1, 1], [2, 2], [3, 3], [4, 4]]],
  ['testPositiveExclusiveAndPositiveExlusive (1, 3)', 1, false, 3, false, [[1, 3], [2, 4]]],
];

for (const lhsFaster of [true, false]) {
  describe(`Flink's IntervalJoinOperatorTest (lhs faster than rhs: ${lhsFaster})`, () => {
    for (const [name, lo, loIncl, up, upIncl, expected] of cases) {
      it(name, () => {
        const h = TwoInputHarness.open(operator(lo, loIncl, up, upIncl));
        processElementsAndWatermarks(h, 1, 4, lhsFaster);
        expect(sortPairs(h.records())).toEqual(sortPairs(expected.map(([l, r]) => pair(l, r))));
        expect(h.counters.lateRecordsDropped).toBe(0);
      });
    }

    // Flink's state-cleanup cases. weir keeps a bucket one millisecond longer than Flink (until
    // the watermark passes the last time a partner can match it, so that a partner arriving at the
    // watermark still joins), so each buffer below is one cleanup step behind Flink's expected
    // value, and everything is gone at watermark 7 (Flink: 6). Flink's values, for comparison:
    // (-1, 0) and (-2 excl, 1 excl): [2..5] [1..5] at 1, [5] [4, 5] at 4;
    // (0, 1) and (-1 excl, 2 excl): [1..5] [2..5] at 1, [4, 5] [5] at 4.
    const cleanup: Array<[string, number, boolean, number, boolean, number[][]]> = [
      ['testStateCleanupNegativeInclusiveNegativeInclusive (-1, 0)', -1, true, 0, true, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [4, 5], [3, 4, 5]]],
      ['testStateCleanupNegativePositiveNegativeExlusive (-2 excl, 1 excl)', -2, false, 1, false, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [4, 5], [3, 4, 5]]],
      ['testStateCleanupPositiveInclusivePositiveInclusive (0, 1)', 0, true, 1, true, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [3, 4, 5], [4, 5]]],
      ['testStateCleanupPositiveExlusivePositiveExclusive (-1 excl, 2 excl)', -1, false, 2, false, [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [3, 4, 5], [4, 5]]],
    ];
    for (const [name, lo, loIncl, up, upIncl, [l1, r1, l4, r4]] of cleanup) {
      it(name, () => {
        const op = operator(lo, loIncl, up, upIncl);
        const h = TwoInputHarness.open(op);
        for (let i = 1; i <= 5; i++) h.element1(elem(i, 'lhs'), i);
        for (let i = 1; i <= 5; i++) h.element2(elem(i, 'rhs'), i);
        h.watermark1(1).watermark2(1);
        expect(op.bufferedTimestamps('left', 'key')).toEqual(l1);
        expect(op.bufferedTimestamps('right', 'key')).toEqual(r1);
        h.watermark1(4).watermark2(4);
        expect(op.bufferedTimestamps('left', 'key')).toEqual(l4);
        expect(op.bufferedTimestamps('right', 'key')).toEqual(r4);
        h.watermark1(7).watermark2(7);
        expect(op.bufferedTimestamps('left', 'key')).toEqual([]);
        expect(op.bufferedTimestamps('right', 'key')).toEqual([]);
        expect(h.backend.entryCount).toBe(0);
      });
    }

    it('testRestoreFromSnapshot (-1, 1 inclusive)', () => {
      let snapshot: TwoInputSnapshot;
      {
        const h = TwoInputHarness.open(operator(-1, true, 1, true));
        for (let i = 1; i <= 3; i++) h.element1(elem(i, 'lhs'), i).watermark1(i).element2(elem(i, 'rhs'), i).watermark2(i);
        snapshot = h.snapshot();
        expect(sortPairs(h.records())).toEqual(sortPairs([pair(1, 1), pair(1, 2), pair(2, 1), pair(2, 2), pair(2, 3), pair(3, 2), pair(3, 3)]));
      }
      const h = TwoInputHarness.open(operator(-1, true, 1, true), snapshot);
      h.element1(elem(4, 'lhs'), 4).watermark1(4).element2(elem(4, 'rhs'), 4).watermark2(4);
      expect(sortPairs(h.records())).toEqual(sortPairs([pair(3, 4), pair(4, 3), pair(4, 4)]));
      expect(h.counters.lateRecordsDropped).toBe(0);
    });

    it('testContextCorrectLeftTimestamp / RightTimestamp / testReturnsCorrectTimestamp', () => {
      const seen: string[] = [];
      const fn: ProcessJoinFunction<unknown, unknown, unknown> = (l, r, ctx, out) => {
        const [lt, rt] = [(l as TestElem).ts, (r as TestElem).ts];
        if (ctx.leftTimestamp !== lt || ctx.rightTimestamp !== rt || ctx.timestamp !== Math.max(lt, rt)) seen.push(`${lt}/${rt}: ${ctx.leftTimestamp} ${ctx.rightTimestamp} ${ctx.timestamp}`);
        out.collect(null);
      };
      const h = TwoInputHarness.open(operator(-1, true, 1, true, { fn }));
      processElementsAndWatermarks(h, 1, 4, lhsFaster);
      expect(seen).toEqual([]);
      expect(h.records()).toHaveLength(10);
    });

    it('testDiscardsLateData: a left element behind the watermark is not joined', () => {
      const h = TwoInputHarness.open(operator(-1, true, 1, true));
      h.element1(elem(1, 'lhs'), 1).element2(elem(1, 'rhs'), 1);
      h.element1(elem(2, 'lhs'), 2).element2(elem(2, 'rhs'), 2);
      h.element1(elem(3, 'lhs'), 3).element2(elem(3, 'rhs'), 3);
      h.watermark1(3).watermark2(3);
      h.element1(elem(1, 'lhs'), 1); // late
      h.element1(elem(4, 'lhs'), 4).element2(elem(4, 'rhs'), 4);
      h.element1(elem(5, 'lhs'), 5).element2(elem(5, 'rhs'), 5);
      const expected = [[1, 1], [1, 2], [2, 1], [2, 2], [2, 3], [3, 2], [3, 3], [3, 4], [4, 3], [4, 4], [4, 5], [5, 4], [5, 5]];
      expect(sortPairs(h.records())).toEqual(sortPairs(expected.map(([l, r]) => pair(l!, r!))));
      expect(h.counters.lateRecordsDropped).toBe(1);
    });

    it('testLateData: late elements of each side go to that side\'s late output', () => {
      const h = TwoInputHarness.open(operator(-1, true, 1, true, { leftLateTag: 'left_late', rightLateTag: 'right_late' }));
      h.element1(elem(3, 'lhs'), 3).element2(elem(3, 'rhs'), 3);
      h.watermark1(3).watermark2(3);
      h.element1(elem(4, 'lhs'), 4).element2(elem(4, 'rhs'), 4);
      h.element1(elem(1, 'lhs'), 1); // late
      h.element2(elem(2, 'rhs'), 2); // late
      h.element1(elem(5, 'lhs'), 5).element2(elem(5, 'rhs'), 5);
      expect(sortPairs(h.records())).toEqual(sortPairs([pair(3, 3), pair(3, 4), pair(4, 3), pair(4, 4), pair(4, 5), pair(5, 4), pair(5, 5)]));
      expect(h.side('left_late')).toEqual([{ value: elem(1, 'lhs'), timestamp: 1 }]);
      expect(h.side('right_late')).toEqual([{ value: elem(2, 'rhs'), timestamp: 2 }]);
    });
  });
}
