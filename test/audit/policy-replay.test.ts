/**
 * Policy replay against a direct computation: per rule and per level, events kept, dropped (by
 * level None or by an omitted stage) and stripped, and the bytes before and after, over a
 * recording at RequestResponse (generated) and over the connectors' Metadata-level fixture. The
 * model cuts events down itself (delete the bodies the level does not keep); it takes only the
 * rule and level from AuditPolicy, whose matching is tested on its own.
 */
import { type AuditEvent, type AuditLevel, AuditPolicy, K8sAuditSource, PolicyReplay, policyReplayAggregate, type PolicyReplaySummary } from '@weir/connectors';
import { StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AuditGenerator } from '../../examples/k8s-audit/src/generator/audit-generator.js';

const policy = AuditPolicy.fromFile(new URL('../../examples/k8s-audit/audit-policy.yaml', import.meta.url).pathname);
const start = Date.UTC(2024, 2, 5, 10);
const LEVELS: AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

function recording(minutes: number): { event: AuditEvent; timestamp: number }[] {
  const g = new AuditGenerator({ seed: 11, start, requestsPerSecond: 10 });
  const out = [];
  while (g.peekTimestamp() < start + minutes * 60_000) out.push(g.next());
  return out;
}

interface Counts {
  events: number;
  kept: number;
  droppedNone: number;
  droppedStage: number;
  stripped: number;
  bytesIn: number;
  bytesOut: number;
}
const zero = (): Counts => ({ events: 0, kept: 0, droppedNone: 0, droppedStage: 0, stripped: 0, bytesIn: 0, bytesOut: 0 });
const size = (e: unknown) => Buffer.byteLength(JSON.stringify(e)) + 1;

/** Counts per rule slot (last: no rule) and the number of under-recorded events, by plain loops. */
function model(events: readonly AuditEvent[]): { rules: Counts[]; underRecorded: number } {
  const rules = Array.from({ length: policy.rules.length + 1 }, zero);
  let underRecorded = 0;
  for (const e of events) {
    const { level, omitStages, rule } = policy.levelAndStages(e);
    const c = rules[rule ?? policy.rules.length]!;
    c.events++;
    c.bytesIn += size(e);
    if (level === 'None') c.droppedNone++;
    else if (omitStages.includes(e.stage)) c.droppedStage++;
    else {
      c.kept++;
      const at = Math.min(LEVELS.indexOf(level), LEVELS.indexOf(e.level));
      if (LEVELS.indexOf(e.level) < LEVELS.indexOf(level)) underRecorded++;
      const out: Record<string, unknown> = { ...e, level: LEVELS[at] };
      if (at < 2) delete out.requestObject;
      if (at < 3) delete out.responseObject;
      if (('requestObject' in e && !('requestObject' in out)) || ('responseObject' in e && !('responseObject' in out))) c.stripped++;
      c.bytesOut += size(out);
    }
  }
  return { rules, underRecorded };
}

function expectMatches(summary: PolicyReplaySummary, events: readonly AuditEvent[]): void {
  const m = model(events);
  const pick = (c: Counts) => ({ events: c.events, kept: c.kept, droppedNone: c.droppedNone, droppedStage: c.droppedStage, stripped: c.stripped, bytesIn: c.bytesIn, bytesOut: c.bytesOut });
  expect(summary.byRule.map(pick)).toEqual(m.rules);
  const total = m.rules.reduce((a, c) => {
    for (const k of Object.keys(a) as (keyof Counts)[]) a[k] += c[k];
    return a;
  }, zero());
  expect(pick(summary)).toEqual(total);
  expect(summary.dropped).toBe(total.droppedNone + total.droppedStage);
  expect(summary.bytesSaved).toBe(total.bytesIn - total.bytesOut);
  for (const level of LEVELS) {
    const ofLevel = m.rules.filter((_, i) => (i < policy.rules.length ? policy.rules[i]!.level : 'None') === level);
    expect(pick(summary.byLevel[level])).toEqual(ofLevel.reduce((a, c) => {
      for (const k of Object.keys(a) as (keyof Counts)[]) a[k] += c[k];
      return a;
    }, zero()));
  }
  expect(summary.underRecorded).toBe(m.underRecorded);
}

describe('policy replay', () => {
  const recorded = recording(4);

  it('over a RequestResponse recording: counts per rule and level and bytes saved equal the direct computation', () => {
    const replay = new PolicyReplay(policy);
    const outputs = recorded.map(({ event }) => replay.add(event));
    const s = replay.summary();
    expectMatches(s, recorded.map((r) => r.event));
    // add() returns what apply() logs
    expect(outputs).toEqual(recorded.map(({ event }) => policy.apply(event)));
    // the recording exercises keeping, both kinds of dropping and stripping
    expect(s.kept * s.droppedNone * s.droppedStage * s.stripped).toBeGreaterThan(0);
    expect(s.savedPercent).toBeGreaterThan(30);
  });

  it('per window in a weir job: each window equals the computation over its events, and the windows add up', async () => {
    const env = StreamEnvironment.create();
    const windows = env
      .fromCollection(recorded.map((r) => r.event))
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<AuditEvent>().withTimestampAssigner((e) => Math.floor(Date.parse(e.stageTimestamp))))
      .window(TumblingEventTimeWindows.of(Time.minutes(1)))
      .aggregate(policyReplayAggregate(policy), (_, ctx, s, out) => out.collect({ start: ctx.window.start, summary: s[0]! }))
      .collect();
    await env.execute('replay per minute');
    const got = (windows.items() as { start: number; summary: PolicyReplaySummary }[]).sort((a, b) => a.start - b.start);
    expect(got.map((w) => w.start)).toEqual([0, 1, 2, 3].map((i) => start + i * 60_000));
    for (const w of got) expectMatches(w.summary, recorded.filter((r) => r.timestamp >= w.start && r.timestamp < w.start + 60_000).map((r) => r.event));
    expect(got.reduce((n, w) => n + w.summary.events, 0)).toBe(recorded.length);
  });

  it('over the connectors fixture (recorded at Metadata): nothing to strip, under-recorded events counted', async () => {
    const path = new URL('../../packages/connectors/fixtures/k8s-audit.log', import.meta.url).pathname;
    const env = StreamEnvironment.create();
    const events = env.fromSource(new K8sAuditSource(path)).collect();
    await env.execute('read fixture');
    const replay = new PolicyReplay(policy);
    for (const e of events.items()) replay.add(e);
    const s = replay.summary();
    expectMatches(s, events.items());
    expect(s.events).toBe(readFileSync(path, 'utf8').trim().split('\n').length);
    expect(s.stripped).toBe(0);
    expect(s.underRecorded).toBeGreaterThan(0);
  });
});
