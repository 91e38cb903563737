/**
 * `generate`: the generator's events as a JSON-lines audit log on stdout (what kube-apiserver
 * writes with `--audit-log-format=json` at level RequestResponse), to replay policies over or to
 * feed forwarders with.
 */
import type { Writable } from 'node:stream';
import type { GenerateOptions } from './cli.js';
import { AuditGenerator } from './generator/audit-generator.js';
import { GENERATOR_START } from './run.js';

/**
 * Writes `minutes` of generated traffic; resolves with exit code 0 (1 on a write error).
 *
 * @example
 * ```ts
 * await writeGenerated({ minutes: 10, rate: 20, seed: 42 }, process.stdout);
 * ```
 */
export async function writeGenerated(o: GenerateOptions, out: Writable): Promise<number> {
  const g = new AuditGenerator({ seed: o.seed, start: GENERATOR_START, requestsPerSecond: o.rate });
  const end = GENERATOR_START + o.minutes * 60_000;
  let chunk = '';
  while (g.peekTimestamp() < end) {
    chunk += `${JSON.stringify(g.next().event)}\n`;
    if (chunk.length > 1 << 16) {
      // Respect backpressure: a pipe into `nc` or `head` drains slower than we write.
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  return 0;
}
