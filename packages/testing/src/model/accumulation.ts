/**
 * How a window's contents were accumulated, as a small tree: `leaf` (the first element), `add`
 * (one more element, in arrival order) and `merge` (two session windows' states joined, target
 * first). Aggregations are folds over this tree, in the same order weir (and Flink) combine
 * values, so floating-point sums are bit-identical: `(a + b) + (c + d)` after a session merge is
 * not always `((a + b) + c) + d`.
 *
 * The semantics are Flink's `SumAggregator` and `ComparableAggregator` (flink-semantics.md §3),
 * written here independently of weir's code:
 * - sum: the first element with the field replaced by the sum;
 * - min/max: the first element with the field replaced by the extreme value; the accumulated
 *   value is replaced unless it is strictly more extreme (Java `compareTo`, so -0 < 0);
 * - minBy/maxBy: the element with the extreme value; on a tie the first (or, with
 *   `first = false`, the later) one.
 * @internal
 */

export type Acc<E> =
  | { readonly kind: 'leaf'; readonly e: E }
  | { readonly kind: 'add'; readonly acc: Acc<E>; readonly e: E }
  | { readonly kind: 'merge'; readonly target: Acc<E>; readonly source: Acc<E> };

export const leaf = <E>(e: E): Acc<E> => ({ kind: 'leaf', e });
export const addTo = <E>(acc: Acc<E> | undefined, e: E): Acc<E> => (acc === undefined ? leaf(e) : { kind: 'add', acc, e });
export const mergeAcc = <E>(target: Acc<E> | undefined, source: Acc<E>): Acc<E> =>
  target === undefined ? source : { kind: 'merge', target, source };

/** The elements in state order. */
export function elementsOf<E>(acc: Acc<E>): E[] {
  const out: E[] = [];
  const walk = (a: Acc<E>): void => {
    if (a.kind === 'leaf') out.push(a.e);
    else if (a.kind === 'add') {
      walk(a.acc);
      out.push(a.e);
    } else {
      walk(a.target);
      walk(a.source);
    }
  };
  walk(acc);
  return out;
}

export interface Fold<E, A> {
  init(e: E): A;
  add(acc: A, e: E): A;
  merge(target: A, source: A): A;
}

export function fold<E, A>(acc: Acc<E>, f: Fold<E, A>): A {
  if (acc.kind === 'leaf') return f.init(acc.e);
  if (acc.kind === 'merge') return f.merge(fold(acc.target, f), fold(acc.source, f));
  // Long add chains: walk down iteratively, then fold upwards.
  const chain: E[] = [];
  let a: Acc<E> = acc;
  while (a.kind === 'add') {
    chain.push(a.e);
    a = a.acc;
  }
  let result = fold(a, f);
  for (let i = chain.length - 1; i >= 0; i--) result = f.add(result, chain[i]!);
  return result;
}

/** Java's `Double.compare` (numbers) / `compareTo` (strings, bigints, dates by value). */
export function javaCompare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
    if (a !== b) return a < b ? -1 : 1;
    if (a === 0) return Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1;
    return 0;
  }
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}

type Field = string | number;
const get = (e: unknown, f: Field): unknown => (e as Record<Field, unknown>)[f];
const withField = <E>(e: E, f: Field, v: unknown): E => (Array.isArray(e) ? (Object.assign(e.slice(), { [f]: v }) as E) : ({ ...(e as object), [f]: v } as E));

interface FirstAnd {
  readonly first: unknown;
  readonly v: unknown;
}

export function sumOf<E>(acc: Acc<E>, f: Field): E {
  const r = fold<E, FirstAnd>(acc, {
    init: (e) => ({ first: e, v: get(e, f) }),
    add: (a, e) => ({ first: a.first, v: (a.v as number) + (get(e, f) as number) }),
    merge: (t, s) => ({ first: t.first, v: (t.v as number) + (s.v as number) }),
  });
  return withField(r.first as E, f, r.v);
}

export function extremeOf<E>(acc: Acc<E>, f: Field, sign: 1 | -1): E {
  const keep = (cur: unknown, cand: unknown) => (javaCompare(cur, cand) * sign > 0 ? cur : cand);
  const r = fold<E, FirstAnd>(acc, {
    init: (e) => ({ first: e, v: get(e, f) }),
    add: (a, e) => ({ first: a.first, v: keep(a.v, get(e, f)) }),
    merge: (t, s) => ({ first: t.first, v: keep(t.v, s.v) }),
  });
  return withField(r.first as E, f, r.v);
}

export function extremeByOf<E>(acc: Acc<E>, f: Field, sign: 1 | -1, first: boolean): E {
  const pick = (cur: E, cand: E): E => {
    const c = javaCompare(get(cur, f), get(cand, f)) * sign;
    return c < 0 || (c === 0 && !first) ? cand : cur;
  };
  return fold<E, E>(acc, { init: (e) => e, add: pick, merge: pick });
}
