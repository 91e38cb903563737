import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError, SerializationError, StreamEnvironment, type SinkWriter } from '@weir/core';
import { type FileCommittable, FileSink, FileSource } from '../index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-file-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctx = { operatorName: 'sink', checkpointing: true };
const visible = async (d = dir) => (await readdir(d)).filter((n) => !n.startsWith('.')).sort();
const hidden = async (d = dir) => (await readdir(d)).filter((n) => n.startsWith('.')).sort();
/** The committed output: visible part files in name order, concatenated. */
async function committed(d = dir): Promise<string[]> {
  const out: string[] = [];
  for (const n of await visible(d)) out.push(...(await readFile(join(d, n), 'utf8')).split('\n').slice(0, -1));
  return out;
}

describe('FileSink.lines', () => {
  it('makes a bounded job without checkpoints visible at its end, nothing hidden left', async () => {
    const env = StreamEnvironment.create();
    env.fromElements('a', 'b', 'c').sinkTo(FileSink.lines(dir));
    await env.execute();
    expect(await visible()).toEqual(['part-end-0']);
    expect(await hidden()).toEqual([]);
    expect(await committed()).toEqual(['a', 'b', 'c']);
  });

  it('two-phase commit: hidden while in progress and pending, visible after commit, idempotent', async () => {
    const sink = FileSink.lines<string>(join(dir, 'out'));
    await sink.recover!(undefined);
    const w = sink.createWriter(ctx) as SinkWriter<string, FileCommittable>;
    w.write('x', 0);
    w.write('y', 0);
    const c1 = (await w.prepareCommit!(1))!;
    expect(c1.files).toEqual([{ pending: '.part-0000000001-0.pending', final: 'part-0000000001-0' }]);
    expect(await visible(join(dir, 'out'))).toEqual([]);
    expect(await hidden(join(dir, 'out'))).toEqual(['.part-0000000001-0.pending']);
    w.write('z', 0);
    await sink.commit!([c1]);
    expect(await committed(join(dir, 'out'))).toEqual(['x', 'y']);
    await sink.commit!([c1]); // a restore commits the restored checkpoint's committables again
    expect(await committed(join(dir, 'out'))).toEqual(['x', 'y']);
    expect(await w.prepareCommit!(2)).toMatchObject({ checkpointId: 2 });
    await w.close!();
  });

  it('returns no committable for an empty transaction', async () => {
    const w = FileSink.lines<string>(dir).createWriter(ctx);
    expect(await w.prepareCommit!(1)).toBeUndefined();
  });

  it('recover discards in-progress files and pending files of checkpoints that never completed', async () => {
    const sink = FileSink.lines<string>(dir);
    const w = sink.createWriter(ctx);
    w.write('kept', 0);
    const c1 = (await w.prepareCommit!(1))!;
    w.write('lost', 0);
    const c2 = (await w.prepareCommit!(2))!;
    w.write('in progress', 0);
    await (w as unknown as { flush(): void }).flush();
    await w.close!();
    await writeFile(join(dir, '.other-tool-file'), 'not ours');
    expect((await hidden()).length).toBe(4);
    // Crash; checkpoint 1 is the newest complete one.
    await sink.recover!({ state: undefined, committables: [c1] });
    expect(await hidden()).toEqual(['.other-tool-file', '.part-0000000001-0.pending']);
    await sink.commit!([c1]);
    expect(await committed()).toEqual(['kept']);
    await expect(sink.commit!([c2])).rejects.toBeInstanceOf(CheckpointError);
  });

  it('writes records that arrive while a pre-commit is sealing into the next transaction', async () => {
    const sink = FileSink.lines<number>(dir);
    const w = sink.createWriter(ctx);
    for (let i = 0; i < 5000; i++) w.write(i, 0);
    const p1 = w.prepareCommit!(1);
    for (let i = 5000; i < 10000; i++) w.write(i, 0);
    const p2 = w.prepareCommit!(2);
    await sink.commit!([(await p1)!, (await p2)!]);
    const lines = await committed();
    expect(lines.length).toBe(10000);
    expect(lines.map(Number)).toEqual([...Array(10000).keys()]);
    expect(await readFile(join(dir, 'part-0000000001-0'), 'utf8')).toBe([...Array(5000).keys()].map((i) => `${i}\n`).join(''));
  });

  it('rolls part files by size inside one checkpoint, in order', async () => {
    const sink = FileSink.lines<string>(dir, { maxPartBytes: 1, suffix: '.txt' });
    const w = sink.createWriter(ctx);
    // Each flush (64 Ki chars) is at least one byte, so every flushed batch gets its own file.
    const big = 'q'.repeat(70_000);
    w.write(big, 0);
    w.write('tail', 0);
    const c = (await w.prepareCommit!(3))!;
    expect(c.files.map((f) => f.final)).toEqual(['part-0000000003-0.txt', 'part-0000000003-1.txt']);
    await sink.commit!([c]);
    expect(await committed()).toEqual([big, 'tail']);
  });

  it('encodes non-strings as JSON (BigInt as a string) and rejects line breaks', async () => {
    const env = StreamEnvironment.create();
    env.fromElements<unknown>({ a: 1n }, [1, 'x'], 7).sinkTo(FileSink.lines(dir));
    await env.execute();
    expect(await committed()).toEqual(['{"a":"1"}', '[1,"x"]', '7']);
    const w = FileSink.lines<string>(dir, { encode: (s) => s }).createWriter(ctx);
    expect(() => w.write('two\nlines', 0)).toThrow(SerializationError);
    expect(() => FileSink.lines(dir, { prefix: '.hidden' })).toThrow(/prefix/);
  });

  it('with checkpoints, a bounded FileSource -> FileSink job commits every line exactly once', async () => {
    const input = join(dir, 'in.txt');
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    await writeFile(input, `${lines.join('\n')}\n`);
    const out = join(dir, 'out');
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 5, dir: join(dir, 'chk') } });
    env.fromSource(FileSource.lines(input, { chunkBytes: 4096 })).sinkTo(FileSink.lines(out));
    const result = await env.execute();
    expect(result.checkpoints.completed).toBeGreaterThanOrEqual(1);
    expect(await hidden(out)).toEqual([]);
    expect(await committed(out)).toEqual(lines);
  });
});
