import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKET_OPEN, SYMBOLS } from './domain.js';
import { eventsUntil, StockWalk, TweetGenerator } from './generators.js';
import { deriveSeed, SeededRandom } from './random.js';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and resumes exactly from a snapshot', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(50), (seed, skip) => {
        const a = new SeededRandom(seed);
        const b = new SeededRandom(seed);
        for (let i = 0; i < skip; i++) expect(a.nextGaussian()).toBe(b.nextGaussian());
        const resumed = SeededRandom.restore(structuredClone(a.snapshot()));
        for (let i = 0; i < 20; i++) {
          expect(resumed.nextGaussian()).toBe(a.nextGaussian());
          expect(resumed.nextInt(200)).toBe(a.nextInt(200));
        }
      }),
    );
  });

  it('draws standard normal deviates and uniform integers in range', () => {
    const r = new SeededRandom(1);
    const n = 20_000;
    const xs = Array.from({ length: n }, () => r.nextGaussian());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const ints = Array.from({ length: n }, () => r.nextInt(200));
    expect(Math.min(...ints)).toBe(0);
    expect(Math.max(...ints)).toBe(199);
  });

  it('derives different seeds per generator name', () => {
    const seeds = new Set(['SPX', 'FTSE', 'DJI', 'BUX', 'tweets'].map((n) => deriveSeed(42, n)));
    expect(seeds.size).toBe(5);
    expect(deriveSeed(42, 'SPX')).toBe(deriveSeed(42, 'SPX'));
  });
});

describe('StockWalk', () => {
  it('walks from 1000 in Gaussian steps of its sigma, 0-199 ms apart', () => {
    const ticks = eventsUntil(new StockWalk('FTSE', 20, 3, MARKET_OPEN), MARKET_OPEN + 600_000);
    expect(ticks[0]!.timestamp).toBe(MARKET_OPEN);
    const gaps = ticks.slice(1).map((t, i) => t.timestamp - ticks[i]!.timestamp);
    expect(Math.min(...gaps)).toBe(0);
    expect(Math.max(...gaps)).toBe(199);
    const steps = [ticks[0]!.value.price - 1000, ...ticks.slice(1).map((t, i) => t.value.price - ticks[i]!.value.price)];
    const sd = Math.sqrt(steps.reduce((s, x) => s + x * x, 0) / steps.length);
    expect(sd).toBeGreaterThan(19);
    expect(sd).toBeLessThan(21);
    expect(new Set(ticks.map((t) => t.value.symbol))).toEqual(new Set(['FTSE']));
  });

  it('continues identically after snapshot and restore', () => {
    const a = new StockWalk('SPX', 10, 9, MARKET_OPEN);
    for (let i = 0; i < 37; i++) a.next();
    const b = new StockWalk('SPX', 10, 9, MARKET_OPEN);
    b.restore(structuredClone(a.snapshot()));
    for (let i = 0; i < 50; i++) expect(b.next()).toEqual(a.next());
  });
});

describe('TweetGenerator', () => {
  it('tweets three known symbols, 0-499 ms apart', () => {
    const tweets = eventsUntil(new TweetGenerator(4, MARKET_OPEN), MARKET_OPEN + 300_000);
    for (const t of tweets) {
      const words = t.value.split(' ');
      expect(words).toHaveLength(3);
      for (const w of words) expect(SYMBOLS).toContain(w);
    }
    const gaps = tweets.slice(1).map((t, i) => t.timestamp - tweets[i]!.timestamp);
    expect(Math.max(...gaps)).toBeLessThan(500);
    expect(new Set(tweets.flatMap((t) => t.value.split(' ')))).toEqual(new Set(SYMBOLS));
  });
});
