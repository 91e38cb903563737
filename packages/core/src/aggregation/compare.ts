/**
 * Ordering for min/max aggregations, as Java's `compareTo` that Flink's `Comparator` uses:
 * numbers by `Double.compare` (NaN is greater than everything and equal to itself, -0 < +0),
 * strings by UTF-16 code units, bigints and dates by value.
 */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    const aNaN = Number.isNaN(a);
    const bNaN = Number.isNaN(b);
    if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
    if (a === 0 && b === 0) {
      const aNeg = Object.is(a, -0);
      const bNeg = Object.is(b, -0);
      return aNeg === bNeg ? 0 : aNeg ? -1 : 1;
    }
    return 0;
  }
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  if ((x as number) < (y as number)) return -1;
  if ((x as number) > (y as number)) return 1;
  return 0;
}
