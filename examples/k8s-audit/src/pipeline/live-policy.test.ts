/**
 * The live policy: events are judged by the policy in effect when they arrive; a new valid
 * policy takes over from the watermark at the change (reported with that event time); a bad one
 * is refused with its line and the old one stays; the policy in effect survives a checkpoint and
 * restore. The policy updates come from the same source as the events, so their order is fixed.
 */
import { readFileSync } from 'node:fs';
import { type AuditEvent, AuditPolicy } from '@weir/connectors';
import { type DataStream, MapStateDescriptor, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../cli.js';
import { AuditGenerator } from '../generator/audit-generator.js';
import type { PolicyUpdate } from '../sources/policy-file-source.js';
import { livePolicy, POLICY_REPORTS, POLICY_STATE } from './live-policy.js';
import type { AuditReport } from './results.js';

const start = Date.UTC(2024, 2, 5, 10);
const startupText = readFileSync(DEFAULT_POLICY, 'utf8');
const startup = AuditPolicy.parse(startupText, { file: 'audit-policy.yaml' });
/** Keeps everything about secrets at Metadata, nothing else. */
const secretsOnly = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:', '  - level: Metadata', '    resources:', '    - group: ""', '      resources: ["secrets"]', '  - level: None', ''].join('\n');
/** Line 4: `level` must be one of None, Metadata, Request, RequestResponse. */
const broken = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:', '  - level: Everything', ''].join('\n');

type In = { readonly event: AuditEvent; readonly ts: number } | { readonly update: PolicyUpdate; readonly ts: number };

function inputWith(updates: ReadonlyMap<number, PolicyUpdate>, n: number): { input: In[]; events: Array<{ event: AuditEvent; ts: number }> } {
  const g = new AuditGenerator({ seed: 5, start, requestsPerSecond: 20 });
  const input: In[] = [];
  const events: Array<{ event: AuditEvent; ts: number }> = [];
  for (let i = 0; i < n; i++) {
    const u = updates.get(i);
    const { event, timestamp } = g.next();
    if (u) input.push({ update: u, ts: timestamp });
    input.push({ event, ts: timestamp });
    events.push({ event, ts: timestamp });
  }
  return { input, events };
}

function build(env: StreamEnvironment, input: In[]) {
  const all = env.fromCollection(input).assignTimestampsAndWatermarks(
    WatermarkStrategy.forBoundedOutOfOrderness<In>(2000).withTimestampAssigner((x) => x.ts),
  );
  const events = all.filter((x): x is { event: AuditEvent; ts: number } => 'event' in x).map((x) => x.event);
  const updates = all.filter((x): x is { update: PolicyUpdate; ts: number } => 'update' in x).map((x) => x.update);
  const stored: DataStream<AuditEvent> = events
    .connect(updates.broadcast(POLICY_STATE))
    .process(livePolicy({ policy: startup, file: 'audit-policy.yaml', text: startupText }))
    .uid('policy');
  return { stored, reports: stored.getSideOutput(POLICY_REPORTS) };
}

describe('the live audit policy', () => {
  it('a bad policy is refused with its line and the old one stays; a valid one applies from the watermark at the change', async () => {
    const updates = new Map<number, PolicyUpdate>([
      [300, { version: 1, file: 'audit-policy.yaml', text: broken }],
      [600, { version: 2, file: 'audit-policy.yaml', text: secretsOnly }],
    ]);
    const { input, events } = inputWith(updates, 1000);
    const env = StreamEnvironment.create();
    const { stored, reports } = build(env, input);
    const storedOut = stored.collect();
    const reportsOut = reports.collect();
    await env.execute();

    const [refused, change] = reportsOut.items() as AuditReport[];
    expect(reportsOut.items()).toHaveLength(2);
    expect(refused).toMatchObject({ kind: 'policy-refused', version: 1, line: 4, keeps: 0 });
    expect((refused as { reason: string }).reason).toMatch(/audit-policy\.yaml:4:\d+: rules\[0\]\.level/);
    expect(change).toMatchObject({ kind: 'policy-change', version: 2, rules: 2, previous: 0 });
    const from = (change as { fromEventTime: number }).fromEventTime;
    // The watermark at the change is behind the events after it: every one of them is judged by v2.
    expect(from).toBeLessThan(events[600]!.ts);

    const v2 = AuditPolicy.parse(secretsOnly);
    const expected = events.map((e, i) => (i < 600 ? startup : v2).apply(e.event)).filter((e): e is AuditEvent => e !== null);
    expect(storedOut.items().map((e) => JSON.stringify(e))).toEqual(expected.map((e) => JSON.stringify(e)));
    const afterChange = events.slice(600).map((e) => v2.apply(e.event)).filter((e): e is AuditEvent => e !== null);
    expect(afterChange.length).toBeGreaterThan(0);
    expect(afterChange.every((e) => e.objectRef?.resource === 'secrets')).toBe(true);
  });

  it('the same text written again is no change', async () => {
    const { input } = inputWith(new Map([[10, { version: 1, file: 'audit-policy.yaml', text: startupText }]]), 50);
    const env = StreamEnvironment.create();
    const { reports } = build(env, input);
    const out = reports.collect();
    await env.execute();
    expect(out.items()).toEqual([]);
  });

  it('the broadcast state is a declared map of plain data (checkpointable)', () => {
    expect(POLICY_STATE).toBeInstanceOf(MapStateDescriptor);
    const state = { version: 2, file: 'audit-policy.yaml', text: secretsOnly };
    expect(structuredClone(state)).toEqual(state);
  });
});
