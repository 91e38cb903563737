/**
 * Watermarks as the dashboard and `/api/job` report them (issue #14, item 10): each operator's
 * current watermark as the runtime holds it, event time that ended (a finished branch whose
 * windows all fired) told apart from "no watermark", no lag for an ended source, and no chart
 * point for a watermark at or before the epoch (a generator's starting value, which would chart
 * as a lag of ~57 years). Expected values are computed here from the input and the documented
 * watermark rule (`max timestamp - bound - 1`), not read back from the code.
 */
import { describe, expect, it } from 'vitest';
import { type JobGraph, ManualClock, type MetricsSnapshot, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { chartedLag, historySample } from '../../packages/web/src/history-sample.js';
import { gate, waitFor } from './support/wait.js';

interface Ev { k: string; v: number; ts: number }

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const BOUND = 100;

/** Ids of the nodes fed, directly or not, by a `timestamps` node. */
function downstreamOfAssigners(graph: JobGraph): Set<number> {
  const found = new Set<number>();
  const queue = graph.nodes.filter((n) => n.kind === 'timestamps').map((n) => n.id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of graph.edges) if (e.from === id && !found.has(e.to)) queue.push((found.add(e.to), e.to));
  }
  return found;
}

function buildJob(env: StreamEnvironment, input: Iterable<Ev> | AsyncIterable<Ev>): void {
  env
    .fromCollection(input)
    .name('events')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(BOUND).withTimestampAssigner((e) => e.ts))
    .name('event time')
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(1000))
    .sum('v')
    .name('sums')
    .map((e) => `${e.k} ${e.v}`)
    .name('format')
    .collect();
}

describe('watermark metrics', () => {
  it('a running job: every operator after the assigner holds max timestamp - bound - 1, with its lag on the job clock', async () => {
    const clock = new ManualClock(T0 + 5000);
    const env = StreamEnvironment.create({ clock });
    const hold = gate();
    const events: Ev[] = [0, 700, 1500, 2300, 2100].map((dt, i) => ({ k: `k${i % 2}`, v: i, ts: T0 + dt }));
    async function* input(): AsyncGenerator<Ev> {
      yield* events;
      await hold.wait;
    }
    buildJob(env, input());
    const graph = env.explain();
    const running = env.execute('running');
    try {
      const expected = Math.max(...events.map((e) => e.ts)) - BOUND - 1;
      const m = await waitFor('the watermark to reach the sink', () => {
        const s = env.metrics();
        return s.operators.length > 0 && s.operators.every((o) => o.watermark === expected) ? s : undefined;
      });
      // The assigner and everything after it: every operator of this job.
      const assigner = graph.nodes.find((n) => n.kind === 'timestamps')!.id;
      expect(m.operators.map((o) => o.id).sort()).toEqual([assigner, ...downstreamOfAssigners(graph)].sort());
      for (const o of m.operators) {
        expect({ name: o.name, lag: o.watermarkLagMs, ended: o.eventTimeEnded }).toEqual({ name: o.name, lag: T0 + 5000 - expected, ended: false });
      }
      // The windows that end at or before the watermark fired: one sum per (key, window) in them.
      const fired = new Set(events.filter((e) => Math.floor((e.ts - T0) / 1000) * 1000 + T0 + 999 <= expected).map((e) => `${e.k}|${Math.floor((e.ts - T0) / 1000)}`));
      expect(fired.size).toBe(3);
      expect(m.operators.find((o) => o.name === 'sums')!.recordsOut).toBe(fired.size);
    } finally {
      hold.open();
      await running;
    }
  });

  it('a finished job: event time ended (not "no watermark") on every operator, and an ended source has no lag', async () => {
    const env = StreamEnvironment.create();
    buildJob(
      env,
      Array.from({ length: 40 }, (_, i) => ({ k: `k${i % 3}`, v: i, ts: T0 + i * 100 })),
    );
    const result = await env.execute('finished');
    const m = result.metrics;
    expect(m.operators.map((o) => o.name)).toEqual(['event time', 'sums', 'format', 'Collect Sink']);
    for (const o of m.operators) {
      expect({ name: o.name, ended: o.eventTimeEnded, watermark: o.watermark, lag: o.watermarkLagMs }).toEqual({ name: o.name, ended: true, watermark: null, lag: null });
    }
    // The source ran on ingestion time (it stamps no timestamps itself): its last watermark stays
    // reported, but an ended source is behind nothing.
    const [source] = m.sources;
    expect(source!.ended).toBe(true);
    expect(source!.watermarkLagMs).toBeNull();
    // 40 events, 100 ms apart: windows of 10 events each, one sum per key present in a window.
    const sums = new Set(Array.from({ length: 40 }, (_, i) => `${i % 3}|${Math.floor(i / 10)}`)).size;
    expect(m.operators.find((o) => o.name === 'sums')!.recordsOut).toBe(sums);
  });

  it('charts no lag without a watermark, after event time ended, or from a watermark at the epoch', () => {
    const now = T0;
    expect(chartedLag({ watermark: now - 250, watermarkLagMs: 250 })).toBe(250);
    expect(chartedLag({ watermark: null, watermarkLagMs: null })).toBeNull();
    // Flink's documented generator before its first event: max 0, bound 500 -> -501.
    expect(chartedLag({ watermark: -501, watermarkLagMs: now + 501 })).toBeNull();
    expect(chartedLag({ watermark: 0, watermarkLagMs: now })).toBeNull();
    expect(chartedLag({ watermark: Number.POSITIVE_INFINITY, watermarkLagMs: Number.NEGATIVE_INFINITY })).toBeNull();

    const op = (uid: string, watermark: number | null): MetricsSnapshot['operators'][number] => ({
      id: 0,
      uid,
      name: uid,
      kind: 'map',
      recordsIn: 0,
      recordsOut: 0,
      sideOutputs: {},
      recordsInPerSecond: 0,
      recordsOutPerSecond: 0,
      watermark,
      watermarkLagMs: watermark === null ? null : now - watermark,
      eventTimeEnded: false,
      lateRecordsDropped: 0,
      lateRecordsSideOutput: 0,
      deadLetters: 0,
      stateEntries: 0,
      liveWindows: 0,
      timers: 0,
    });
    const snapshot: MetricsSnapshot = {
      jobName: 'j',
      status: 'running',
      startedAt: now,
      operators: [op('a', now - 40), op('b', -501), op('c', null)],
      sources: [],
      edges: [],
      checkpoints: { completed: 0, failed: 0, lastCheckpointId: 0, history: [] },
      restarts: 0,
      lastException: undefined,
      lastFailure: undefined,
    };
    expect(historySample(snapshot, now).lags).toEqual({ a: 40, b: null, c: null });
  });
});
