/**
 * Async I/O: each event is enriched by a simulated service (a promise that resolves after 0-2 ms,
 * so results complete out of order) through an ordered mapAsync of capacity 8. Exactly-once here
 * means the elements in flight at a checkpoint are in it and are called again after a restore.
 */
import type { Ev } from './events.js';
import { parseLine } from './events.js';
import type { FaultPipeline } from './pipeline.js';

const enrich = (e: Ev) => `${e.k}|${e.ts}|${e.v * 7}`;
const service = (e: Ev) => new Promise<string>((resolve) => setTimeout(() => resolve(enrich(e)), Math.floor(Math.random() * 3)));

export const asyncEnrich: FaultPipeline = {
  name: 'ordered mapAsync against a simulated service',
  build: (lines) => lines.map(parseLine).mapAsync(service, { capacity: 8 }).uid('enrich'),
  model: (events) => events.map(enrich),
};
