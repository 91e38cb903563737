/**
 * Small text helpers for the terminal tables: times, byte sizes, fixed-width columns.
 */

/** `10:03` (UTC) of an epoch ms. @example `hhmm(Date.UTC(2024, 2, 5, 10, 3)) // '10:03'` */
export const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
/** `10:03:12` (UTC). @example `hhmmss(0) // '00:00:00'` */
export const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/** `1.4 MB`, `312 kB`, `87 B`. @example `bytes(1_400_000) // '1.4 MB'` */
export function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** Left-aligned, cut with `…` when too long. @example `left('abcdef', 4) // 'abc…'` */
export function left(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);
}

/** Right-aligned. @example `right(42, 5) // '   42'` */
export const right = (v: string | number, width: number): string => String(v).padStart(width);

/** Two blocks of lines side by side. @example `sideBySide(['a'], ['b'], 4) // ['a   b']` */
export function sideBySide(a: readonly string[], b: readonly string[], widthA: number): string[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => `${(a[i] ?? '').padEnd(widthA)}${b[i] ?? ''}`.trimEnd());
}
