/**
 * The child process of the fault driver: runs one fault pipeline from a FileSource to a
 * FileSink with checkpointing and `restore: 'latest'`, and exits 0 when the bounded input is
 * done. The driver kills it (SIGKILL) at random instants or arms failpoints through
 * WEIR_FAILPOINTS; broken variants come through WEIR_TEST_BROKEN.
 */
import { StreamEnvironment } from '@weir/core';
import { FileSink, FileSource } from '@weir/connectors';
import { PIPELINES } from '../pipelines/index.js';
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

const env = StreamEnvironment.create({
  checkpointing: { intervalMs: cfg.intervalMs, dir: cfg.checkpointDir, retain: 2 },
  restore: 'latest',
  restartStrategy: { attempts: 0 },
  logger: { info: () => {}, warn: (m) => process.stderr.write(`WARN ${m}\n`) },
});
const input = paced(FileSource.lines(cfg.input, { chunkBytes: 4096 }), cfg.linesPerTick, cfg.tickMs);
const lines = env.fromSource(input).uid('input').map(burn).uid('cpu');
pipeline.build(lines).sinkTo(FileSink.lines(cfg.outDir)).uid('output');
const result = await env.execute(cfg.pipeline);
process.stdout.write(`${JSON.stringify({ checkpoints: result.checkpoints.completed, restoredFrom: result.restoredFrom?.checkpointId ?? null })}\n`);
process.exit(0);
