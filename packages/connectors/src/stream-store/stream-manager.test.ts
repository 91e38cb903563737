/**
 * The stream store's manager, writer and reader groups on a real directory: per-key order and
 * segment choice (property-based), durability across a simulated torn write, corruption
 * reporting, committed reader-group positions.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, keyGroupOf, SerializationError } from '@weir/core';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EventRead, StreamManager, StreamStoreCorruptError } from '../index.js';
import { SegmentAppender } from './segment-appender.js';

const root = mkdtempSync(join(tmpdir(), 'weir-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => SegmentAppender.closeAll());
let n = 0;
const fresh = async (segments: number) => {
  const m = new StreamManager(root);
  const scope = `s${++n}`;
  await m.createScope(scope);
  await m.createStream(scope, 'events', { scalingPolicy: { minSegments: segments } });
  return { m, scope };
};
async function readAll<T>(m: StreamManager, scope: string, group = 'all'): Promise<EventRead<T>[]> {
  const g = await m.createReaderGroup<T>(group, scope, 'events');
  const out: EventRead<T>[] = [];
  for (;;) {
    const batch = await g.readNext(1000);
    if (batch.length === 0) break;
    out.push(...batch);
  }
  await g.close();
  return out;
}

describe('StreamManager', () => {
  it('creates scopes and streams once, and refuses to change a stream’s segment count', async () => {
    const m = new StreamManager(root);
    expect(await m.createScope('shop')).toBe(true);
    expect(await m.createScope('shop')).toBe(false);
    expect(await m.createStream('shop', 'orders', { scalingPolicy: { minSegments: 3 } })).toBe(true);
    expect(await m.createStream('shop', 'orders', { scalingPolicy: { minSegments: 3 } })).toBe(false);
    await expect(m.createStream('shop', 'orders', { scalingPolicy: { minSegments: 4 } })).rejects.toThrow(ConfigError);
    await expect(m.createStream('nowhere', 'x')).rejects.toThrow(/createScope\('nowhere'\)/);
    await expect(m.createStream('shop', 'bad', { scalingPolicy: { minSegments: 0 } })).rejects.toThrow(ConfigError);
    await expect(m.createScope('../escape')).rejects.toThrow(ConfigError);
    expect((await m.getStreamConfig('shop', 'orders')).segments).toBe(3);
    expect(await m.listStreams('shop')).toEqual(['orders']);
    expect(readdirSync(join(root, 'shop', 'orders')).filter((f) => f.startsWith('segment-')).sort()).toEqual([
      'segment-0.committed', 'segment-0.log', 'segment-1.committed', 'segment-1.log', 'segment-2.committed', 'segment-2.log',
    ]);
    await expect(m.createWriter('shop', 'missing')).rejects.toThrow(/does not exist/);
  });

  it('keeps per-key order and puts each key in the segment its hash names (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 120 }), fc.integer({ min: 1, max: 5 }), async (keys, segments) => {
        const { m, scope } = await fresh(segments);
        const w = await m.createWriter<{ key: string; seq: number }>(scope, 'events');
        const writes = keys.map((key, seq) => w.writeEvent(key, { key, seq }, 1000 + seq));
        await Promise.all(writes);
        const read = await readAll<{ key: string; seq: number }>(m, scope);
        expect(read).toHaveLength(keys.length);
        for (const r of read) {
          expect(r.segment).toBe(keyGroupOf(r.value.key, segments));
          expect(r.routingKey).toBe(r.value.key);
          expect(r.timestamp).toBe(1000 + r.value.seq);
        }
        for (const k of new Set(keys)) {
          const model = keys.flatMap((key, seq) => (key === k ? [seq] : []));
          expect(read.filter((r) => r.value.key === k).map((r) => r.value.seq)).toEqual(model);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('after a torn append, readers wait at the torn frame and the next writer cuts it off (kept aside)', async () => {
    const { m, scope } = await fresh(1);
    const w = await m.createWriter<number>(scope, 'events');
    await Promise.all([1, 2, 3].map((i) => w.writeEvent('k', i)));
    const seg = join(root, scope, 'events', 'segment-0.log');
    const good = readFileSync(seg).length;
    appendFileSync(seg, Buffer.from([200, 0, 0, 0, 1, 2, 3])); // a frame header promising 200 bytes, then the crash
    expect((await readAll<number>(m, scope)).map((e) => e.value)).toEqual([1, 2, 3]); // the partial frame is not an error
    await SegmentAppender.closeAll(); // a new process
    const w2 = await m.createWriter<number>(scope, 'events');
    await w2.writeEvent('k', 4);
    expect((await readAll<number>(m, scope, 'again')).map((e) => e.value)).toEqual([1, 2, 3, 4]);
    expect(existsSync(`${seg}.torn-${good}`)).toBe(true);
  });

  it('reports a corrupt frame with the segment and offset instead of skipping it', async () => {
    const { m, scope } = await fresh(1);
    const w = await m.createWriter<string>(scope, 'events');
    await w.writeEvent('k', 'first');
    await w.writeEvent('k', 'second');
    const seg = join(root, scope, 'events', 'segment-0.log');
    const bytes = readFileSync(seg);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0xff; // flip bits in the second frame's payload
    writeFileSync(seg, bytes);
    const g = await m.createReaderGroup<string>('g', scope, 'events');
    expect((await g.readNext(10)).map((e) => e.value)).toEqual(['first']); // what comes before the bad frame
    await expect(g.readNext(10)).rejects.toThrow(/segment-0\.log is corrupt at offset \d+/);
    await expect(g.readNext(10)).rejects.toBeInstanceOf(StreamStoreCorruptError); // again: it stays there until skipped
    await g.close();
  });

  it('reader groups resume from committed positions; undecodable events raise a SerializationError and are skipped on retry', async () => {
    const { m, scope } = await fresh(2);
    const w = await m.createWriter<string>(scope, 'events', { serialize: (s) => Buffer.from(s), deserialize: (b) => {
      const s = b.toString();
      if (s === 'poison') throw new Error('no poison');
      return s;
    } });
    for (const v of ['a', 'b', 'c']) await w.writeEvent('x', v);
    const g1 = await m.createReaderGroup<string>('billing', scope, 'events', { serializer: { serialize: (s) => Buffer.from(s), deserialize: (b) => b.toString() } });
    expect((await g1.readNext(2)).map((e) => e.value)).toEqual(['a', 'b']);
    await g1.commitPositions();
    await g1.close();
    await w.writeEvent('x', 'poison');
    await w.writeEvent('x', 'd');
    const strict = { serialize: (s: string) => Buffer.from(s), deserialize: (b: Buffer) => {
      if (b.toString() === 'poison') throw new Error('no poison');
      return b.toString();
    } };
    const g2 = await m.createReaderGroup<string>('billing', scope, 'events', { serializer: strict });
    expect((await g2.readNext(1)).map((e) => e.value)).toEqual(['c']);
    await expect(g2.readNext(5)).rejects.toThrow(SerializationError);
    expect((await g2.readNext(5)).map((e) => e.value)).toEqual(['d']);
    await g2.close();
  });
});
