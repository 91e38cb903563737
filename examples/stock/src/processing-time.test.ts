/**
 * `--processing-time`: windows on the (sped-up) market clock as events arrive. Which window an
 * event lands in depends on timing, so the check is conservation against the generated input:
 * every tweet mention and every price warning is counted exactly once, and the windows have the
 * sizes of the seed's pipeline.
 */
import { describe, expect, it } from 'vitest';
import { createStockJob } from './app.js';
import { SYMBOLS } from './domain.js';
import { generatedInput, referenceModel } from './testing/reference-model.js';

describe('the stock application in processing time', () => {
  it('counts every tweet mention and every warning once, in 10 s and 30 s windows', async () => {
    const marketMs = 60_000;
    const job = createStockJob({ seed: 3, marketMs, rate: 60, time: 'processing' });
    const out = job.results.collect();
    await job.env.execute('processing time under test');
    const results = out.items();
    const input = generatedInput(3, marketMs);
    const mentions = input.tweets.flatMap((t) => t.text.split(' ')).filter((w) => SYMBOLS.includes(w)).length;
    const sum = (kind: string) => results.reduce((s, r) => s + (r.kind === kind ? (r as { count: number }).count : 0), 0);
    expect(sum('tweets')).toBe(mentions);
    // Warnings depend only on each symbol's own sequence of prices, not on time: as in event time.
    const warnings = results.filter((r) => r.kind === 'warning');
    expect(warnings.length).toBe(referenceModel(input).warnings.length);
    expect(sum('warnings')).toBe(warnings.length);
    for (const r of results) {
      if (r.kind === 'lowest' || r.kind === 'max' || r.kind === 'min' || r.kind === 'mean') {
        expect(r.end - r.start).toBe(10_000);
        expect(r.start % 5_000).toBe(0);
      } else if (r.kind === 'warnings' || r.kind === 'tweets' || r.kind === 'pair' || r.kind === 'correlation') {
        expect(r.end - r.start).toBe(30_000);
      }
    }
    expect(results.filter((r) => r.kind === 'lowest').length).toBeGreaterThanOrEqual(10);
  });
});
