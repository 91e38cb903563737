/** The seed's `window(Count.of(7))` per key: windows of 7 elements, the partial last one at the end. */
import type { Collector } from '@weir/core';
import { Count } from '@weir/windows';
import { byKey, type Ev, parseLine } from './events.js';
import { type FaultPipeline, sumOf } from './pipeline.js';

const N = 7;
const format = (xs: readonly Ev[]) => `${xs[0]!.k}|${xs[0]!.ts}|${xs.length}|${sumOf(xs)}`;

export const count: FaultPipeline = {
  name: 'count window',
  build: (lines) =>
    lines
      .map(parseLine)
      .keyBy('k')
      .window(Count.of(N))
      .mapWindow((xs: readonly Ev[], out: Collector<string>) => out.collect(format(xs))),
  model: (events) => {
    const out: string[] = [];
    for (const evs of byKey(events).values()) for (let i = 0; i < evs.length; i += N) out.push(format(evs.slice(i, i + N)));
    return out;
  },
};
