/**
 * Recovery of a segment after a crash or damage (issue #14): a bad frame in the committed prefix
 * is corruption — reported with segment and offset, never cut off — while a torn tail (an append
 * a crash cut short, past the committed length) is cut off by the next writer and is invisible to
 * readers, bounded or live. The model of each test is the file itself: a frame's offset is the
 * segment's size before the write that produced it.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamEnvironment } from '@weir/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EventRead, type ReaderGroup, StreamManager, StreamStoreSource } from '../index.js';
import { SegmentAppender } from './segment-appender.js';

const root = mkdtempSync(join(tmpdir(), 'weir-store-recovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => SegmentAppender.closeAll());
let n = 0;
async function fresh(): Promise<{ m: StreamManager; scope: string; seg: string }> {
  const m = new StreamManager(root);
  const scope = `r${++n}`;
  await m.createScope(scope);
  await m.createStream(scope, 'events', { scalingPolicy: { minSegments: 1 } });
  return { m, scope, seg: join(root, scope, 'events', 'segment-0.log') };
}

/** Writes `count` events one at a time (one frame each); returns each frame's offset. */
async function writeFrames(m: StreamManager, scope: string, seg: string, from: number, count: number): Promise<number[]> {
  const w = await m.createWriter<number>(scope, 'events');
  const offsets: number[] = [];
  for (let i = from; i < from + count; i++) {
    offsets.push(statSync(seg).size);
    await w.writeEvent('k', i);
  }
  await w.close();
  return offsets;
}

async function drain(g: ReaderGroup<number>): Promise<number[]> {
  const out: EventRead<number>[] = [];
  for (let b = await g.readNext(1000); b.length > 0; b = await g.readNext(1000)) out.push(...b);
  return out.map((e) => e.value);
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a corrupt frame in the middle of a segment', () => {
  it('is reported to the next writer (typed, with segment and offset), nothing is cut off, and every later frame stays readable', async () => {
    const { m, scope, seg } = await fresh();
    const offsets = await writeFrames(m, scope, seg, 0, 110);
    const bytes = readFileSync(seg);
    const bad = offsets[10]!;
    bytes[bad + Math.floor((offsets[11]! - bad) / 2)]! ^= 0x5a; // one byte inside frame 10
    writeFileSync(seg, bytes);
    await SegmentAppender.closeAll(); // a new process

    const w = await m.createWriter<number>(scope, 'events');
    const refused = await w.writeEvent('k', 999).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ name: 'StreamStoreCorruptError', code: 'STREAM_STORE_CORRUPT', segment: 0, offset: bad });
    expect((refused as Error).message).toMatch(new RegExp(`segment-0\\.log is corrupt at offset ${bad}`));
    expect(readFileSync(seg).equals(bytes)).toBe(true); // not truncated, not appended to
    expect(readdirSync(join(root, scope, 'events')).filter((f) => f.includes('.torn-'))).toEqual([]);

    const g = await m.createReaderGroup<number>('g', scope, 'events');
    expect(await g.readNext(1000).then((b) => b.map((e) => e.value))).toEqual(range(0, 10));
    await expect(g.readNext(1000)).rejects.toMatchObject({ name: 'StreamStoreCorruptError', segment: 0, offset: bad });
    expect(g.positions()[0]).toEqual([bad, 0]); // the group stays at the bad frame until told to skip it
    expect(await g.skipCorruptFrame(0)).toEqual({ offset: bad, nextOffset: offsets[11] });
    expect(await drain(g)).toEqual(range(11, 110)); // the 99 committed events after it
    expect(g.positions()[0]).toEqual([statSync(seg).size, 0]);
    await g.close();
  });

  it('fails a StreamStoreSource with the typed error, or dead-letters the frame and reads on when asked to', async () => {
    const { scope, seg, m } = await fresh();
    const offsets = await writeFrames(m, scope, seg, 0, 30);
    const bytes = readFileSync(seg);
    bytes[offsets[5]! + 3]! ^= 0x01; // inside frame 5's header
    writeFileSync(seg, bytes);

    const strict = StreamEnvironment.create();
    strict.fromSource(new StreamStoreSource<number>({ root, scope, stream: 'events', bounded: true })).collect();
    const failure = await strict.execute().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failure?.cause).toMatchObject({ name: 'StreamStoreCorruptError', offset: offsets[5] });

    const lenient = StreamEnvironment.create();
    const s = lenient.fromSource(new StreamStoreSource<number>({ root, scope, stream: 'events', bounded: true, onCorruptFrame: 'dead-letter' }));
    const out = s.collect();
    const dead = s.getSideOutput((await import('@weir/core')).DEAD_LETTERS).collect();
    await lenient.execute();
    expect(out.items()).toEqual([...range(0, 5), ...range(6, 30)]);
    expect(dead.items()).toHaveLength(1);
    expect(dead.items()[0]!.reason).toMatch(new RegExp(`segment-0\\.log is corrupt at offset ${offsets[5]}.*skipped ${offsets[6]! - offsets[5]!} bytes`));
    expect(dead.items()[0]!.position).toEqual({ segment: 0, offset: offsets[5], after: [offsets[6], 0] });
  });
});

describe('a torn last frame (an append cut short by a crash)', () => {
  const torn = Buffer.from([0x57, 0x53, 0x46, 0x32, 200, 0, 0, 0, 1, 2, 3]); // a frame start promising 200 bytes, then the crash

  it('does not keep a bounded StreamStoreSource from ending: it ends at the last complete frame', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 20);
    appendFileSync(seg, torn);
    const env = StreamEnvironment.create();
    const out = env.fromSource(new StreamStoreSource<number>({ root, scope, stream: 'events', bounded: true })).collect();
    await env.execute();
    expect(out.items()).toEqual(range(0, 20));
  }, 15_000);

  it('whole in length but with a bad checksum, is not reported as corruption by a bounded source (it was never committed)', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 5);
    const copy = readFileSync(seg);
    const last = copy.subarray(copy.length - (copy.length / 5), copy.length); // a whole frame's length of bytes...
    const garbage = Buffer.from(last);
    garbage[garbage.length - 1]! ^= 0xff; // ...whose last sector never reached the disk
    appendFileSync(seg, garbage);
    const env = StreamEnvironment.create();
    const out = env.fromSource(new StreamStoreSource<number>({ root, scope, stream: 'events', bounded: true })).collect();
    await env.execute();
    expect(out.items()).toEqual(range(0, 5));
  }, 15_000);

  it('is never delivered to a live reader that saw its bytes; after the next writer repairs the segment the reader gets exactly the new events', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 3);
    const g = await m.createReaderGroup<number>('live', scope, 'events');
    expect(await drain(g)).toEqual([0, 1, 2]);
    appendFileSync(seg, torn);
    expect(await g.readNext(10)).toEqual([]); // the reader has looked at the torn bytes
    await SegmentAppender.closeAll(); // the crashed writer's successor
    await writeFrames(m, scope, seg, 3, 4);
    expect(readdirSync(join(root, scope, 'events')).filter((f) => f.startsWith('segment-0.log.torn-'))).toHaveLength(1); // kept aside
    expect(await drain(g)).toEqual([3, 4, 5, 6]);
    await g.close();
  });

  it('is never delivered to a live reader even when the torn bytes form a whole frame with a bad checksum', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 2);
    const g = await m.createReaderGroup<number>('live', scope, 'events');
    expect(await drain(g)).toEqual([0, 1]);
    const copy = readFileSync(seg);
    const frame = Buffer.from(copy.subarray(copy.length / 2));
    frame[frame.length - 1]! ^= 0xff;
    appendFileSync(seg, frame);
    expect(await g.readNext(10)).toEqual([]); // not "corrupt": it was never committed
    await SegmentAppender.closeAll();
    await writeFrames(m, scope, seg, 2, 3);
    expect(await drain(g)).toEqual([2, 3, 4]);
    await g.close();
  });
});

describe('the commit record', () => {
  it('survives a torn write of its newest slot: the previous slot counts, and the synced frame past it is kept', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 3); // generations 1, 2, 3: the third is in the slot at byte 4096
    const record = join(root, scope, 'events', 'segment-0.committed');
    const bytes = readFileSync(record);
    bytes[4096 + 13]! ^= 0xff; // a crash tore the write of generation 3
    writeFileSync(record, bytes);
    await SegmentAppender.closeAll();
    await writeFrames(m, scope, seg, 3, 1);
    const g = await m.createReaderGroup<number>('after', scope, 'events');
    expect(await drain(g)).toEqual([0, 1, 2, 3]);
    await g.close();
  });

  it('with both slots damaged, is reported (typed) to writers and readers; the segment is left alone', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 2);
    const record = join(root, scope, 'events', 'segment-0.committed');
    const bytes = readFileSync(record);
    bytes[5]! ^= 0xff;
    bytes[4096 + 5]! ^= 0xff;
    writeFileSync(record, bytes);
    await SegmentAppender.closeAll();
    const before = readFileSync(seg);
    const w = await m.createWriter<number>(scope, 'events');
    await expect(w.writeEvent('k', 9)).rejects.toMatchObject({ name: 'StreamStoreCorruptError', segment: 0, reason: expect.stringMatching(/commit record .* is unreadable/) });
    const g = await m.createReaderGroup<number>('g', scope, 'events');
    await expect(g.readNext()).rejects.toMatchObject({ name: 'StreamStoreCorruptError', segment: 0 });
    await g.close();
    expect(readFileSync(seg).equals(before)).toBe(true);
  });

  it('missing beside a segment that has data (format 1, or lost) is refused rather than guessed: nothing is cut off', async () => {
    const { m, scope, seg } = await fresh();
    await writeFrames(m, scope, seg, 0, 2);
    await SegmentAppender.closeAll();
    rmSync(join(root, scope, 'events', 'segment-0.committed'));
    const before = readFileSync(seg);
    const w = await m.createWriter<number>(scope, 'events');
    await expect(w.writeEvent('k', 9)).rejects.toMatchObject({ name: 'StreamStoreCorruptError', offset: 0, reason: expect.stringMatching(/no commit record/) });
    const env = StreamEnvironment.create();
    env.fromSource(new StreamStoreSource<number>({ root, scope, stream: 'events', bounded: true })).collect();
    await expect(env.execute()).rejects.toMatchObject({ cause: { name: 'StreamStoreCorruptError' } });
    expect(readFileSync(seg).equals(before)).toBe(true);
  });
});
