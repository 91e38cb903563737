/** What the driver tells a child job (passed as JSON in argv[2]). */
export interface ChildConfig {
  readonly pipeline: string;
  readonly input: string;
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly intervalMs: number;
  /** At most `linesPerTick` input lines per poll, then `tickMs` of pause: a run lasts long enough to be killed mid-way. */
  readonly linesPerTick: number;
  readonly tickMs: number;
  /** Busy CPU time per input line, ms (0: none), so that kills also land in the middle of processing. */
  readonly cpuPerLineMs: number;
  /**
   * Incremental checkpoints chained up to this many (a full one, then deltas), whatever the sizes
   * of the changes, so that crashes land on chains of deltas (default 4).
   */
  readonly fullEvery?: number;
}
