/**
 * The line splitter against a model: split the whole byte stream at once (String.split on the
 * decoded bytes), whatever the chunking. Includes delimiters and multi-byte characters split
 * across chunks, CRLF, oversized and invalid lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function run(chunks: Buffer[], delimiter: string, max: number) {
  const out: string[] = [];
  const s = new LineSplitter(delimiter, max, { line: (l) => out.push(l), reject: (_raw, reason) => out.push(`!${reason}`) });
  for (const c of chunks) s.write(c);
  s.end();
  return out;
}

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return out;
}

describe('LineSplitter', () => {
  it('equals splitting the whole stream at once, for any chunking and delimiter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-zé€\r]{0,6}$/), { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n', '||', 'XYZ'),
        fc.array(fc.nat(), { maxLength: 10 }),
        (lines, delimiter, cuts) => {
          const clean = lines.map((l) => l.split(delimiter).join('').replace(/\r$/, ''));
          const text = clean.map((l) => l + delimiter).join('');
          const got = run(chunked(Buffer.from(text), cuts), delimiter, 1000);
          let want = text.split(delimiter).slice(0, -1);
          if (delimiter === '\n') want = want.map((l) => l.replace(/\r$/, ''));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('finds a CRLF split between two chunks', () => {
    expect(run([Buffer.from('a\r'), Buffer.from('\nb\r\nc')], '\r\n', 100)).toEqual(['a', 'b', 'c']);
  });

  it('rejects an oversized line and still sees a straddling delimiter after it', () => {
    expect(run([Buffer.from('0123456789\r'), Buffer.from('\nok\r\n')], '\r\n', 5)).toEqual(['!line longer than 5 bytes', 'ok']);
  });

  it('does not count the \\r of CRLF against the limit', () => {
    expect(run([Buffer.from('12345\r\n123456\r\n')], '\n', 5)).toEqual(['12345', '!line longer than 5 bytes']);
  });

  it('rejects invalid UTF-8 with the reason and keeps going', () => {
    expect(run([Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0a, 0x62, 0x0a])], '\n', 100)).toEqual(['a', '!invalid UTF-8', 'b']);
  });
});
