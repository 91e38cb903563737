import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommittedLinesSink, type PartCommittable, readCommittedLines } from './committed-sink.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-stock-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CommittedLinesSink', () => {
  it('makes lines visible only when their checkpoint commits', async () => {
    const sink = new CommittedLinesSink<number>(dir, (n) => `n=${n}`);
    await sink.recover(undefined);
    const w = sink.createWriter();
    w.write(1, 0);
    w.write(2, 0);
    const c1 = (await w.prepareCommit!(1)) as PartCommittable;
    w.write(3, 0);
    expect(await readCommittedLines(dir)).toEqual([]);
    await sink.commit([c1]);
    expect(await readCommittedLines(dir)).toEqual(['n=1', 'n=2']);
    const c2 = (await w.prepareCommit!(2)) as PartCommittable;
    expect(await w.prepareCommit!(3)).toBeUndefined(); // nothing written since: nothing to commit
    await sink.commit([c2]);
    await sink.commit([c1, c2]); // again, as after a restart: idempotent
    expect(await readCommittedLines(dir)).toEqual(['n=1', 'n=2', 'n=3']);
  });

  it('on recovery, keeps the restored committable and discards later pre-committed output', async () => {
    const first = new CommittedLinesSink<string>(dir, (s) => s);
    const w = first.createWriter();
    w.write('a', 0);
    const c1 = (await w.prepareCommit!(1)) as PartCommittable;
    w.write('b', 0);
    await w.prepareCommit!(2); // checkpoint 2 never completed: the crash came first
    const restarted = new CommittedLinesSink<string>(dir, (s) => s);
    await restarted.recover({ state: undefined, committables: [c1] });
    await restarted.commit([c1]);
    expect(await readCommittedLines(dir)).toEqual(['a']);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('reads parts in checkpoint order, the final part last, and ignores other files', async () => {
    await writeFile(join(dir, 'part-0000000010.jsonl'), 'ten\n');
    await writeFile(join(dir, 'part-0000000002.jsonl'), 'two\n');
    await writeFile(join(dir, 'part-final.jsonl'), 'last\n');
    await writeFile(join(dir, '.part-11-x.pending'), 'hidden\n');
    await writeFile(join(dir, 'notes.txt'), 'other\n');
    expect(await readCommittedLines(dir)).toEqual(['two', 'ten', 'last']);
    expect(await readCommittedLines(join(dir, 'missing'))).toEqual([]);
  });
});
