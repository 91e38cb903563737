/**
 * The micro groups of goals G1-G4 and G8: weir against the hand-written loop and RxJS on the same
 * pre-generated events (1,000 keys; 10 M events in a full run).
 */
import { type KeyedEvent, keyedEvents } from '../data/keyed-events.js';
import { type CaseResult, type Impl, measureCase } from '../harness/measure.js';
import type { Profile } from '../harness/profile.js';
import { handCountWindowSum, rxjsCountWindowSum, weirCountWindowSum } from '../micro/count-window.js';
import { handDeltaWindowSum, weirDeltaWindowSum } from '../micro/delta-window.js';
import { handRollingMaxBy, rxjsRollingMaxBy, weirRollingMaxBy } from '../micro/rolling.js';
import { handSessionSum, weirSessionSum } from '../micro/session-window.js';
import { handSlidingSum, rxjsSlidingSum, weirSlidingSum } from '../micro/sliding.js';
import { handTumblingSum, rxjsTumblingByKeyAndWindow, rxjsTumblingByWindow, weirTumblingSum } from '../micro/tumbling.js';
import { type BenchGroup, pick } from './group.js';

/** Events of a full micro run. */
export const MICRO_EVENTS = 10_000_000;
/** Keys of the micro cases. */
export const MICRO_KEYS = 1000;
/** Session windows are the slowest case: 2 M events in a full run. */
const SESSION_EVENTS = 2_000_000;
/** The per-(key, window) RxJS pipeline is ~100x slower than the loop: it gets 1 M events in a full run. */
const RXJS_GROUPING_EVENTS = 1_000_000;

function input(profile: Profile, eventsPerSecond: number, full = MICRO_EVENTS): KeyedEvent[] {
  return keyedEvents(profile.size(full), { keys: MICRO_KEYS, eventsPerSecond });
}

function tumblingImpls(events: readonly KeyedEvent[], withKeyWindowRxjs: boolean): Impl[] {
  const impls: Impl[] = [
    { name: 'weir+cp', run: (d) => weirTumblingSum(events, 1000, d, 1000) },
    { name: 'weir', run: (d) => weirTumblingSum(events, 1000, d) },
    { name: 'hand', run: (d) => handTumblingSum(events, 1000, d) },
    { name: 'rxjs', run: (d) => rxjsTumblingByWindow(events, 1000, d) },
  ];
  if (withKeyWindowRxjs) impls.push({ name: 'rxjs-kw', run: (d) => rxjsTumblingByKeyAndWindow(events, 1000, d) });
  return impls;
}

const TUMBLING_RATIOS = [
  ['weir+cp', 'hand'],
  ['weir', 'hand'],
  ['weir+cp', 'rxjs'],
  ['rxjs', 'hand'],
] as const;

/**
 * G1 and G2: keyed tumbling 1 s sums, one result per input (1,000 events/s of event time) and one
 * per 100 inputs (100,000 events/s); weir with a checkpoint every second (`weir+cp`) and without.
 * The per-(key, window) RxJS grouping runs on the first 1 M events of the first input.
 *
 * @example
 * ```ts
 * await tumblingGroup.run(profile('quick'), console.error);
 * ```
 */
export const tumblingGroup: BenchGroup = {
  id: 'tumbling',
  title: 'G1/G2 keyed tumbling sum',
  async run(profile, log, only) {
    const results: CaseResult[] = [];
    let events: KeyedEvent[] = input(profile, 1000);
    results.push(
      await measureCase(
        { id: 'g1-tumbling-1per1', goal: 'G1', title: 'tumbling 1 s sum, 1 result per input', events: events.length, impls: pick(tumblingImpls(events, false), only), ratios: TUMBLING_RATIOS },
        profile,
        log,
      ),
    );
    const head = events.slice(0, profile.size(RXJS_GROUPING_EVENTS));
    results.push(
      await measureCase(
        {
          id: 'g2-rxjs-grouping',
          goal: 'G2',
          title: 'tumbling 1 s sum vs per-(key, window) RxJS grouping',
          events: head.length,
          impls: pick(tumblingImpls(head, true), only),
          ratios: [...TUMBLING_RATIOS, ['weir+cp', 'rxjs-kw'], ['rxjs-kw', 'hand']],
        },
        profile,
        log,
      ),
    );
    events = [];
    events = input(profile, 100_000);
    results.push(
      await measureCase(
        { id: 'g1-tumbling-1per100', goal: 'G1', title: 'tumbling 1 s sum, 1 result per 100 inputs', events: events.length, impls: pick(tumblingImpls(events, false), only), ratios: TUMBLING_RATIOS },
        profile,
        log,
      ),
    );
    return results;
  },
};

/**
 * G3: keyed sliding sums, size 10 s, slide 5 s / 2 s / 1 s (size/slide 2, 5, 10), at 100,000
 * events/s of event time: a (key, window) gathers 1,000 events, so results stay rare (1 per 500
 * inputs at size/slide 2, 1 per 100 at 10) and the drop from 2 to 10, carried by the last case,
 * measures what assigning an event to 2 or 10 windows costs (what slicing removes), not emission.
 * At 1,000 events/s the drop is dominated by emitting 5 times more results (the hand-written
 * pane loop itself then dropped by 57%).
 *
 * @example
 * ```ts
 * await slidingGroup.run(profile('quick'), console.error);
 * ```
 */
export const slidingGroup: BenchGroup = {
  id: 'sliding',
  title: 'G3 keyed sliding sum',
  async run(profile, log, only) {
    const events = input(profile, 100_000);
    const results: CaseResult[] = [];
    for (const slide of [5000, 2000, 1000]) {
      const ratio = 10_000 / slide;
      const impls: Impl[] = [
        { name: 'weir', run: (d) => weirSlidingSum(events, 10_000, slide, d) },
        { name: 'hand', run: (d) => handSlidingSum(events, 10_000, slide, d) },
      ];
      if (ratio === 2) impls.push({ name: 'rxjs', run: (d) => rxjsSlidingSum(events, 10_000, slide, d) });
      results.push(
        await measureCase(
          {
            id: `g3-sliding-x${ratio}`,
            goal: 'G3',
            title: `sliding 10 s / ${slide / 1000} s sum (size/slide ${ratio})`,
            events: events.length,
            impls: pick(impls, only),
            ratios: [
              ['weir', 'hand'],
              ['weir', 'rxjs'],
            ],
          },
          profile,
          log,
        ),
      );
    }
    const rate = (r: CaseResult, name: string) => r.impls.find((i) => i.name === name)?.eventsPerSec;
    const first = results[0]!;
    const last = results[results.length - 1]!;
    const drop = (name: string) => {
      const a = rate(first, name);
      const b = rate(last, name);
      return a !== undefined && b !== undefined ? 1 - b / a : undefined;
    };
    results[results.length - 1] = { ...last, extra: { weirDropFrom2To10: drop('weir'), handDropFrom2To10: drop('hand') } };
    return results;
  },
};

/**
 * G4: rolling `maxBy('value')` per key, one output per input.
 *
 * @example
 * ```ts
 * await rollingGroup.run(profile('quick'), console.error);
 * ```
 */
export const rollingGroup: BenchGroup = {
  id: 'rolling',
  title: 'G4 rolling maxBy',
  async run(profile, log, only) {
    const events = input(profile, 1000);
    const impls: Impl[] = [
      { name: 'weir', run: (d) => weirRollingMaxBy(events, d) },
      { name: 'hand', run: (d) => handRollingMaxBy(events, d) },
      { name: 'rxjs', run: (d) => rxjsRollingMaxBy(events, d) },
    ];
    return [
      await measureCase(
        {
          id: 'g4-rolling-maxby',
          goal: 'G4',
          title: 'rolling maxBy per key',
          events: events.length,
          impls: pick(impls, only),
          ratios: [
            ['weir', 'hand'],
            ['weir', 'rxjs'],
          ],
        },
        profile,
        log,
      ),
    ];
  },
};

/**
 * G8: session (gap 1 s), count (100) and delta (threshold 40 on `value`) windows with a sum, at
 * 1,000 events/s of event time (a key comes back every 1 to 1,999 ms, so sessions hold about 2
 * events); sessions on the first 2 M events of a full run.
 *
 * @example
 * ```ts
 * await otherWindowsGroup.run(profile('quick'), console.error);
 * ```
 */
export const otherWindowsGroup: BenchGroup = {
  id: 'windows',
  title: 'G8 session, count and delta windows',
  async run(profile, log, only) {
    const events = input(profile, 1000);
    const head = events.slice(0, profile.size(SESSION_EVENTS));
    const cases: { id: string; title: string; events: readonly KeyedEvent[]; impls: Impl[] }[] = [
      {
        id: 'g8-session',
        title: 'session windows (gap 1 s) sum',
        events: head,
        impls: [
          { name: 'weir', run: (d) => weirSessionSum(head, 1000, d) },
          { name: 'hand', run: (d) => handSessionSum(head, 1000, d) },
        ],
      },
      {
        id: 'g8-count',
        title: 'countWindow(100) sum',
        events,
        impls: [
          { name: 'weir', run: (d) => weirCountWindowSum(events, 100, d) },
          { name: 'hand', run: (d) => handCountWindowSum(events, 100, d) },
          { name: 'rxjs', run: (d) => rxjsCountWindowSum(events, 100, d) },
        ],
      },
      {
        id: 'g8-delta',
        title: 'Delta.of(40) windows sum',
        events,
        impls: [
          { name: 'weir', run: (d) => weirDeltaWindowSum(events, 40, d) },
          { name: 'hand', run: (d) => handDeltaWindowSum(events, 40, d) },
        ],
      },
    ];
    const results: CaseResult[] = [];
    for (const c of cases) {
      results.push(
        await measureCase(
          {
            id: c.id,
            goal: 'G8',
            title: c.title,
            events: c.events.length,
            impls: pick(c.impls, only),
            ratios: [
              ['weir', 'hand'],
              ['weir', 'rxjs'],
            ],
          },
          profile,
          log,
        ),
      );
    }
    return results;
  },
};
