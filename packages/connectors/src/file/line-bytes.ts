/**
 * Turns the bytes of one line into text: a trailing `\r` is dropped (CRLF files), and the bytes
 * must be valid UTF-8. A line that is not is returned as a reject with the reason, never mangled
 * into replacement characters silently.
 * @internal
 */
import { isUtf8 } from 'node:buffer';

/** A decoded line, or the reason it could not be decoded. */
export type DecodedLine = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly raw: string; readonly reason: string };

const CR = 13;

/**
 * Decodes `bytes[start, end)` (the line without its `\n`).
 *
 * @example
 * ```ts
 * decodeLine(Buffer.from('a,1\r'), 0, 4); // { ok: true, text: 'a,1' }
 * ```
 */
export function decodeLine(bytes: Buffer, start: number, end: number): DecodedLine {
  if (end > start && bytes[end - 1] === CR) end--;
  const view = bytes.subarray(start, end);
  if (!isUtf8(view)) return { ok: false, raw: view.toString('utf8'), reason: 'invalid UTF-8' };
  return { ok: true, text: view.toString('utf8') };
}
