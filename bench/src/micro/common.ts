/**
 * What the micro cases share: the result record of keyed aggregations, its hash, the weir
 * environment factory (optionally checkpointing into a fresh temporary directory) and the
 * event-time watermark strategy of pre-generated events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamEnvironment, WatermarkStrategy } from '@weir/core';
import type { KeyedEvent } from '../data/keyed-events.js';
import { hash3 } from '../harness/digest.js';

/** A keyed aggregate as the hand-written loops and RxJS emit it (weir emits the first element with `value` replaced). */
export interface KeyedResult {
  readonly key: number;
  readonly value: number;
}

/**
 * Hash of a windowed keyed result: key, aggregate and the window timestamp it was emitted with.
 *
 * @example
 * ```ts
 * new DigestWriter(digest, hashWindowResult).write({ key: 1, value: 5 }, windowEnd - 1);
 * ```
 */
export const hashWindowResult = (r: KeyedResult, timestamp: number): number => hash3(r.key, r.value, timestamp);

/**
 * Event time from the `ts` field, watermark = max timestamp - 1 (in-order input).
 *
 * @example
 * ```ts
 * env.fromCollection(events).assignTimestampsAndWatermarks(eventTime());
 * ```
 */
export function eventTime(): WatermarkStrategy<KeyedEvent> {
  return WatermarkStrategy.forMonotonousTimestamps<KeyedEvent>().withTimestampAssigner((e) => e.ts);
}

/** A weir environment, checkpointing every `intervalMs` into a temporary directory when asked. */
export interface BenchEnv {
  readonly env: StreamEnvironment;
  /** The checkpoint directory, when checkpointing. */
  readonly dir: string | undefined;
  /** Removes the checkpoint directory. */
  dispose(): void;
}

/**
 * Creates the environment of one weir run.
 *
 * @example
 * ```ts
 * const { env, dispose } = benchEnv(1000); // checkpoint every second
 * try { ...; await env.execute(); } finally { dispose(); }
 * ```
 */
export function benchEnv(checkpointIntervalMs?: number, keepDir = false): BenchEnv {
  if (checkpointIntervalMs === undefined) return { env: StreamEnvironment.create(), dir: undefined, dispose: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-'));
  const env = StreamEnvironment.create({ checkpointing: { intervalMs: checkpointIntervalMs, dir } });
  return { env, dir, dispose: () => (keepDir ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

/**
 * Runs a weir job built by `build`, removing its checkpoint directory afterwards.
 *
 * @example
 * ```ts
 * await runWeir(1000, (env) => env.fromCollection(events).keyBy('key').sum('value').sinkTo(sink));
 * ```
 */
export async function runWeir(checkpointIntervalMs: number | undefined, build: (env: StreamEnvironment) => void): Promise<void> {
  const b = benchEnv(checkpointIntervalMs);
  try {
    build(b.env);
    await b.env.execute('bench');
  } finally {
    b.dispose();
  }
}

/**
 * `ts - (ts mod size)` for non-negative timestamps: the start of the tumbling window.
 *
 * @example
 * ```ts
 * windowStart(1999, 1000); // 1000
 * ```
 */
export function windowStart(ts: number, size: number): number {
  return ts - (ts % size);
}
