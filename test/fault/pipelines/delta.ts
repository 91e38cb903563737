/**
 * The seed's delta policy per key: the reference starts at the initial value; an element more
 * than THRESHOLD away from the reference closes the window without itself and becomes the new
 * reference; the last partial window is emitted at the end of input.
 */
import type { Collector } from '@weir/core';
import { Delta } from '@weir/windows';
import { byKey, type Ev, parseLine } from './events.js';
import { type FaultPipeline, sumOf } from './pipeline.js';

const THRESHOLD = 12;
const INITIAL: Ev = { k: '', v: 100, ts: 0 };
const format = (xs: readonly Ev[]) => `${xs[0]!.k}|${xs[0]!.ts}|${xs.length}|${sumOf(xs)}`;

export const delta: FaultPipeline = {
  name: 'delta window',
  build: (lines) =>
    lines
      .map(parseLine)
      .keyBy('k')
      .window(Delta.of(THRESHOLD, (a: Ev, b: Ev) => Math.abs(b.v - a.v), INITIAL))
      .mapWindow((xs: readonly Ev[], out: Collector<string>) => out.collect(format(xs))),
  model: (events) => {
    const out: string[] = [];
    for (const evs of byKey(events).values()) {
      let ref = INITIAL;
      let cur: Ev[] = [];
      for (const e of evs) {
        if (Math.abs(e.v - ref.v) > THRESHOLD) {
          if (cur.length > 0) out.push(format(cur));
          ref = e;
          cur = [e];
        } else cur.push(e);
      }
      if (cur.length > 0) out.push(format(cur));
    }
    return out;
  },
};
