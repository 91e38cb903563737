/**
 * Reads the first line of a connection, its token, with a hard cap on its size: a peer that has
 * not authenticated may make the server hold at most `TOKEN_LINE_MAX_BYTES`, not `maxLineBytes`
 * (1 MiB by default: 1,024 idle connections would have held 1 GiB).
 *
 * Algorithm: each chunk is scanned for `\n`; bytes before it are kept until the line ends. Once
 * more than the cap is held or seen before the `\n`, the line is "too long" right away (the
 * caller refuses the connection without waiting for the end of the line). A complete line is
 * returned without its `\n` and a trailing `\r`, with the rest of the chunk (the first lines of
 * data). Example, cap 1024: chunks `"s3c"`, `"ret\r\nhello\n"` give the token `"s3cret"` and the
 * rest `"hello\n"`; 1025 bytes without a `\n` are too long.
 * @internal
 */

/** Bytes a token line may have before its `\n` (a trailing `\r` included). */
export const TOKEN_LINE_MAX_BYTES = 1024;

export type TokenLineResult =
  | { readonly status: 'incomplete' }
  | { readonly status: 'too long' }
  | { readonly status: 'complete'; readonly token: Buffer; readonly rest: Buffer };

const INCOMPLETE: TokenLineResult = Object.freeze({ status: 'incomplete' });
const TOO_LONG: TokenLineResult = Object.freeze({ status: 'too long' });

export class TokenLine {
  private parts: Buffer[] = [];
  /** Bytes of the token line received so far (what this connection makes the server hold). */
  held = 0;

  write(chunk: Buffer): TokenLineResult {
    const nl = chunk.indexOf(10);
    const before = nl < 0 ? chunk.length : nl;
    if (this.held + before > TOKEN_LINE_MAX_BYTES) {
      this.drop();
      return TOO_LONG;
    }
    if (nl < 0) {
      // A copy: a subarray would keep the whole socket read (up to 64 KiB) alive.
      this.parts.push(Buffer.from(chunk));
      this.held += chunk.length;
      return INCOMPLETE;
    }
    this.parts.push(chunk.subarray(0, nl));
    let token = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    if (token.length > 0 && token[token.length - 1] === 13) token = token.subarray(0, token.length - 1);
    this.drop();
    return { status: 'complete', token, rest: chunk.subarray(nl + 1) };
  }

  /** Forgets what was held (the line was taken, or the connection refused). */
  drop(): void {
    this.parts = [];
    this.held = 0;
  }
}
