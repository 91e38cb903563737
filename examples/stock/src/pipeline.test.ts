/**
 * The whole application, event time, fixed seeds, unpaced: every output equals the independent
 * plain-TypeScript computation over the same generated events (testing/reference-model.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStockJob } from './app.js';
import { type StockResult, toJsonLine } from './results.js';
import { generatedInput, type ModelResults, referenceModel } from './testing/reference-model.js';

async function runApp(seed: number, marketMs: number): Promise<StockResult[]> {
  const job = createStockJob({ seed, marketMs, rate: 'unpaced', time: 'event' });
  const out = job.results.collect();
  await job.env.execute('stock prices under test');
  return out.items();
}

function closeTo(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

/** Maps of the app's results in the model's shape. */
function appAsModel(results: readonly StockResult[]) {
  const lowest = new Map<number, { symbol: string; price: number }>();
  const byKey = { max: new Map<string, number>(), min: new Map<string, number>(), mean: new Map<string, number>() };
  const warnings: string[] = [];
  const warningCounts = new Map<string, number>();
  const tweetCounts = new Map<string, number>();
  const pairs = new Map<string, readonly [number, number]>();
  const correlation = new Map<number, number>();
  const once = <K, V>(m: Map<K, V>, k: K, v: V) => {
    expect(m.has(k), `one result per window and key (${String(k)})`).toBe(false);
    m.set(k, v);
  };
  for (const r of results) {
    switch (r.kind) {
      case 'lowest':
        expect(r.end - r.start).toBe(10_000);
        once(lowest, r.start, { symbol: r.symbol, price: r.price });
        break;
      case 'max':
      case 'min':
      case 'mean':
        expect(r.end - r.start).toBe(10_000);
        once(byKey[r.kind], `${r.start}|${r.symbol}`, r.price);
        break;
      case 'warning':
        warnings.push(`${r.symbol}@${r.time}`);
        break;
      case 'warnings':
        once(warningCounts, `${r.start}|${r.symbol}`, r.count);
        break;
      case 'tweets':
        once(tweetCounts, `${r.start}|${r.symbol}`, r.count);
        break;
      case 'pair':
        expect(r.end - r.start).toBe(30_000);
        once(pairs, `${r.start}|${r.symbol}`, [r.warnings, r.tweets] as const);
        break;
      case 'correlation':
        once(correlation, r.start, r.correlation);
        break;
      case 'dead-letter':
        throw new Error(`unexpected dead letter ${r.reason}`);
    }
  }
  return { lowest, ...byKey, warnings, warningCounts, tweetCounts, pairs, correlation };
}

function expectClose(actual: Map<string | number, number>, expected: Map<string | number, number>, what: string): void {
  expect([...actual.keys()].sort(), `${what}: windows and keys`).toEqual([...expected.keys()].sort());
  for (const [k, v] of expected) expect(closeTo(actual.get(k)!, v), `${what} ${k}: ${actual.get(k)} vs ${v}`).toBe(true);
}

function expectMatchesModel(results: readonly StockResult[], model: ModelResults): void {
  const app = appAsModel(results);
  expect([...app.lowest.keys()].sort()).toEqual([...model.lowest.keys()].sort());
  for (const [start, low] of model.lowest) expect(app.lowest.get(start), `lowest of window ${start}`).toEqual(low);
  expectClose(app.max, model.max, 'maxBy');
  expectClose(app.min, model.min, 'minBy');
  expectClose(app.mean, model.mean, 'mean');
  expect([...app.warnings].sort()).toEqual([...model.warnings].sort());
  expect(app.warningCounts).toEqual(model.warningCounts);
  expect(app.tweetCounts).toEqual(model.tweetCounts);
  expect(app.pairs).toEqual(model.pairs);
  expectClose(app.correlation, model.correlation, 'correlation');
}

describe('the stock application in event time', () => {
  it('computes every output as the independent model does (seed 42, 3 market minutes)', async () => {
    const marketMs = 180_000;
    const results = await runApp(42, marketMs);
    const model = referenceModel(generatedInput(42, marketMs));
    // The run is not trivial: every kind of output is there, in numbers.
    expect(model.lowest.size).toBe(37);
    expect(model.warnings.length).toBeGreaterThan(100);
    expect(model.correlation.size).toBe(6);
    expect(model.pairs.size).toBeGreaterThanOrEqual(20);
    expectMatchesModel(results, model);
  });

  it('matches the model for any seed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1_000, max: 100_000 }), async (seed, marketMs) => {
        expectMatchesModel(await runApp(seed, marketMs), referenceModel(generatedInput(seed, marketMs)));
      }),
      { numRuns: 8 },
    );
  });

  it('gives a NaN correlation when one side is constant, as the model does', async () => {
    // 500 ms into the window 09:03:00-09:03:30 two symbols join, each with 2 warnings: a constant side.
    const marketMs = 180_500;
    const model = referenceModel(generatedInput(42, marketMs));
    const nanWindows = [...model.correlation].filter(([, r]) => Number.isNaN(r)).map(([s]) => s);
    expect(nanWindows).toHaveLength(1);
    const results = await runApp(42, marketMs);
    expectMatchesModel(results, model);
    const nan = results.filter((r) => r.kind === 'correlation' && Number.isNaN(r.correlation));
    expect(nan.map((r) => (r as { start: number }).start)).toEqual(nanWindows);
    expect(toJsonLine(nan[0]!)).toContain('"correlation":"NaN"');
  });

  it('gives the same results for the same seed and different ones for another', async () => {
    const a = await runApp(7, 60_000);
    const b = await runApp(7, 60_000);
    const c = await runApp(8, 60_000);
    const key = (rs: StockResult[]) => rs.map((r) => JSON.stringify(r)).sort();
    expect(key(a)).toEqual(key(b));
    expect(key(a)).not.toEqual(key(c));
  });
});
