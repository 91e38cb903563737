/**
 * The child process of the fault driver: runs one fault pipeline from a FileSource to a
 * FileSink with incremental checkpointing (chains of deltas) and `restore: 'latest'`, and exits 0
 * when the bounded input is done. The driver kills it (SIGKILL) at random instants, or arms
 * failpoints (WEIR_FAILPOINTS, turned into the hooks the engine is given here); a negative
 * control (WEIR_TEST_BROKEN) runs the job on a deliberately broken storage.
 */
import { DirectoryCheckpointStorage, StreamEnvironment } from '@weir/core';
import { FileSink, FileSource } from '@weir/connectors';
import { PIPELINES } from '../pipelines/index.js';
import { brokenStorage } from '../support/broken-storages.js';
import { killAtFailpoints } from '../support/fault-hooks.js';
import type { ChildConfig } from './child-config.js';
import { paced } from './paced-source.js';

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const pipeline = PIPELINES[cfg.pipeline];
if (!pipeline) throw new Error(`unknown pipeline '${cfg.pipeline}'`);

const burn = (line: string): string => {
  const until = performance.now() + cfg.cpuPerLineMs;
  while (performance.now() < until);
  return line;
};

const logger = { info: () => {}, warn: (m: string) => process.stderr.write(`WARN ${m}\n`) };
const faults = killAtFailpoints(process.env.WEIR_FAILPOINTS);
const directory = new DirectoryCheckpointStorage(cfg.checkpointDir, { retain: 2, logger, faults });
const broken = process.env.WEIR_TEST_BROKEN;
const env = StreamEnvironment.create({
  checkpointing: { intervalMs: cfg.intervalMs, storage: broken ? brokenStorage(broken, directory) : directory, fullEvery: cfg.fullEvery ?? 4, chainAlways: true },
  restore: 'latest',
  restartStrategy: { attempts: 0 },
  logger,
  faults,
});
const input = paced(FileSource.lines(cfg.input, { chunkBytes: 4096 }), cfg.linesPerTick, cfg.tickMs);
const lines = env.fromSource(input).uid('input').map(burn).uid('cpu');
pipeline.build(lines).sinkTo(FileSink.lines(cfg.outDir)).uid('output');
const result = await env.execute(cfg.pipeline);
process.stdout.write(`${JSON.stringify({ checkpoints: result.checkpoints.completed, restoredFrom: result.restoredFrom?.checkpointId ?? null })}\n`);
process.exit(0);
