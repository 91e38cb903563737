/**
 * LineFramer properties: any text cut into any chunks frames back into its lines (model: split
 * on '\n' and strip one trailing '\r'); lines over the limit are rejected, never emitted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineFramer } from './line-framer.js';

function frame(chunks: Buffer[], max: number) {
  const lines: string[] = [];
  const rejects: string[] = [];
  let bytes = 0;
  const f = new LineFramer(max, {
    line: (l, n) => {
      lines.push(l);
      bytes += n;
    },
    reject: (_p, reason, n) => {
      rejects.push(reason);
      bytes += n;
    },
  });
  for (const c of chunks) f.write(c);
  return { lines, rejects, bytes, rest: f.end() };
}

function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const lineArb = fc.string({ unit: fc.constantFrom('a', 'é', '€', '𝄞', ' ', '\r'), maxLength: 12 });

describe('LineFramer', () => {
  it('frames lines cut at arbitrary byte boundaries exactly as splitting the whole text would', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
        const text = lines.map((l) => `${l}\n`).join('');
        const got = frame(cut(Buffer.from(text, 'utf8'), cuts), 1 << 20);
        const model = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        expect(got.lines).toEqual(model);
        expect(got.rejects).toEqual([]);
        expect(got.rest).toBeUndefined();
        expect(got.bytes).toBe(Buffer.byteLength(text)); // byte offsets add up
      }),
    );
  });

  it('rejects exactly the lines longer than the limit, in order with the others', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('x', 'y'), maxLength: 40 }), { maxLength: 15 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, cuts) => {
        const max = 16;
        const events: string[] = [];
        const f = new LineFramer(max, { line: (l) => events.push(`L:${l}`), reject: (p, r) => events.push(`R:${p}:${r}`) });
        for (const c of cut(Buffer.from(lines.map((l) => `${l}\n`).join('')), cuts)) f.write(c);
        expect(events).toEqual(lines.map((l) => (l.length > max ? `R:${l}:line longer than ${max} bytes` : `L:${l}`)));
      }),
    );
  });

  it('returns an unterminated rest at the end instead of inventing a line', () => {
    const got = frame([Buffer.from('a\nbc')], 100);
    expect(got.lines).toEqual(['a']);
    expect(got.rest).toEqual({ preview: 'bc', bytes: 2 });
  });
});
