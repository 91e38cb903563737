/**
 * The line framer against a model: split the whole byte stream at once (String.split on the
 * decoded text, one trailing `\r` stripped for `'\n'`, lines over the limit rejected), whatever
 * the chunking. Includes delimiters and multi-byte characters split across chunks, CRLF,
 * oversized and invalid lines, and the byte count of every line (offsets add up to the stream).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { LineFramer } from './line-framer.js';

/** Lines and rejects (as `!reason`) in order; the last unterminated line counts (flushAsLine). */
function run(chunks: Buffer[], delimiter: string, max: number) {
  const out: string[] = [];
  const f = new LineFramer({ line: (l) => out.push(l), reject: (r) => out.push(`!${r.reason}`) }, { delimiter, maxLineBytes: max });
  for (const c of chunks) f.write(c);
  f.flushAsLine();
  return out;
}

/** Lines, rejects and bytes counted with the default delimiter; the unterminated rest is dropped (dropRest). */
function frame(chunks: Buffer[], max: number) {
  const lines: string[] = [];
  const rejects: string[] = [];
  let bytes = 0;
  const f = new LineFramer(
    {
      line: (l, n) => {
        lines.push(l);
        bytes += n;
      },
      reject: (r) => {
        rejects.push(r.reason);
        bytes += r.bytes;
      },
    },
    { maxLineBytes: max },
  );
  for (const c of chunks) f.write(c);
  return { lines, rejects, bytes, rest: f.dropRest() };
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

const lineArb = fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', ' ', '\r'), maxLength: 12 });

describe('LineFramer', () => {
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

  it('frames lines cut at arbitrary byte boundaries exactly as splitting the whole text would', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const text = lines.map((l) => `${l}\n`).join('');
        const got = frame(chunked(Buffer.from(text, 'utf8'), cuts), 1 << 20);
        const model = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        expect(got.lines).toEqual(model);
        expect(got.rejects).toEqual([]);
        expect(got.rest).toBeUndefined();
        expect(got.bytes).toBe(Buffer.byteLength(text)); // byte offsets add up
      }),
    );
  });

  it('rejects exactly the lines longer than the limit, for any delimiter, limit and chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('x', 'é', '\r', '|'), maxLength: 12 }), { maxLength: 10 }),
        fc.constantFrom('\n', '\r\n', '||', 'XYZ'),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (raw, delimiter, max, cuts) => {
          const text = raw.map((l) => l + delimiter).join('');
          const got = run(chunked(Buffer.from(text), cuts), delimiter, max);
          const parts = text.split(delimiter);
          if (parts.at(-1) === '') parts.pop(); // else an unterminated rest, which flushAsLine emits
          const want = parts
            .map((l) => (delimiter === '\n' ? l.replace(/\r$/, '') : l))
            .map((l) => (Buffer.byteLength(l) > max ? `!line longer than ${max} bytes` : l));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('counts every byte of the stream, lines and rejects alike, for any delimiter (offsets add up)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a.map((b) => [0x0a, 0x0d, 0x7c, 0x61, 0xff, 0xc3][b % 6]!))),
        fc.constantFrom('\n', '||'),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bytes, delimiter, max, cuts) => {
          let counted = 0;
          const f = new LineFramer({ line: (_l, n) => (counted += n), reject: (r) => (counted += r.bytes) }, { delimiter, maxLineBytes: max });
          for (const c of chunked(bytes, cuts)) f.write(c);
          f.flushAsLine();
          expect(counted).toBe(bytes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects exactly the lines longer than the limit, in order with the others', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('x', 'y'), maxLength: 40 }), { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        const max = 16;
        const events: string[] = [];
        const f = new LineFramer({ line: (l) => events.push(`L:${l}`), reject: (r) => events.push(`R:${r.preview}:${r.reason}`) }, { maxLineBytes: max });
        for (const c of chunked(Buffer.from(lines.map((l) => `${l}\n`).join('')), cuts)) f.write(c);
        expect(events).toEqual(lines.map((l) => (l.length > max ? `R:${l}:line longer than ${max} bytes` : `L:${l}`)));
      }),
    );
  });

  it('finds a CRLF split between two chunks', () => {
    expect(run([Buffer.from('a\r'), Buffer.from('\nb\r\nc')], '\r\n', 100)).toEqual(['a', 'b', 'c']);
  });

  it('finds a three-byte delimiter split over three chunks', () => {
    expect(run([Buffer.from('abX'), Buffer.from('Y'), Buffer.from('Zcd')], 'XYZ', 100)).toEqual(['ab', 'cd']);
  });

  it('accepts a line exactly at the limit whose multi-byte delimiter starts in the same chunk', () => {
    // Regression: the first byte of the delimiter was counted against the limit before the next
    // chunk showed it to be part of the delimiter, so a line of exactly maxLineBytes was rejected.
    expect(run([Buffer.from('abcde\r'), Buffer.from('\nok\r\n')], '\r\n', 5)).toEqual(['abcde', 'ok']);
    expect(run([Buffer.from('abcdeXY'), Buffer.from('Zok')], 'XYZ', 5)).toEqual(['abcde', 'ok']);
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

  it('tells a reject its kind, its length without the delimiter, its bytes in the stream and a preview', () => {
    const rejects: unknown[] = [];
    const f = new LineFramer({ line: () => {}, reject: (r) => rejects.push(r) }, { maxLineBytes: 4 });
    f.write(Buffer.from('abcdefgh\r\n'));
    f.write(Buffer.concat([Buffer.from([0xff]), Buffer.from('\n'), Buffer.from('x'.repeat(300))]));
    f.flushAsLine();
    expect(rejects).toEqual([
      { preview: 'abcdefgh\r', reason: 'line longer than 4 bytes', kind: 'too long', lineBytes: 9, bytes: 10 },
      { preview: '\ufffd', reason: 'invalid UTF-8', kind: 'invalid UTF-8', lineBytes: 1, bytes: 2 },
      { preview: 'x'.repeat(256), reason: 'line longer than 4 bytes', kind: 'too long', lineBytes: 300, bytes: 300 },
    ]);
  });

  it('returns an unterminated rest at the end instead of inventing a line', () => {
    const got = frame([Buffer.from('a\nbc')], 100);
    expect(got.lines).toEqual(['a']);
    expect(got.rest).toEqual({ preview: 'bc', bytes: 2 });
  });

  it('counts the bytes of an unterminated line, also past the limit, while it is pending', () => {
    const f = new LineFramer({ line: () => {}, reject: () => {} }, { maxLineBytes: 10 });
    f.write(Buffer.from('ok\nabc'));
    expect(f.partialBytes).toBe(3);
    f.write(Buffer.alloc(1000, 0x61));
    expect(f.partialBytes).toBe(1003);
    expect(f.dropRest()).toEqual({ preview: `abc${'a'.repeat(253)}`, bytes: 1003 });
    expect(f.partialBytes).toBe(0);
  });

  it('refuses an empty delimiter and a limit below one byte with a ConfigError', () => {
    const handler = { line: () => {}, reject: () => {} };
    expect(() => new LineFramer(handler, { delimiter: '' })).toThrow(ConfigError);
    expect(() => new LineFramer(handler, { maxLineBytes: 0 })).toThrow(ConfigError);
    expect(() => new LineFramer(handler, { maxLineBytes: 2.5 })).toThrow(/maxLineBytes/);
  });
});
