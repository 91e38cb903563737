/**
 * The example application end to end, as separate processes over real TCP:
 * - two forwarders (child processes) send a generated audit log to a token-protected
 *   LineServerSource; a connection with a wrong token is refused and reported; lines that are not
 *   audit Events become dead letters; the weir process is killed with SIGKILL mid-stream and
 *   started again, the forwarders reconnect and send everything again, and every good line is in
 *   the store exactly once;
 * - the generated input killed and resumed: the store holds exactly the generator's events.
 * The policy is a catch-all at RequestResponse, so the store must hold every event unchanged: the
 * expected contents are the lines themselves, not anything computed by weir.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditGenerator } from '../../examples/k8s-audit/src/generator/audit-generator.js';
import { bundleApp, type Child, freePort, readStore, sleep, spawnChild } from './support/app-process.js';

const FORWARDER = new URL('./support/forwarder.mjs', import.meta.url).pathname;
const START = Date.UTC(2024, 2, 5, 10); // the app's GENERATOR_START
let bundle = '';
let dir = '';
const children: Child[] = [];
const child = (file: string, args: string[]) => {
  const c = spawnChild(file, args);
  children.push(c);
  return c;
};

beforeAll(async () => {
  bundle = await bundleApp();
  dir = mkdtempSync(join(tmpdir(), 'weir-audit-e2e-'));
  writeFileSync(join(dir, 'all.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n');
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundle, { force: true });
});

/** JSON with object keys sorted, so that field order does not matter. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
}
const identity = (e: { auditID: string; stage: string }) => `${e.auditID}/${e.stage}`;

async function waitForStore(dataDir: string, n: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stored = await readStore(dataDir).catch(() => []);
    if (stored.length >= n || Date.now() > until) return stored;
    await sleep(300);
  }
}

describe('k8s-audit example, end to end', () => {
  it('two forwarders, a token, a wrong token, bad lines, a kill -9 and a restart: every good line stored exactly once', async () => {
    const g = new AuditGenerator({ seed: 5, start: START, requestsPerSecond: 20 });
    const lines = Array.from({ length: 1600 }, () => JSON.stringify(g.next().event));
    const a = lines.filter((_, i) => i % 2 === 0);
    const b = lines.filter((_, i) => i % 2 === 1);
    const bad = ['not json at all', '{"kind":"Pod","apiVersion":"v1"}', '{"kind":"Event","apiVersion":"audit.k8s.io/v1"}'];
    writeFileSync(join(dir, 'a.log'), `${[...a.slice(0, 300), ...bad, ...a.slice(300)].join('\n')}\n`);
    writeFileSync(join(dir, 'b.log'), `${b.join('\n')}\n`);
    const port = await freePort();
    const dataDir = join(dir, 'forwarded');
    const args = ['--listen', String(port), '--token', 's3cret', '--data-dir', dataDir, '--policy', join(dir, 'all.yaml'), '--json'];

    let app = child(bundle, args);
    await app.waitFor((l) => l.startsWith('listening for forwarders on 127.0.0.1:'), 'err');
    const intruder = connect(port, '127.0.0.1');
    intruder.on('error', () => {});
    intruder.write('guess\n{"kind":"Event"}\n');
    await app.waitFor((l) => l.includes('"kind":"dead-letter"') && l.includes('connection refused: wrong token'));
    intruder.destroy();

    const fa = child(FORWARDER, [String(port), 's3cret', join(dir, 'a.log'), '10', '25']);
    const fb = child(FORWARDER, [String(port), 's3cret', join(dir, 'b.log'), '10', '25']);
    // Kill mid-stream, after some checkpoints have committed events to the store.
    await waitForStore(dataDir, 200, 20_000);
    await app.kill('SIGKILL');
    const beforeRestart = (await readStore(dataDir)).length;
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(lines.length);

    app = child(bundle, args);
    await app.waitFor((l) => l.startsWith('listening for forwarders'), 'err');
    await Promise.all([fa.waitFor((l) => l === 'sent-all'), fb.waitFor((l) => l === 'sent-all')]);
    const stored = await waitForStore(dataDir, lines.length, 30_000);
    await sleep(1500); // a later checkpoint must not add anything
    const final = await readStore(dataDir);

    expect(final.length).toBe(stored.length);
    // The store holds the parsed Event (the schema orders its fields): compare with sorted keys.
    const got = final.map(canonical);
    const sent = lines.map((l) => canonical(JSON.parse(l)));
    const want = new Set(sent);
    const have = new Set(got);
    const missing = sent.filter((l) => !have.has(l)).length;
    const extra = got.filter((l) => !want.has(l)).length;
    expect({ stored: got.length, distinct: have.size, missing, extra }).toEqual({ stored: lines.length, distinct: lines.length, missing: 0, extra: 0 });
    // the forwarders' second pass was recognised as repeated, and the bad lines reported
    const reports = app.out.map((l) => JSON.parse(l) as { kind: string; reason?: string });
    expect(reports.filter((r) => r.kind === 'duplicate').length).toBeGreaterThan(0);
    const reasons = reports.filter((r) => r.kind === 'dead-letter').map((r) => r.reason!);
    expect(reasons.filter((r) => r.startsWith('not JSON')).length).toBeGreaterThanOrEqual(1);
    expect(reasons.some((r) => r.startsWith('not an audit.k8s.io/v1 Event'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('invalid audit Event'))).toBe(true);
    await app.kill('SIGTERM');
  }, 120_000);

  it('generated input: killed with SIGKILL and started again, the store holds exactly the generator\'s events', async () => {
    const dataDir = join(dir, 'generated');
    const [duration, speed, rate] = [4, 60, 10];
    const args = ['--duration', String(duration), '--speed', String(speed), '--rate', String(rate), '--data-dir', dataDir, '--policy', join(dir, 'all.yaml'), '--json'];
    let app = child(bundle, args);
    await waitForStore(dataDir, 500, 20_000);
    await app.kill('SIGKILL');
    const partial = (await readStore(dataDir)).length;
    app = child(bundle, args);
    expect(await app.exited).toBe(0);

    const g = new AuditGenerator({ seed: 42, start: START, requestsPerSecond: rate });
    const expected: string[] = [];
    while (g.peekTimestamp() < START + duration * speed * 1000) expected.push(JSON.stringify(g.next().event));
    const stored = (await readStore(dataDir)).map((e) => JSON.stringify(e));
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.length);
    expect(new Set(stored.map((s) => identity(JSON.parse(s)))).size).toBe(stored.length);
    expect(stored.sort()).toEqual(expected.sort());
  }, 120_000);
});
