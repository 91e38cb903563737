import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_LETTERS, type DeadLetter, SourceError, StreamEnvironment } from '@weir/core';
import { FileSource } from '../index.js';
import { FileLinesReader, type FileLinesReaderOptions } from './file-lines-reader.js';
import { pump, readerContext, Recorder } from './reader-harness.test-util.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-file-source-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const opts = (o: Partial<FileLinesReaderOptions> = {}): FileLinesReaderOptions => ({ follow: false, pollIntervalMs: 20, maxLineBytes: 1 << 20, chunkBytes: 64 << 10, ...o });

async function readAll(path: string, o: Partial<FileLinesReaderOptions> = {}, position?: unknown): Promise<Recorder> {
  const reader = new FileLinesReader(path, opts(o), readerContext());
  if (position !== undefined) reader.restorePosition(position);
  const rec = new Recorder(reader);
  await reader.start();
  await pump(reader, rec, { batch: 3 });
  await reader.close();
  return rec;
}

/** The independent model: lines of a text and the byte offset after each (a naive split). */
function model(text: string): Array<{ line: string; after: number }> {
  const out: Array<{ line: string; after: number }> = [];
  let at = 0;
  const parts = text.split('\n');
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (last && p === '') return;
    at += Buffer.byteLength(p) + (last ? 0 : 1);
    out.push({ line: p.endsWith('\r') ? p.slice(0, -1) : p, after: at });
  });
  return out;
}

describe('FileSource.lines (bounded)', () => {
  it('emits every line in a job, the last one without newline too', async () => {
    const path = join(dir, 'in.txt');
    await writeFile(path, 'a,1\r\n\nb,2\nlast');
    const env = StreamEnvironment.create();
    const out = env.fromSource(FileSource.lines(path)).collect();
    await env.execute();
    expect(out.items()).toEqual(['a,1', '', 'b,2', 'last']);
  });

  it('positions are the exact byte offset after each line, for any text and chunk size (property)', async () => {
    const lineArb = fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', ' ', ',', '\r'), maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 40 }), async (lines, trailingNewline, chunkBytes) => {
        const text = lines.join('\n') + (trailingNewline && lines.length > 0 ? '\n' : '');
        const path = join(dir, 'p.txt');
        await writeFile(path, text);
        const rec = await readAll(path, { chunkBytes });
        const expected = model(text);
        expect(rec.out.map((e) => ({ line: e.line, after: e.after.offset }))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('restoring any position continues with exactly the lines after it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: fc.constantFrom('x', 'ß', '\u{1F600}', ';'), maxLength: 10 }), { minLength: 1, maxLength: 25 }), fc.nat(), fc.integer({ min: 1, max: 16 }), async (lines, cut, chunkBytes) => {
        const text = `${lines.join('\n')}\n`;
        const path = join(dir, 'r.txt');
        await writeFile(path, text);
        const first = await readAll(path, { chunkBytes });
        const k = cut % (first.out.length + 1);
        const position = k === 0 ? { offset: 0, inode: first.out[0]!.after.inode } : first.out[k - 1]!.after;
        const rest = await readAll(path, { chunkBytes }, position);
        expect(rest.lines()).toEqual(lines.slice(k));
      }),
      { numRuns: 100 },
    );
  });

  it('sends invalid UTF-8 and over-long lines to dead letters with reason and position', async () => {
    const path = join(dir, 'bad.txt');
    const long = 'L'.repeat(100);
    await writeFile(path, Buffer.concat([Buffer.from('ok1\n'), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from(`${long}\nok2\n${long}`)]));
    const rec = await readAll(path, { maxLineBytes: 50, chunkBytes: 16 });
    expect(rec.lines()).toEqual(['ok1', 'ok2']);
    const dead = rec.out.filter((e) => e.dead).map((e) => e.dead!);
    expect(dead.map((d) => [d.reason, (d.position as { offset: number }).offset])).toEqual([
      ['invalid UTF-8', 4],
      ['line longer than 50 bytes (100 bytes)', 8],
      ['line longer than 50 bytes (100 bytes)', 113],
    ]);
    // The dead letter keeps a prefix of the line (at least the limit, at most 256 bytes).
    expect(long.startsWith(dead[1]!.input as string) && (dead[1]!.input as string).length > 50).toBe(true);
    // Conservation: every line is accounted for, and the final position is the file size.
    expect(rec.out.length).toBe(5);
    expect(rec.out.at(-1)!.after.offset).toBe(213);
  });

  it('routes rejects to DEAD_LETTERS in a job', async () => {
    const path = join(dir, 'bad.txt');
    await writeFile(path, Buffer.concat([Buffer.from('a\n'), Buffer.from([0xc3, 0x28, 0x0a]), Buffer.from('b\n')]));
    const env = StreamEnvironment.create();
    const lines = env.fromSource(FileSource.lines(path));
    const good = lines.collect();
    const dead = lines.getSideOutput(DEAD_LETTERS).collect();
    await env.execute();
    expect(good.items()).toEqual(['a', 'b']);
    expect(dead.items().map((d: DeadLetter) => [d.reason, d.position])).toEqual([['invalid UTF-8', { offset: 2, inode: expect.any(Number) }]]);
  });

  it('fails with a SourceError naming the file when it is missing', async () => {
    const env = StreamEnvironment.create();
    env.fromSource(FileSource.lines(join(dir, 'nope.txt'))).collect();
    await expect(env.execute()).rejects.toSatisfy((e: unknown) => e instanceof SourceError && /nope\.txt/.test(e.message));
  });

  it('rejects a checkpoint position beyond the end of the file', async () => {
    const path = join(dir, 'short.txt');
    await writeFile(path, 'a\n');
    await expect(readAll(path, {}, { offset: 99, inode: 0 })).rejects.toBeInstanceOf(SourceError);
  });

  it('does not count the \\r of a CRLF line against maxLineBytes, as every line source does', async () => {
    const path = join(dir, 'crlf.txt');
    await writeFile(path, '12345\r\n123456\r\nok\r\n');
    const rec = await readAll(path, { maxLineBytes: 5, chunkBytes: 4 });
    expect(rec.lines()).toEqual(['12345', 'ok']);
    const dead = rec.out.filter((e) => e.dead).map((e) => [e.dead!.reason, (e.dead!.position as { offset: number }).offset]);
    expect(dead).toEqual([['line longer than 5 bytes (7 bytes)', 7]]);
    expect(rec.out.map((e) => e.after.offset)).toEqual([7, 15, 19]);
  });

  it('rejects bad options with a ConfigError', () => {
    expect(() => FileSource.lines('x', { maxLineBytes: 0 })).toThrow(/maxLineBytes/);
  });
});
