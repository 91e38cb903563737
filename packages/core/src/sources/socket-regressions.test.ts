import { describe, expect, it } from 'vitest';
import { SocketTextSource, StreamEnvironment } from '../index.js';
import { scriptedServer, sleep, writeChunks } from './tcp-peer.test-util.js';

describe('SocketTextSource regressions (found by the connector suite)', () => {
  it('multi-byte delimiter split across chunks is found', async () => {
    const srv = await scriptedServer(async (s) => { await writeChunks(s, ['a\r', '\nb\r\nc']); s.end(); });
    const env = StreamEnvironment.create();
    const out = env.fromSource(new SocketTextSource('127.0.0.1', srv.port, { delimiter: '\r\n' })).collect();
    await env.execute();
    await srv.close();
    expect(out.items()).toEqual(['a', 'b', 'c']);
  });
  it('no reconnect after the job is cancelled', async () => {
    const srv = await scriptedServer(async (s) => { s.end('x\n'); });
    const env = StreamEnvironment.create();
    env.fromSource(new SocketTextSource('127.0.0.1', srv.port, { reconnect: { maxRetries: 100, delayMs: 300 } })).collect();
    const ac = new AbortController();
    const run = env.execute({ signal: ac.signal }).catch(() => {});
    await sleep(150); // first connection served and closed; reconnect timer pending
    ac.abort();
    await run;
    const before = srv.accepted;
    await sleep(600);
    const after = srv.accepted;
    await srv.close();
    expect(after).toBe(before);
  });
});
