/**
 * Model of keyed count windows (modern Flink, `countWindow`, flink-semantics.md §1.2):
 *
 * - `countWindow(size)`: every `size`-th element of a key fires a window of the last `size`
 *   elements, which are then purged; a partial window at the end of input is not emitted.
 * - `countWindow(size, slide)`: every `slide`-th element of a key fires a window of the last
 *   `min(size, n)` elements (the count evictor drops older ones before the function, for good);
 *   nothing is purged.
 *
 * Count windows are global windows: nothing is ever late. Results carry weir's global-window
 * timestamp: the largest timestamp among the elements the result is computed from (Flink uses
 * Long.MAX_VALUE, which weir replaces so that results can be windowed by event time again).
 * @internal
 */
import { type Acc, addTo } from './accumulation.js';
import type { Firing, Simulation } from './firing.js';

export function simulateCountWindows<E>(
  events: readonly E[],
  size: number,
  slide: number | undefined,
  keyOf: (e: E) => unknown,
  timestampOf: (e: E) => number,
): Simulation<E> {
  const firings: Firing<E>[] = [];
  const perKey = new Map<string, { buffer: E[]; count: number }>();
  for (const e of events) {
    if (!Number.isFinite(timestampOf(e))) continue;
    const key = keyOf(e);
    const id = JSON.stringify(key) ?? String(key);
    let k = perKey.get(id);
    if (k === undefined) {
      k = { buffer: [], count: 0 };
      perKey.set(id, k);
    }
    k.buffer.push(e);
    k.count++;
    const every = slide ?? size;
    if (k.count < every) continue;
    k.count = 0;
    if (k.buffer.length > size) k.buffer.splice(0, k.buffer.length - size);
    let acc: Acc<E> | undefined;
    for (const x of k.buffer) acc = addTo(acc, x);
    let stamp = Number.NEGATIVE_INFINITY;
    for (const x of k.buffer) stamp = Math.max(stamp, timestampOf(x));
    firings.push({ key, start: undefined, end: undefined, timestamp: stamp, acc: acc! });
    if (slide === undefined) {
      k.buffer = [];
    }
  }
  return { firings, late: [] };
}
