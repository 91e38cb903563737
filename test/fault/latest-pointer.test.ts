// Regression: LATEST is a hint; a flipped bit in it never makes a restore pick an older checkpoint than the newest valid one.
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DirectoryCheckpointStorage, StreamEnvironment } from '@weir/core';

it('a flipped bit in LATEST never makes restore pick an older checkpoint', async () => {
  const root = await mkdtemp(join(tmpdir(), 'weir-latest-'));
  const dir = join(root, 'chk');
  for (let i = 0; i < 3; i++) {
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 60_000, dir, retain: 3 }, restore: 'latest', logger: { info() {}, warn() {} } });
    env.fromElements(1, 2, 3).uid('src').map((x) => x).uid('m').collect();
    await env.execute();
  }
  const names = (await readdir(dir)).filter((n) => n.startsWith('chk-')).sort();
  const pointer = await readFile(join(dir, 'LATEST'));
  const wrong: string[] = [];
  for (let at = 0; at < pointer.length; at++) for (let bit = 0; bit < 8; bit++) {
    const copy = join(root, `c${at}-${bit}`);
    await cp(dir, copy, { recursive: true });
    const data = Buffer.from(pointer);
    data[at]! ^= 1 << bit;
    await writeFile(join(copy, 'LATEST'), data);
    const cp2 = await new DirectoryCheckpointStorage(copy, 3, { info() {}, warn() {} }).latest();
    if (!cp2?.path.endsWith(names.at(-1)!)) wrong.push(`${data.toString().trim()} -> restored ${cp2?.path.split('/').pop()}`);
  }
  expect(wrong).toEqual([]);
});
