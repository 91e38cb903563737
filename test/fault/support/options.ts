/** Driver options from the environment, with the CI defaults. */
import { PIPELINES } from '../pipelines/index.js';
import type { DriverOptions } from './driver.js';

const num = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

/**
 * FAULT_SEED (default: a fixed seed, so CI is reproducible), FAULT_SCHEDULES (random-kill
 * schedules per pipeline), FAULT_EVENTS (input lines per pipeline), FAULT_CONCURRENCY,
 * FAULT_PIPELINES (comma-separated ids).
 */
export function driverOptionsFromEnv(log: (line: string) => void): DriverOptions {
  return {
    seed: num('FAULT_SEED', 20_240_601),
    schedulesPerPipeline: num('FAULT_SCHEDULES', 32),
    events: num('FAULT_EVENTS', 2000),
    concurrency: num('FAULT_CONCURRENCY', 2),
    pipelines: process.env.FAULT_PIPELINES ? process.env.FAULT_PIPELINES.split(',') : Object.keys(PIPELINES),
    failpointRounds: num('FAULT_FAILPOINT_ROUNDS', 2),
    negativeSchedules: num('FAULT_NEGATIVE_SCHEDULES', 4),
    log,
  };
}
