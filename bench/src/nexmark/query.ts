/**
 * The shape of a Nexmark query in the suite: a weir job over {@link NexmarkSource} and a
 * hand-written JavaScript version fused with the generator (one loop that generates an event and
 * processes it at once: the ceiling), both writing results to a digest; plus Flink's published
 * per-core throughput for context (nexmark/nexmark README, Flink 1.13, 8 x 8-core workers: not
 * comparable, it includes serialisation, network and RocksDB).
 */
import type { DataStream } from '@weir/core';
import type { Digest } from '../harness/digest.js';
import { runWeir } from '../micro/common.js';
import type { NexmarkConfig } from './generator.js';
import type { NexmarkEvent } from './model.js';
import { NexmarkSource } from './source.js';

/** One query. */
export interface NexmarkQuery {
  readonly id: string;
  readonly title: string;
  /** Flink 1.13's events/s per core (nexmark/nexmark README), if published. */
  readonly flinkPerCore: number | undefined;
  /** Builds the weir job on the given event stream (results into `digest`). */
  weir(events: DataStream<NexmarkEvent>, digest: Digest): void;
  /** The hand-written version: generates `n` events with the config and processes them inline. */
  hand(config: NexmarkConfig, n: number, digest: Digest): void;
}

/**
 * Runs a query's weir job over `n` events.
 *
 * @example
 * ```ts
 * await runWeirQuery(q5, { firstEventRate: 100_000 }, 1_000_000, digest);
 * ```
 */
export function runWeirQuery(query: NexmarkQuery, config: NexmarkConfig, n: number, digest: Digest): Promise<void> {
  return runWeir(undefined, (env) => query.weir(env.fromSource(new NexmarkSource(config, n)), digest));
}
