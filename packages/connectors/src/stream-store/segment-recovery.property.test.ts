/**
 * Recovery of a segment, property-based: acknowledged appends, then a crash during one more
 * append (its bytes cut at a random point; the commit record as it was before that append), and
 * maybe one flipped byte in the committed prefix. Whatever the cut and the flip:
 *
 * - without a flip, the next writer recovers: readers get every acknowledged event, then only
 *   whole frames of the crashed append (in order, a prefix of it), never part of one; the torn
 *   rest is kept aside byte for byte;
 * - with a flip, the next writer is refused with the typed error at the frame holding the flipped
 *   byte, the file is left exactly as it was, and a reader that skips that one frame gets every
 *   other acknowledged event.
 *
 * The model is the file: a frame's extent is the segment's size before and after the write that
 * made it.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StreamManager, StreamStoreCorruptError } from '../index.js';
import { SegmentAppender } from './segment-appender.js';

const root = mkdtempSync(join(tmpdir(), 'weir-store-recovery-prop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => SegmentAppender.closeAll());
let n = 0;

interface FrameModel {
  readonly start: number;
  readonly end: number;
  readonly events: number[];
}

/** Writes each group of events in one tick (one frame); returns each frame's extent and events. */
async function writeGroups(m: StreamManager, scope: string, seg: string, groups: number[], first: number): Promise<FrameModel[]> {
  const w = await m.createWriter<number>(scope, 'events');
  const frames: FrameModel[] = [];
  let next = first;
  for (const size of groups) {
    const start = statSync(seg).size;
    const events = Array.from({ length: size }, () => next++);
    await Promise.all(events.map((e) => w.writeEvent('k', e)));
    frames.push({ start, end: statSync(seg).size, events });
  }
  await w.close();
  return frames;
}

/** Reads the whole stream, skipping corrupt frames; returns the values and the offsets reported. */
async function readSkipping(m: StreamManager, scope: string): Promise<{ values: number[]; corruptAt: number[] }> {
  const g = await m.createReaderGroup<number>(`check${++n}`, scope, 'events');
  const values: number[] = [];
  const corruptAt: number[] = [];
  for (;;) {
    try {
      const batch = await g.readNext(1000);
      if (batch.length === 0) break;
      values.push(...batch.map((e) => e.value));
    } catch (e) {
      if (!(e instanceof StreamStoreCorruptError)) throw e;
      corruptAt.push(e.offset);
      await g.skipCorruptFrame(e.segment);
    }
  }
  await g.close();
  return { values, corruptAt };
}

const groupsArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 });

describe('segment recovery (property)', () => {
  it('cuts only a torn tail, never committed frames; reports corruption in the committed prefix and keeps every other frame readable', async () => {
    await fc.assert(
      fc.asyncProperty(groupsArb, groupsArb, fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { nil: undefined }), async (acked, crashed, cutAt, flip) => {
        const m = new StreamManager(root);
        const scope = `p${++n}`;
        await m.createScope(scope);
        await m.createStream(scope, 'events', { scalingPolicy: { minSegments: 1 } });
        const dir = join(root, scope, 'events');
        const seg = join(dir, 'segment-0.log');
        const record = join(dir, 'segment-0.committed');

        const committed = await writeGroups(m, scope, seg, acked, 0);
        const ackedEvents = committed.flatMap((f) => f.events);
        // The crashed append: written, but the crash came before its commit record was synced.
        copyFileSync(record, `${record}.before`);
        const tail = await writeGroups(m, scope, seg, crashed, ackedEvents.length);
        await SegmentAppender.closeAll();
        copyFileSync(`${record}.before`, record);
        rmSync(`${record}.before`);
        const tailStart = tail[0]!.start;
        const cut = tailStart + Math.round(cutAt * (tail.at(-1)!.end - tailStart));
        truncateSync(seg, cut);
        const prefixEnd = committed.at(-1)!.end;
        let hit: FrameModel | undefined;
        if (flip !== undefined) {
          const bytes = readFileSync(seg);
          const at = Math.floor(flip[0] * prefixEnd);
          bytes[at]! ^= flip[1];
          writeFileSync(seg, bytes);
          hit = committed.find((f) => f.start <= at && at < f.end)!;
        }
        const before = readFileSync(seg);

        const w = await m.createWriter<number>(scope, 'events');
        const appended = await w.writeEvent('k', -1).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (hit !== undefined) {
          expect(appended).toBeInstanceOf(StreamStoreCorruptError);
          expect(appended).toMatchObject({ segment: 0, offset: hit.start });
          expect(readFileSync(seg).equals(before)).toBe(true); // nothing cut off, nothing appended
          expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toEqual([]);
          const { values, corruptAt } = await readSkipping(m, scope);
          expect(corruptAt).toEqual([hit.start]);
          expect(values).toEqual(ackedEvents.filter((e) => !hit.events.includes(e)));
          return;
        }
        expect(appended).toBeUndefined();
        const whole = tail.filter((f) => f.end <= cut);
        const goodEnd = whole.at(-1)?.end ?? tailStart;
        const { values, corruptAt } = await readSkipping(m, scope);
        expect(corruptAt).toEqual([]);
        expect(values).toEqual([...ackedEvents, ...whole.flatMap((f) => f.events), -1]);
        const tornFile = `${seg}.torn-${goodEnd}`;
        expect(existsSync(tornFile)).toBe(cut > goodEnd);
        if (cut > goodEnd) expect(readFileSync(tornFile).equals(before.subarray(goodEnd, cut))).toBe(true);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
