/**
 * `print(prefix?)`: one line per record on stdout, `prefix> value` as Flink prints it.
 * At-least-once (lines printed before a crash are printed again on replay).
 */
import { inspect } from 'node:util';
import type { Sink, SinkWriter } from '../contract/sink.js';

/**
 * How `print()` renders a value: strings as they are, objects with their own `toString` through
 * it (as Flink calls `toString()`), other objects as compact JSON-like text.
 *
 * @example
 * ```ts
 * formatValue({ symbol: 'SPX', price: 1000 }); // "{ symbol: 'SPX', price: 1000 }"
 * ```
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const ts = (value as { toString?: unknown }).toString;
    if (typeof ts === 'function' && ts !== Object.prototype.toString && ts !== Array.prototype.toString) return String(value);
  }
  return inspect(value, { breakLength: Number.POSITIVE_INFINITY, depth: 6 });
}

/** The sink behind `print()`. @internal */
export class PrintSink<T> implements Sink<T> {
  readonly name: string;
  constructor(
    private readonly prefix: string | undefined,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.name = prefix === undefined ? 'Print to Std. Out' : `Print to Std. Out (${prefix})`;
  }
  createWriter(): SinkWriter<T> {
    const prefix = this.prefix === undefined ? '' : `${this.prefix}> `;
    return { write: (v) => this.write(prefix + formatValue(v)) };
  }
}
