/**
 * Every option of `StreamEnvironment.create()` that cannot work is refused there, with a
 * ConfigError that names the option, the value and the fix, before anything runs. (Checks that
 * need the file system, such as a checkpoint directory that cannot be written, run when the job
 * starts: runtime/execute-job.ts.)
 */
import { ConfigError } from '../errors.js';
import { MAX_KEY_GROUPS } from '../state/key-groups.js';
import type { StreamEnvironmentOptions } from './stream-environment.js';

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const isDuration = (v: unknown, min: number): boolean => typeof v === 'number' && v >= min && Number.isFinite(v);

/** @internal Throws a ConfigError for the first unusable option. */
export function validateOptions(o: StreamEnvironmentOptions): void {
  const cp = o.checkpointing;
  if (cp !== undefined) {
    const { intervalMs, retain, dir } = cp;
    if (!isDuration(intervalMs, Number.MIN_VALUE)) {
      throw new ConfigError(
        `checkpointing.intervalMs must be a positive, finite number of milliseconds (got ${shown(intervalMs)}); e.g. intervalMs: 1000 takes a checkpoint every second`,
      );
    }
    if (retain !== undefined && !(Number.isInteger(retain) && retain >= 1)) {
      throw new ConfigError(`checkpointing.retain must be a whole number, 1 or more (got ${shown(retain)}); e.g. retain: 3 keeps the newest three checkpoints (the default)`);
    }
    if (dir !== undefined && (typeof dir !== 'string' || dir === '')) {
      throw new ConfigError(`checkpointing.dir must be a directory path (got ${shown(dir)}); e.g. dir: './checkpoints' (the default)`);
    }
  }
  if (o.restore === 'latest' && cp === undefined) {
    throw new ConfigError(`restore: 'latest' needs checkpointing (its dir is where checkpoints are looked for)`);
  }
  const rs = o.restartStrategy;
  if (rs !== undefined) {
    if (!(Number.isInteger(rs.attempts) && rs.attempts >= 0)) {
      throw new ConfigError(
        `restartStrategy.attempts must be a whole number, 0 or more (got ${shown(rs.attempts)}); e.g. attempts: 3 restarts a failed job up to three times, 0 never restarts it`,
      );
    }
    if (rs.delayMs !== undefined && !isDuration(rs.delayMs, 0)) {
      throw new ConfigError(
        `restartStrategy.delayMs must be a finite number of milliseconds, 0 or more (got ${shown(rs.delayMs)}); e.g. delayMs: 500 waits half a second before each restart`,
      );
    }
  }
  const { maxParallelism, autoWatermarkIntervalMs } = o;
  if (maxParallelism !== undefined && !(Number.isInteger(maxParallelism) && maxParallelism >= 1 && maxParallelism <= MAX_KEY_GROUPS)) {
    throw new ConfigError(
      `maxParallelism must be a whole number of key groups from 1 to ${MAX_KEY_GROUPS} (got ${shown(maxParallelism)}); leave it out for Flink's default of 128`,
    );
  }
  if (autoWatermarkIntervalMs !== undefined && !isDuration(autoWatermarkIntervalMs, 0)) {
    throw new ConfigError(
      `autoWatermarkIntervalMs must be a finite number of milliseconds, 0 or more (got ${shown(autoWatermarkIntervalMs)}); 0 turns periodic watermarks off`,
    );
  }
  if (o.web !== undefined && !(Number.isInteger(o.web.port) && o.web.port >= 0 && o.web.port <= 65_535)) {
    throw new ConfigError(`web.port must be a TCP port from 0 to 65535 (got ${shown(o.web.port)}); 0 picks a free port`);
  }
}
