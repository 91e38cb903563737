/**
 * SocketTextSource against real TCP servers on 127.0.0.1: chunking, CRLF, empty lines, oversized
 * lines, invalid UTF-8, a peer closing mid-line, reconnects and refused connections. Expected
 * values are written out by hand from the bytes the server sends (and Flink's
 * SocketTextStreamFunction, which also emits a trailing unterminated line when the peer closes).
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEAD_LETTERS, SocketTextSource, SourceError, StreamEnvironment } from '../index.js';
import { freePort, scriptedServer, writeChunks } from './tcp-peer.test-util.js';

async function run(port: number, options: ConstructorParameters<typeof SocketTextSource>[2] = {}) {
  const env = StreamEnvironment.create();
  const lines = env.fromSource(new SocketTextSource('127.0.0.1', port, options));
  const out = lines.collect();
  const dead = lines.getSideOutput(DEAD_LETTERS).collect();
  await env.execute('socket test');
  return { lines: out.items(), dead: dead.items() };
}

describe('SocketTextSource', () => {
  it('reassembles lines split across TCP chunks, including a multi-byte character split in two', async () => {
    const euro = Buffer.from('€', 'utf8'); // e2 82 ac
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, ['hel', 'lo\nwor', 'ld\nprice ', euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('5\n')])]);
      s.end();
    });
    try {
      const { lines, dead } = await run(srv.port);
      expect(lines).toEqual(['hello', 'world', 'price €5']);
      expect(dead).toEqual([]);
    } finally {
      await srv.close();
    }
  });

  it('strips CR of CRLF line ends and keeps empty lines as empty strings', async () => {
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, ['a\r\n\r\nb\r', '\nc\n\n']);
      s.end();
    });
    try {
      const { lines, dead } = await run(srv.port);
      expect(lines).toEqual(['a', '', 'b', 'c', '']);
      expect(dead).toEqual([]);
    } finally {
      await srv.close();
    }
  });

  it('sends a line over maxLineBytes to the dead letters with the reason and goes on with the next line', async () => {
    const long = 'x'.repeat(100);
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, ['ok1\n', long.slice(0, 60), `${long.slice(60)}\nok2\n`]);
      s.end();
    });
    try {
      const { lines, dead } = await run(srv.port, { maxLineBytes: 50 });
      expect(lines).toEqual(['ok1', 'ok2']);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.reason).toBe('line longer than 50 bytes');
      expect(String(dead[0]!.input)).toMatch(/^x+$/);
    } finally {
      await srv.close();
    }
  });

  it('sends invalid UTF-8 to the dead letters instead of mangling it', async () => {
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, [Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]), 'fine\n']);
      s.end();
    });
    try {
      const { lines, dead } = await run(srv.port);
      expect(lines).toEqual(['fine']);
      expect(dead.map((d) => d.reason)).toEqual(['invalid UTF-8']);
    } finally {
      await srv.close();
    }
  });

  it('emits the unterminated last line when the peer disconnects mid-line, as Flink does', async () => {
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, ['first\nsec', 'ond-without-newline']);
      s.destroy();
    });
    try {
      const { lines } = await run(srv.port);
      expect(lines).toEqual(['first', 'second-without-newline']);
    } finally {
      await srv.close();
    }
  });

  it('reconnects after the peer closes and ends once reconnecting is refused', async () => {
    let port = 0;
    const srv = await scriptedServer(async (s, i) => {
      await writeChunks(s, [`conn${i}-a\n`, `conn${i}-b\n`]);
      if (i === 1) srv.server.close(); // the third attempt is refused
      s.end();
    });
    port = srv.port;
    try {
      const { lines } = await run(port, { reconnect: { maxRetries: 1, delayMs: 20 } });
      expect(lines).toEqual(['conn0-a', 'conn0-b', 'conn1-a', 'conn1-b']);
      expect(srv.accepted).toBe(2);
    } finally {
      await srv.close();
    }
  });

  it('retries a refused first connection under a reconnect policy until the server is up', async () => {
    const port = await freePort();
    // Serves one connection, then stops listening: later reconnects are refused until retries run out.
    const server = createServer((s) => {
      s.end('late server\n');
      server.close();
    });
    setTimeout(() => server.listen(port, '127.0.0.1'), 150);
    try {
      const { lines } = await run(port, { reconnect: { maxRetries: 20, delayMs: 30 } });
      expect(lines).toEqual(['late server']);
    } finally {
      if (server.listening) server.close();
    }
  }, 15_000);

  it('fails the job with a SourceError naming host and port when nothing listens and no reconnect is set', async () => {
    const port = await freePort();
    const env = StreamEnvironment.create();
    env.fromSource(new SocketTextSource('127.0.0.1', port)).collect();
    const err = await env.execute().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toContain(`cannot connect to 127.0.0.1:${port}`);
  });

  it('env.socketTextStream reads the same lines with a custom single-byte delimiter', async () => {
    const srv = await scriptedServer(async (s) => {
      await writeChunks(s, ['a;b', ';c;']);
      s.end();
    });
    try {
      const env = StreamEnvironment.create();
      const out = env.socketTextStream('127.0.0.1', srv.port, ';').collect();
      await env.execute();
      expect(out.items()).toEqual(['a', 'b', 'c']);
    } finally {
      await srv.close();
    }
  });

  it('refuses an empty delimiter and a maxLineBytes below 1 with a ConfigError when it is built, not when it runs', () => {
    expect(() => new SocketTextSource('127.0.0.1', 9, { delimiter: '' })).toThrow(ConfigError);
    expect(() => new SocketTextSource('127.0.0.1', 9, { maxLineBytes: 0 })).toThrow(ConfigError);
    expect(() => StreamEnvironment.create().socketTextStream('127.0.0.1', 9, '')).toThrow(ConfigError);
  });
});
