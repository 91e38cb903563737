/**
 * Before any crash: each fault pipeline, run in-process without failures, equals its model. A
 * failure here is a semantics bug, not a fault-tolerance one, and would make the kill suite's
 * comparisons meaningless.
 */
import { describe, expect, it } from 'vitest';
import { StreamEnvironment } from '@weir/core';
import { generateEvents, toLine } from './pipelines/events.js';
import { PIPELINES } from './pipelines/index.js';

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('fault pipelines equal their models when nothing fails', () => {
  for (const [id, p] of Object.entries(PIPELINES)) {
    it(`${id}`, async () => {
      for (const seed of [1, 2, 3]) {
        const events = generateEvents(seed * 7919, 1500);
        const env = StreamEnvironment.create();
        const out = p.build(env.fromCollection(events.map(toLine))).collect();
        await env.execute();
        expect(sorted(out.items())).toEqual(sorted(p.model(events)));
      }
    });
  }
});
