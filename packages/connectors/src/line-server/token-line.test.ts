/**
 * TokenLine: the first line of a connection, capped at TOKEN_LINE_MAX_BYTES before its `\n`.
 * Expected values are written out from the chunks.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_LINE_MAX_BYTES, TokenLine } from './token-line.js';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('TokenLine', () => {
  it('joins a token split across chunks, drops a CRLF\'s \\r and hands back the rest of the chunk', () => {
    const t = new TokenLine();
    expect(t.write(b('s3c'))).toEqual({ status: 'incomplete' });
    expect(t.held).toBe(3);
    const r = t.write(b('ret\r\nhello\nwor'));
    expect(r.status).toBe('complete');
    if (r.status !== 'complete') return;
    expect(r.token.toString()).toBe('s3cret');
    expect(r.rest.toString()).toBe('hello\nwor');
    expect(t.held).toBe(0);
  });

  it('takes a line of exactly the cap and refuses one byte more, also before its end arrives', () => {
    expect(new TokenLine().write(b(`${'a'.repeat(TOKEN_LINE_MAX_BYTES)}\n`)).status).toBe('complete');
    expect(new TokenLine().write(b(`${'a'.repeat(TOKEN_LINE_MAX_BYTES + 1)}\n`)).status).toBe('too long');
    const t = new TokenLine();
    expect(t.write(b('a'.repeat(TOKEN_LINE_MAX_BYTES))).status).toBe('incomplete');
    expect(t.write(b('a')).status).toBe('too long'); // no \n yet: refused without waiting for it
    expect(t.held).toBe(0);
  });

  it('copies what it holds, so a short unfinished token does not keep the socket read alive', () => {
    const chunk = b('tok');
    const t = new TokenLine();
    t.write(chunk);
    chunk.fill(0);
    const r = t.write(b('en\n'));
    expect(r.status === 'complete' && r.token.toString()).toBe('token');
  });
});
