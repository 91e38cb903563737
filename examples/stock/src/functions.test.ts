import { describe, expect, it } from 'vitest';
import { type CountPair, pearson, relativeChange, sendWarning, windowCorrelation, windowMean } from './functions.js';

function collect<T>(f: (out: { collect(v: T): void }) => void): T[] {
  const out: T[] = [];
  f({ collect: (v) => out.push(v) });
  return out;
}

describe('the pipeline functions', () => {
  it('relativeChange is |new / reference - 1|', () => {
    expect(relativeChange({ symbol: 'A', price: 1000 }, { symbol: 'A', price: 1060 })).toBeCloseTo(0.06, 12);
    expect(relativeChange({ symbol: 'A', price: 1000 }, { symbol: 'A', price: 950 })).toBeCloseTo(0.05, 12);
  });

  it('windowMean is the mean of this window only', () => {
    expect(collect((out) => windowMean([{ symbol: 'SPX', price: 1 }, { symbol: 'SPX', price: 2 }], out))).toEqual([{ symbol: 'SPX', price: 1.5 }]);
    // A second window does not carry the first one's sum (the 2015 Java version did).
    expect(collect((out) => windowMean([{ symbol: 'SPX', price: 10 }], out))).toEqual([{ symbol: 'SPX', price: 10 }]);
    expect(collect((out) => windowMean([], out))).toEqual([]);
  });

  it('sendWarning emits the symbol of a non-empty window', () => {
    expect(collect((out) => sendWarning([{ symbol: 'DJI', price: 1 }], out))).toEqual(['DJI']);
    expect(collect((out) => sendWarning([], out))).toEqual([]);
  });

  it('pearson matches known values and is NaN for a constant side', () => {
    // x = 1..5, y = 2x + 1: r = 1; y reversed: r = -1.
    expect(pearson([1, 2, 3, 4, 5], [3, 5, 7, 9, 11])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4, 5], [11, 9, 7, 5, 3])).toBeCloseTo(-1, 12);
    // Computed by hand: x = [1, 2, 3], y = [1, 3, 2]: cov = 1/3, sdX = sdY = sqrt(2/3), r = 0.5.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(pearson([2, 2, 2], [1, 3, 2])).toBeNaN();
    expect(pearson([1, 2], [4, 4])).toBeNaN();
    expect(pearson([7], [3])).toBeNaN();
    expect(pearson([], [])).toBeNaN();
  });

  it('windowCorrelation does not depend on the order of the pairs', () => {
    const pairs: CountPair[] = [
      { symbol: 'SPX', warnings: 11, tweets: 59 },
      { symbol: 'FTSE', warnings: 26, tweets: 53 },
      { symbol: 'DJI', warnings: 80, tweets: 49 },
      { symbol: 'BUX', warnings: 58, tweets: 38 },
    ];
    const forward = collect<number>((out) => windowCorrelation(pairs, out));
    const backward = collect<number>((out) => windowCorrelation([...pairs].reverse(), out));
    expect(forward).toEqual(backward);
    expect(forward[0]).toBeCloseTo(-0.6724057003936975, 12);
  });
});
