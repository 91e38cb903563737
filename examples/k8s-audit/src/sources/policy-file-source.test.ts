/**
 * The watched policy file: an update per real change of its text (not per write of the same
 * text), versions counted from the start, a restored reader that emits only what changed while
 * the job was down, and the end with the input.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollStatus, type SourceOutput, type SourceReader } from '@weir/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type PolicyUpdate, PolicyFileSource } from './policy-file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'weir-policy-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function collector() {
  const got: PolicyUpdate[] = [];
  const out: SourceOutput<PolicyUpdate> = { collect: (u) => void got.push(u), deadLetter: () => {} } as SourceOutput<PolicyUpdate>;
  return { got, out };
}
/** Writes the file with a distinct mtime each time (filesystems may keep mtimes at 1 s or 1 ms). */
let tick = 1_000_000;
function write(file: string, text: string) {
  writeFileSync(file, text);
  tick += 10;
  utimesSync(file, tick, tick);
}

describe('PolicyFileSource', () => {
  it('emits an update for each new text, none for the text it started with or the same text written again', () => {
    const file = join(dir, 'a.yaml');
    write(file, 'v0');
    const reader = new PolicyFileSource({ file, initialText: 'v0' }).createReader() as SourceReader<PolicyUpdate>;
    const { got, out } = collector();
    expect(reader.pollNext(out, 10)).toBe(PollStatus.NOTHING_AVAILABLE);
    write(file, 'v1');
    reader.pollNext(out, 10);
    write(file, 'v1');
    reader.pollNext(out, 10);
    write(file, 'v2');
    reader.pollNext(out, 10);
    expect(got).toEqual([
      { version: 1, file, text: 'v1' },
      { version: 2, file, text: 'v2' },
    ]);
  });

  it('a restored reader emits the file again only if it changed while the job was down', () => {
    const file = join(dir, 'b.yaml');
    write(file, 'v1');
    const first = new PolicyFileSource({ file, initialText: 'v0' }).createReader() as SourceReader<PolicyUpdate>;
    const a = collector();
    first.pollNext(a.out, 10);
    expect(a.got.map((u) => u.version)).toEqual([1]);
    const position = first.snapshotPosition!();

    const same = new PolicyFileSource({ file, initialText: 'v0' }).createReader() as SourceReader<PolicyUpdate>;
    same.restorePosition!(position);
    const b = collector();
    same.pollNext(b.out, 10);
    expect(b.got).toEqual([]);

    write(file, 'v2');
    const changed = new PolicyFileSource({ file, initialText: 'v0' }).createReader() as SourceReader<PolicyUpdate>;
    changed.restorePosition!(position);
    const c = collector();
    changed.pollNext(c.out, 10);
    expect(c.got).toEqual([{ version: 2, file, text: 'v2' }]);
  });

  it('a file missing for a moment is read again when it is back; the source ends with the input', () => {
    const file = join(dir, 'c.yaml');
    let ended = false;
    const reader = new PolicyFileSource({ file, initialText: 'v0', endWhen: () => ended }).createReader() as SourceReader<PolicyUpdate>;
    const { got, out } = collector();
    expect(reader.pollNext(out, 10)).toBe(PollStatus.NOTHING_AVAILABLE);
    write(file, 'v1');
    reader.pollNext(out, 10);
    expect(got.map((u) => u.text)).toEqual(['v1']);
    ended = true;
    expect(reader.pollNext(out, 10)).toBe(PollStatus.END_OF_INPUT);
  });
});
