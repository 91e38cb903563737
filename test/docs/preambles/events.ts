// Preamble `events` (docs/README.md, "About the code samples"): vitest's `expect`, the
// @weir/testing kit, the window assigners, and `events`: one event stream drawn from
// arbEventStream (seeded, with disorder and late events), typed TestEvent[].
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DataStream } from '@weir/core';
import { arbEventStream, expectResults, runPipeline, type TestEvent, windowModel } from '@weir/testing';
import { EventTimeSessionWindows, SlidingEventTimeWindows, TumblingEventTimeWindows } from '@weir/windows';
const [events = []] = fc.sample(arbEventStream({ minLength: 10, maxDisorderMs: 300, lateFraction: 0.1 }), { numRuns: 1, seed: 7 });
