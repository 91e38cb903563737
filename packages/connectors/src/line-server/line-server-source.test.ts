/**
 * LineServerSource with real TCP (and TLS) clients on 127.0.0.1. Expected outputs are the lines
 * the clients sent, written out or generated independently of the source.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { ConfigError, DEAD_LETTERS, type DeadLetter, StreamEnvironment } from '@weir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ForwardedLine, LineServerSource, type LineServerSourceOptions } from '../index.js';
import { connect, sleep, writeChunks } from '../test-support/tcp.js';

interface Run {
  source: LineServerSource;
  port: number;
  done: Promise<{ lines: ForwardedLine[]; dead: DeadLetter[] }>;
}

async function startServer(options: LineServerSourceOptions): Promise<Run> {
  const source = new LineServerSource(0, options);
  const env = StreamEnvironment.create();
  const stream = env.fromSource(source);
  const lines = stream.collect();
  const dead = stream.getSideOutput(DEAD_LETTERS).collect();
  const done = env.execute('line server test').then(() => ({ lines: lines.items(), dead: dead.items() }));
  const { port } = await source.listening();
  return { source, port, done };
}

const byConnection = (lines: ForwardedLine[]) => {
  const m = new Map<number, string[]>();
  for (const l of lines) m.set(l.connectionId, [...(m.get(l.connectionId) ?? []), l.line]);
  return m;
};

describe('LineServerSource', () => {
  it('serves many forwarders at once, one element per line with its connection, order kept per connection', async () => {
    const clients = 6;
    const perClient = 300;
    const run = await startServer({ endAfterConnections: clients });
    expect((await run.source.listening()).host).toBe('127.0.0.1');
    const sent = new Map<string, string[]>();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        const s = await connect(run.port);
        const lines = Array.from({ length: perClient }, (_, i) => `client ${c} line ${i} ${'é'.repeat(i % 5)}`);
        sent.set(`127.0.0.1:${s.localPort}`, lines);
        // odd chunk boundaries so lines straddle writes
        const payload = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
        const chunks: Buffer[] = [];
        for (let i = 0; i < payload.length; i += 997) chunks.push(payload.subarray(i, i + 997));
        await writeChunks(s, chunks, 1);
        s.end();
      }),
    );
    const { lines, dead } = await run.done;
    expect(dead).toEqual([]);
    expect(lines).toHaveLength(clients * perClient);
    const groups = byConnection(lines);
    expect(groups.size).toBe(clients);
    for (const [id, got] of groups) {
      const remote = lines.find((l) => l.connectionId === id)!.remote;
      expect(got).toEqual(sent.get(remote));
    }
    expect(run.source.stats()).toMatchObject({ accepted: clients, refused: 0, open: 0, lines: clients * perClient, deadLetters: 0 });
  });

  it('handles CRLF, empty lines, oversized lines and invalid UTF-8 without losing the neighbours', async () => {
    const run = await startServer({ endAfterConnections: 1, maxLineBytes: 20 });
    const s = await connect(run.port);
    await writeChunks(s, ['one\r\n\r\n', `${'y'.repeat(15)}`, `${'y'.repeat(15)}\r\ntwo\n`, Buffer.from([0xc3, 0x28, 0x0a]), 'three\n']);
    s.end();
    const { lines, dead } = await run.done;
    expect(lines.map((l) => l.line)).toEqual(['one', '', 'two', 'three']);
    expect(dead.map((d) => d.reason)).toEqual(['line longer than 20 bytes', 'invalid UTF-8']);
    expect(dead[0]!.input).toMatchObject({ remote: `127.0.0.1:${s.localPort}`, preview: `${'y'.repeat(30)}\r` }); // the raw bytes before the \n
  });

  it('reports a fragment left by a forwarder that disconnects mid-line (or emits it when asked)', async () => {
    for (const mode of ['dead-letter', 'emit'] as const) {
      const run = await startServer({ endAfterConnections: 1, unterminatedLastLine: mode });
      const s = await connect(run.port);
      await writeChunks(s, ['whole\nhalf a li', 'ne']);
      s.destroy();
      const { lines, dead } = await run.done;
      if (mode === 'dead-letter') {
        expect(lines.map((l) => l.line)).toEqual(['whole']);
        expect(dead).toHaveLength(1);
        expect(dead[0]!.reason).toBe('connection closed mid-line: 11 bytes after the last line end');
        expect(dead[0]!.input).toMatchObject({ preview: 'half a line' });
      } else {
        expect(lines.map((l) => l.line)).toEqual(['whole', 'half a line']);
        expect(dead).toEqual([]);
      }
    }
  });

  it('requires the shared token as first line; wrong, missing and late tokens are refused, counted and reported', async () => {
    const run = await startServer({ endAfterConnections: 4, token: 's3cret', tokenTimeoutMs: 200 });
    const good = await connect(run.port);
    await writeChunks(good, ['s3cret\n', 'hello\n']);
    good.end();
    const bad = await connect(run.port);
    bad.on('error', () => {});
    bad.write('guess\nshould not pass\n');
    const silent = await connect(run.port); // sends nothing: refused after tokenTimeoutMs
    const quitter = await connect(run.port);
    quitter.end(); // closes without a token
    await sleep(300);
    bad.destroy();
    silent.destroy();
    const { lines, dead } = await run.done;
    expect(lines.map((l) => l.line)).toEqual(['hello']);
    expect(dead.map((d) => d.reason).sort()).toEqual(
      ['connection refused: closed before sending the token', 'connection refused: no token within 200 ms', 'connection refused: wrong token'].sort(),
    );
    const st = run.source.stats();
    expect(st.refused).toBe(3);
    expect(st.refusedByReason).toEqual({ 'wrong token': 1, 'no token within 200 ms': 1, 'closed before sending the token': 1 });
  });

  it('caps the token line at 1 KiB: a longer one is refused (and counted) as soon as it is over, not buffered until its end', async () => {
    // tokenTimeoutMs is the default 10 s: only the cap can close these connections in time
    const run = await startServer({ endAfterConnections: 4, token: 's3cret' });
    const closedByServer = async (payload: string) => {
      const s = await connect(run.port);
      s.on('error', () => {});
      const closed = new Promise<void>((r) => s.once('close', () => r()));
      s.write(payload);
      await closed;
    };
    await closedByServer('x'.repeat(2048)); // a 2 KiB "token", no newline
    await closedByServer(`${'y'.repeat(1025)}\n`); // one byte over, newline after it
    await closedByServer(`${'z'.repeat(1024)}\n`); // at the cap: read, compared, wrong
    const good = await connect(run.port);
    await writeChunks(good, ['s3cret\r\n', 'after\n']);
    good.end();
    const { lines, dead } = await run.done;
    expect(lines.map((l) => l.line)).toEqual(['after']);
    expect(dead.map((d) => d.reason)).toEqual([
      'connection refused: token line longer than 1024 bytes',
      'connection refused: token line longer than 1024 bytes',
      'connection refused: wrong token',
    ]);
    expect(run.source.stats()).toMatchObject({ accepted: 4, refused: 3, refusedByReason: { 'token line longer than 1024 bytes': 2, 'wrong token': 1 } });
  });

  it('bounds the bytes buffered across connections: reading pauses at maxBufferedBytes and nothing is dropped', async () => {
    const clients = 40;
    const linesPerClient = 4;
    const lineBytes = 30 * 1024;
    const maxBufferedBytes = 256 * 1024;
    const maxLineBytes = 32 * 1024;
    // Past the bound the server holds at most what it already read (two socket reads of 64 KiB)
    // and one more line, let through to finish while partial lines alone fill the buffer.
    const ceiling = maxBufferedBytes + maxLineBytes + 2 * 64 * 1024;
    const run = await startServer({ endAfterConnections: clients, maxBufferedBytes, maxLineBytes });
    const sockets = await Promise.all(Array.from({ length: clients }, () => connect(run.port)));
    const lineOf = (c: number, i: number) => `${c}:${i}:`.padEnd(lineBytes, String.fromCharCode(97 + ((c + i) % 26)));
    // 1. Every client sends its first line without the newline: 1.2 MB of partial lines, 4.7 times the bound.
    for (const [c, s] of sockets.entries()) s.write(lineOf(c, 0));
    for (let i = 0; i < 500 && !(run.source.stats().bufferedBytes >= maxBufferedBytes); i++) await sleep(10);
    const held = run.source.stats().bufferedBytes;
    expect(held).toBeGreaterThanOrEqual(maxBufferedBytes); // the bound was reached...
    expect(held).toBeLessThanOrEqual(ceiling); // ...and reading paused there (not 1.2 MB read)
    // 2. The newlines and the other lines: the paused connections get through one line at a time.
    for (const [c, s] of sockets.entries()) {
      const rest = Array.from({ length: linesPerClient - 1 }, (_, i) => lineOf(c, i + 1));
      s.end(`\n${rest.join('\n')}\n`);
    }
    const { lines, dead } = await run.done;
    expect(dead).toEqual([]);
    expect(lines).toHaveLength(clients * linesPerClient);
    for (const [, got] of byConnection(lines)) {
      const c = Number(got[0]!.split(':')[0]);
      expect(got).toEqual(Array.from({ length: linesPerClient }, (_, i) => lineOf(c, i)));
    }
    const st = run.source.stats();
    expect(st.peakBufferedBytes).toBeGreaterThanOrEqual(maxBufferedBytes);
    expect(st.peakBufferedBytes).toBeLessThanOrEqual(ceiling);
    expect(st.bufferedBytes).toBe(0);
  });

  it('refuses connections over maxConnections, counts them and reports each one', async () => {
    const run = await startServer({ endAfterConnections: 4, maxConnections: 2 });
    const a = await connect(run.port);
    const b = await connect(run.port);
    await writeChunks(a, ['from a\n']);
    const c = await connect(run.port);
    const d = await connect(run.port);
    const closed = (s: typeof c) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
    await Promise.all([closed(c), closed(d)]); // the server closed both
    await writeChunks(b, ['from b\n']);
    a.end();
    b.end();
    const { lines, dead } = await run.done;
    expect(lines.map((l) => l.line).sort()).toEqual(['from a', 'from b']);
    expect(dead.map((x) => x.reason)).toEqual([
      'connection refused: too many connections (maxConnections 2)',
      'connection refused: too many connections (maxConnections 2)',
    ]);
    expect(run.source.stats()).toMatchObject({ accepted: 4, refused: 2 });
  });

  it('rejects bad configuration with a ConfigError', () => {
    expect(() => new LineServerSource(70000)).toThrow(ConfigError);
    expect(() => new LineServerSource(0, { maxConnections: 0 })).toThrow(ConfigError);
    expect(() => new LineServerSource(0, { token: '' })).toThrow(ConfigError);
    expect(() => new LineServerSource(0, { token: 't'.repeat(1024) })).toThrow(/token.*1023 bytes/); // its line must fit the 1 KiB cap
    expect(() => new LineServerSource(0, { maxBufferedBytes: 0 })).toThrow(ConfigError);
  });

  describe('with TLS', () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'weir-tls-'));
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], { stdio: 'ignore' });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('serves TLS forwarders and refuses (and reports) a plain-text client', async () => {
      const run = await startServer({ endAfterConnections: 2, token: 'tok', tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
      const secure = tlsConnect({ host: '127.0.0.1', port: run.port, ca: readFileSync(join(dir, 'cert.pem')) });
      await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
      expect(secure.authorized).toBe(true);
      secure.end('tok\nencrypted 1\nencrypted 2\n');
      const plain = await connect(run.port);
      plain.on('error', () => {});
      plain.write('tok\nplain text\n');
      const { lines, dead } = await run.done;
      expect(lines.map((l) => l.line)).toEqual(['encrypted 1', 'encrypted 2']);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.reason).toMatch(/^connection refused: TLS handshake failed/);
      expect(run.source.stats().refused).toBe(1);
    });
  });
});
