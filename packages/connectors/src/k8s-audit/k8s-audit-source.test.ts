/**
 * K8sAuditSource end to end (file, array, async iterable), bad input with conservation
 * (lines = events + dead letters), and replay from a checkpointed position.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEAD_LETTERS, type DeadLetter, type SourceOutput, type SourceReader, StreamEnvironment, systemClock, WatermarkStrategy } from '@weir/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditEvent, auditEventTimestamp, K8sAuditSource, parseK8sAuditEvents } from '../index.js';

const fixturePath = new URL('../../fixtures/k8s-audit.log', import.meta.url).pathname;
const fixtureLines = readFileSync(fixturePath, 'utf8').trim().split('\n');
const dir = mkdtempSync(join(tmpdir(), 'weir-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(source: K8sAuditSource) {
  const env = StreamEnvironment.create();
  const s = env.fromSource(source);
  const events = s.collect();
  const dead = s.getSideOutput(DEAD_LETTERS).collect();
  await env.execute();
  return { events: events.records(), dead: dead.items() };
}

/** Drives a reader by hand, `max` records per poll, as the runtime does. */
class Recorder implements SourceOutput<AuditEvent> {
  readonly out: string[] = [];
  collect(value: AuditEvent): void {
    this.out.push(value.auditID);
  }
  deadLetter(letter: Omit<DeadLetter, 'source'>): void {
    this.out.push(`dead:${letter.reason}`);
  }
}
async function pollAll(reader: SourceReader<AuditEvent>, rec: Recorder, max: number, limit = Number.POSITIVE_INFINITY): Promise<void> {
  for (;;) {
    if (rec.out.length >= limit) return;
    const status = reader.pollNext(rec, Math.min(max, limit - rec.out.length));
    if (status === 2) return;
    if (status === 1) await reader.isAvailable();
  }
}
const ctx = { sourceName: 'audit', clock: systemClock, signal: new AbortController().signal };

describe('K8sAuditSource', () => {
  it('reads the fixture log into typed events stamped with stageTimestamp', async () => {
    const { events, dead } = await run(new K8sAuditSource(fixturePath));
    expect(dead).toEqual([]);
    expect(events.map((r) => r.value)).toEqual(fixtureLines.map((l) => JSON.parse(l)));
    expect(events.map((r) => r.timestamp)).toEqual(fixtureLines.map((l) => Date.parse(JSON.parse(l).stageTimestamp)));
    const first = events[0]!.value;
    expect(typeof first.user.username).toBe('string');
  });

  it('sends every kind of bad line to the dead letters with the reason and position, keeping the good ones', async () => {
    const [a, b, c] = fixtureLines;
    const path = join(dir, 'bad.log');
    const parts: Buffer[] = [
      Buffer.from(`${a}\r\n`), // CRLF: fine
      Buffer.from('\n'), // empty line
      Buffer.from('{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":\n'), // truncated JSON
      Buffer.from('{"kind":"Pod","apiVersion":"v1"}\n'), // JSON, not an audit event
      Buffer.concat([Buffer.from('{"kind":"Event","x":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]), // invalid UTF-8
      Buffer.from(`{"pad":"${'z'.repeat(5000)}"}\n`), // oversized for maxLineBytes 4096
      Buffer.from(`${b}\n`),
      Buffer.from(c!), // last line without newline: still a line of a finished file
    ];
    writeFileSync(path, Buffer.concat(parts));
    const { events, dead } = await run(new K8sAuditSource(path, { maxLineBytes: 4096 }));
    expect(events.map((e) => e.value.auditID)).toEqual([a, b, c].map((l) => JSON.parse(l!).auditID));
    const reasons = dead.map((d) => d.reason);
    expect(reasons[0]).toBe('empty line');
    expect(reasons[1]).toMatch(/^not JSON/);
    expect(reasons[2]).toBe('not an audit.k8s.io/v1 Event: kind is "Pod", apiVersion is "v1"');
    expect(reasons[3]).toBe('invalid UTF-8');
    expect(reasons[4]).toBe('line longer than 4096 bytes');
    expect(reasons).toHaveLength(5);
    // conservation: every line of the file is either an event or a dead letter
    expect(events.length + dead.length).toBe(parts.length);
    // positions are byte offsets of the bad lines' starts
    expect(dead[0]!.position).toEqual({ at: parts[0]!.length });
  });

  it('reads lines from an array and from an async iterable', async () => {
    const fromArray = await run(new K8sAuditSource([fixtureLines[0]!, 'garbage', fixtureLines[1]!]));
    expect(fromArray.events).toHaveLength(2);
    expect(fromArray.dead.map((d) => d.position)).toEqual([{ at: 1 }]);
    async function* gen() {
      for (const l of fixtureLines.slice(0, 5)) yield l;
    }
    const fromAsync = await run(new K8sAuditSource(gen()));
    expect(fromAsync.events.map((e) => e.value.auditID)).toEqual(fixtureLines.slice(0, 5).map((l) => JSON.parse(l).auditID));
  });

  it('continues exactly after a checkpointed position (file: byte offset; array: line index)', async () => {
    for (const input of [fixturePath, [...fixtureLines.slice(0, 40), 'not json', ...fixtureLines.slice(40)]] as const) {
      const whole = new Recorder();
      const r0 = new K8sAuditSource(input).createReader(ctx);
      await r0.start?.();
      await pollAll(r0, whole, 1000);
      await r0.close?.();

      const first = new Recorder();
      const r1 = new K8sAuditSource(input).createReader(ctx);
      await r1.start?.();
      await pollAll(r1, first, 7, 63); // 63 records, then "crash"
      const position = r1.snapshotPosition!();
      await r1.close?.();
      const second = new Recorder();
      const r2 = new K8sAuditSource(input).createReader(ctx);
      r2.restorePosition!(position);
      await r2.start?.();
      await pollAll(r2, second, 50);
      await r2.close?.();
      expect(first.out).toHaveLength(63);
      expect([...first.out, ...second.out]).toEqual(whole.out);
    }
  });
});

describe('parseK8sAuditEvents', () => {
  it('parses lines from any stream and dead-letters the rest with the reason', async () => {
    const env = StreamEnvironment.create();
    const parsed = env.fromElements(fixtureLines[0]!, '{"kind":"Pod"}', fixtureLines[1]!).process(parseK8sAuditEvents());
    const events = parsed.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<AuditEvent>().withTimestampAssigner(auditEventTimestamp)).collect();
    const dead = parsed.getSideOutput(DEAD_LETTERS).collect();
    await env.execute();
    expect(events.records().map((r) => r.timestamp)).toEqual(fixtureLines.slice(0, 2).map((l) => Date.parse(JSON.parse(l).stageTimestamp)));
    expect(dead.items()).toEqual([{ input: '{"kind":"Pod"}', reason: 'not an audit.k8s.io/v1 Event: kind is "Pod", apiVersion is undefined', source: 'parseK8sAuditEvents' }]);
  });
});
