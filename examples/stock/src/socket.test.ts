/**
 * Socket input end to end: a TCP server on 127.0.0.1 sends good and malformed `SYMBOL,PRICE`
 * lines to the running application; good lines show up in the results, malformed ones in the
 * dead-letter output with their reasons, and the job runs to its end.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createStockJob } from './app.js';
import type { Sink } from '@weir/core';
import type { StockResult } from './results.js';
import { PARSE_STEP, parseStockLine } from './sources/socket-input.js';

let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A server that sends `lines` to its first client and then keeps the connection open. */
async function lineServer(lines: readonly string[]): Promise<number> {
  let first = true;
  server = createServer((socket) => {
    sockets.add(socket);
    if (first) socket.write(lines.map((l) => `${l}\n`).join(''));
    first = false;
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** Collects results with the market time at which each reached the sink. */
function recording(clock: { now(): number }) {
  const seen: Array<{ result: StockResult; at: number }> = [];
  const sink: Sink<StockResult> = { name: 'record', createWriter: () => ({ write: (result) => void seen.push({ result, at: clock.now() }) }) };
  return { seen, sink };
}

describe('socket input', () => {
  it('merges good lines into the results and sends malformed ones to the dead letters', async () => {
    const good = ['GOOG,1500.5', 'dax, 42.25', 'GOOG,1490'];
    const bad = ['SPX', 'DAX,abc', 'ACME,12.5,3', 'FTSE,-3', '', '1BAD,10'];
    const port = await lineServer([good[0]!, bad[0]!, bad[1]!, good[1]!, bad[2]!, bad[3]!, bad[4]!, good[2]!, bad[5]!]);
    const job = createStockJob({ seed: 5, marketMs: 40_000, rate: 40, time: 'event', socket: { host: '127.0.0.1', port } });
    const { seen, sink } = recording(job.clock!);
    job.results.sinkTo(sink);
    await job.env.execute('socket under test');
    const results = seen.map((s) => s.result);

    // Good lines: GOOG and DAX come only from the socket, so their statistics are the sent prices.
    const of = (kind: string, symbol: string) => results.filter((r) => r.kind === kind && 'symbol' in r && r.symbol === symbol).map((r) => (r as { price: number }).price);
    expect(of('max', 'GOOG').length).toBeGreaterThan(0);
    expect(new Set(of('max', 'GOOG'))).toEqual(new Set([1500.5]));
    expect(new Set(of('min', 'GOOG'))).toEqual(new Set([1490]));
    expect(new Set(of('mean', 'GOOG'))).toEqual(new Set([(1500.5 + 1490) / 2]));
    expect(new Set(of('max', 'DAX'))).toEqual(new Set([42.25]));

    // Malformed lines: each one exactly once, with the reason, from the parsing step.
    const letters = results.filter((r) => r.kind === 'dead-letter');
    expect(letters.map((d) => d.input).sort()).toEqual([...bad].sort());
    for (const d of letters) {
      expect(d.source).toBe(PARSE_STEP);
      expect(d.reason).toBe((parseStockLine(d.input) as { reason: string }).reason);
    }
    // The job went on to the end: the last 30 s window of the run has its correlation.
    expect(results.some((r) => r.kind === 'correlation' && r.start === job.start + 30_000)).toBe(true);
  });

  it('does not hold back event time while the socket is quiet', async () => {
    const port = await lineServer([]);
    const job = createStockJob({ seed: 5, marketMs: 40_000, rate: 40, time: 'event', socket: { host: '127.0.0.1', port } });
    const { seen, sink } = recording(job.clock!);
    job.results.sinkTo(sink);
    await job.env.execute('quiet socket under test');
    // The first 10 s window (ending 09:00:05) reached the sink while the market was still open.
    const first = seen.find((s) => s.result.kind === 'lowest');
    expect(first!.at).toBeLessThan(job.end - 20_000);
    expect(seen.filter((s) => s.result.kind === 'dead-letter')).toEqual([]);
  });
});

describe('parseStockLine', () => {
  it.each([
    ['SPX,1011.34', { ok: { symbol: 'SPX', price: 1011.34 } }],
    [' spx , 1e3 ', { ok: { symbol: 'SPX', price: 1000 } }],
    ['BRK.B,.5', { ok: { symbol: 'BRK.B', price: 0.5 } }],
    ['SPX', { reason: 'expected SYMBOL,PRICE (2 comma-separated fields), got 1 field' }],
    ['SPX,1,2', { reason: 'expected SYMBOL,PRICE (2 comma-separated fields), got 3 fields' }],
    ['SPX,', { reason: 'price is missing' }],
    ['SPX,0x10', { reason: "price '0x10' is not a decimal number" }],
    ['SPX,Infinity', { reason: "price 'Infinity' is not a decimal number" }],
    ['SPX,0', { reason: 'price 0 must be a positive finite number' }],
    ['SPX,1e999', { reason: 'price 1e999 must be a positive finite number' }],
    [',12', { reason: "symbol '' is not a ticker (a letter, then up to 15 letters, digits or dots)" }],
    ['   ', { reason: 'empty line (expected SYMBOL,PRICE)' }],
  ])('%j', (line, expected) => {
    expect(parseStockLine(line)).toEqual(expected);
  });
});
