import { appendFile, mkdtemp, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StreamEnvironment } from '@weir/core';
import { FileSource } from '../index.js';
import { FileLinesReader, type FilePosition } from './file-lines-reader.js';
import { pump, readerContext, Recorder } from './reader-harness.test-util.js';

let dir: string;
let path: string;
const readers: FileLinesReader[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-file-follow-'));
  path = join(dir, 'app.log');
});
afterEach(async () => {
  for (const r of readers.splice(0)) await r.close();
  await rm(dir, { recursive: true, force: true });
});

function follower(position?: FilePosition): { reader: FileLinesReader; rec: Recorder } {
  const reader = new FileLinesReader(path, { follow: true, pollIntervalMs: 20, maxLineBytes: 1 << 20, chunkBytes: 8 }, readerContext());
  if (position) reader.restorePosition(position);
  readers.push(reader);
  return { reader, rec: new Recorder(reader) };
}

const until = (rec: Recorder, n: number) => () => rec.lines().length >= n;

describe('FileSource.lines with follow', () => {
  it('keeps reading appended lines and holds a partial line until its newline arrives', async () => {
    await writeFile(path, 'a\nb');
    const { reader, rec } = follower();
    await reader.start();
    await pump(reader, rec, { until: until(rec, 1) });
    await appendFile(path, 'c\nd\n');
    await pump(reader, rec, { until: until(rec, 3) });
    expect(rec.lines()).toEqual(['a', 'bc', 'd']);
    expect(rec.out.map((e) => e.after.offset)).toEqual([2, 5, 7]);
  });

  it('follows a rotation: drains the old file (its partial last line included), then reads the new one', async () => {
    await writeFile(path, 'a\nb');
    const oldInode = (await stat(path)).ino;
    const { reader, rec } = follower();
    await reader.start();
    await pump(reader, rec, { until: until(rec, 1) });
    await appendFile(path, 'x'); // written just before the rename, never completed
    await rename(path, `${path}.1`);
    await writeFile(path, 'c\nd\n');
    const newInode = (await stat(path)).ino;
    await pump(reader, rec, { until: until(rec, 4) });
    expect(rec.lines()).toEqual(['a', 'bx', 'c', 'd']);
    expect(rec.out.map((e) => e.after)).toEqual([
      { offset: 2, inode: oldInode },
      { offset: 4, inode: oldInode },
      { offset: 2, inode: newInode },
      { offset: 4, inode: newInode },
    ]);
  });

  it('starts again at offset 0 when the file is truncated in place (copytruncate)', async () => {
    await writeFile(path, 'a\nb\n');
    const { reader, rec } = follower();
    await reader.start();
    await pump(reader, rec, { until: until(rec, 2) });
    await truncate(path, 0);
    await appendFile(path, 'c\n');
    await pump(reader, rec, { until: until(rec, 3) });
    expect(rec.lines()).toEqual(['a', 'b', 'c']);
  });

  it('restores into a file that was rotated while the job was down, then continues with the new file', async () => {
    await writeFile(path, 'a\nb\n');
    const first = follower();
    await first.reader.start();
    await pump(first.reader, first.rec, { batch: 1, until: until(first.rec, 1) });
    const position = first.reader.snapshotPosition();
    await first.reader.close();
    await rename(path, `${path}.1`);
    await writeFile(path, 'c\n');
    const second = follower(position);
    await second.reader.start();
    await pump(second.reader, second.rec, { until: until(second.rec, 2) });
    expect(second.rec.lines()).toEqual(['b', 'c']);
  });

  it('waits for a file that does not exist yet', async () => {
    const { reader, rec } = follower();
    await reader.start();
    setTimeout(() => void writeFile(path, 'late\n'), 50);
    await pump(reader, rec, { until: until(rec, 1) });
    expect(rec.lines()).toEqual(['late']);
  });

  it('runs in a job until cancelled, emitting lines as they are appended', async () => {
    await writeFile(path, '1\n');
    const env = StreamEnvironment.create();
    const seen: number[] = [];
    const ac = new AbortController();
    env
      .fromSource(FileSource.lines(path, { follow: true, pollIntervalMs: 20 }))
      .map(Number)
      .sinkTo({
        createWriter: () => ({
          write: (v: number) => {
            seen.push(v);
            if (v === 1) void appendFile(path, '2\n3\n');
            if (v === 3) ac.abort();
          },
        }),
      });
    await expect(env.execute({ signal: ac.signal })).rejects.toThrow();
    expect(seen).toEqual([1, 2, 3]);
  });
});
