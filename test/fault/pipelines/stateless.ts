/** Stateless map/filter: exactly-once here is purely about source positions and the sink. */
import type { Ev } from './events.js';
import { parseLine } from './events.js';
import type { FaultPipeline } from './pipeline.js';

const keep = (e: Ev) => e.v % 3 !== 0;
const format = (e: Ev) => `${e.k}|${e.ts}|${e.v * 2}`;

export const stateless: FaultPipeline = {
  name: 'stateless map/filter',
  build: (lines) => lines.map(parseLine).filter(keep).map(format),
  model: (events) => events.filter(keep).map(format),
};
