/**
 * Runs the application for the command line: builds the job from the options, attaches the
 * terminal view (and, with a checkpoint directory, the committed output), handles Ctrl-C, and
 * returns the process exit code (0 done, 1 failed, 130 stopped).
 */
import { join } from 'node:path';
import { JobCancelledError, type LogFields } from '@weir/core';
import { createStockJob } from './app.js';
import type { CliOptions } from './cli.js';
import { CommittedLinesSink } from './committed-sink.js';
import { TICK_MS } from './market-clock.js';
import { toJsonLine } from './results.js';
import { ResultPrinter, type TextOut } from './view/printer.js';
import { clockTime } from './view/render.js';
import { ViewSink } from './view/view-sink.js';

/**
 * The process around a run.
 *
 * @example
 * ```ts
 * const io: RunIo = { stdout: process.stdout, stderr: process.stderr };
 * ```
 */
export interface RunIo {
  readonly stdout: TextOut & { readonly isTTY?: boolean };
  readonly stderr: TextOut;
  /** Subscribes to stop requests (SIGINT, SIGTERM); returns the unsubscribe function. */
  readonly onStop?: (stop: () => void) => () => void;
}

/**
 * Exit code after a stop request (128 + SIGINT).
 *
 * @example
 * ```ts
 * if ((await runStock(options, io)) === STOPPED) console.error('stopped');
 * ```
 */
export const STOPPED = 130;

/**
 * @example
 * ```ts
 * const parsed = parseCli(process.argv.slice(2));
 * if ('options' in parsed) process.exitCode = await runStock(parsed.options, { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runStock(o: CliOptions, io: RunIo): Promise<number> {
  const mode = o.output ?? (io.stdout.isTTY ? 'live' : 'plain');
  const marketMs = o.durationSec * 1000 * o.rate;
  const notes: string[] = [];
  let printer: ResultPrinter | undefined;
  // Nothing but the printer writes to a live view's terminal (a line across it would be drawn
  // over); in JSON mode standard output is data, so messages go to standard error.
  const say = (m: string) => {
    if (mode === 'json') io.stderr.write(`${m}\n`);
    else if (printer) printer.note(m);
    else notes.push(m);
  };
  // The job's lifecycle log (lines with an `event` field: job started, checkpoint N completed,
  // ...) goes to the view's status line, the latest replacing the last; other messages (a restore,
  // a skipped checkpoint) stay as notes.
  const log = (m: string, fields?: LogFields) => {
    if (m.includes(' dashboard: http')) return; // printed by onWebServer below (also in --json mode), not twice
    if (fields?.['event'] !== undefined && printer && mode !== 'json') printer.log(m);
    else say(m);
  };
  const job = createStockJob({
    seed: o.seed,
    marketMs,
    rate: o.rate,
    time: o.time,
    ...(o.socket ? { socket: o.socket } : {}),
    ...(o.checkpointDir !== undefined ? { checkpointDir: o.checkpointDir } : {}),
    logger: { info: (m, fields) => log(m, fields), warn: (m, fields) => log(`warning: ${m}`, fields) },
    ...(o.web
      ? {
          web: o.web,
          onWebServer: (url: string) => {
            const line = `dashboard: ${url}  (Prometheus: ${url}metrics)`;
            if (mode === 'json') io.stderr.write(`${line}\n`);
            else say(line);
          },
        }
      : {}),
  });
  const clock = job.clock!;
  const title = [
    `weir stock prices · seed ${o.seed}${o.randomSeed ? ' (random; --seed to repeat)' : ''}`,
    `${o.rate}x`,
    `${o.time} time`,
    Number.isFinite(marketMs) ? `market ${clockTime(job.start)}-${clockTime(job.end)}` : 'until Ctrl-C',
    ...(o.socket ? [`socket ${o.socket.host}:${o.socket.port}`] : []),
    ...(o.checkpointDir !== undefined ? [`checkpoints ${o.checkpointDir}`] : []),
  ].join(' · ');
  // Processing-time windows fire on clock ticks, a little after the ingestion watermark.
  const lagMs = o.time === 'processing' ? 3 * TICK_MS * o.rate + 1000 : 0;
  printer = new ResultPrinter(
    io.stdout,
    mode,
    () => ({ title, marketNow: Math.min(clock.now(), job.end), progress: (clock.now() - job.start) / marketMs, notes: [] }),
    lagMs,
  );
  if (mode === 'plain') io.stdout.write(`${title}\n\n`);
  for (const n of notes) printer.note(n);
  let results = 0;
  job.results.sinkTo(new ViewSink(printer)).name('terminal').uid('terminal');
  if (o.checkpointDir !== undefined) {
    job.results
      .map((r) => {
        results++;
        return r;
      })
      .sinkTo(new CommittedLinesSink(join(o.checkpointDir, 'results'), toJsonLine))
      .name('committed results')
      .uid('committed-results');
  }
  const stop = new AbortController();
  const unsubscribe = io.onStop?.(() => stop.abort(new Error('stopped by the user')));
  const started = performance.now();
  try {
    const result = await job.env.execute({
      jobName: 'stock prices',
      signal: stop.signal,
    });
    printer.finish();
    const wall = ((performance.now() - started) / 1000).toFixed(1);
    if (mode !== 'json') {
      const committed = o.checkpointDir !== undefined ? `; ${result.checkpoints.completed} checkpoints, committed results in ${join(o.checkpointDir, 'results')}` : '';
      io.stdout.write(`done in ${wall} s: ${printer.state.warnings} price warnings, ${printer.state.deadLetters} dead letters${committed}\n`);
      if (result.restoredFrom && results === 0) {
        io.stdout.write(`(the checkpoint directory holds a finished run; use a new --checkpoint-dir to start over)\n`);
      }
    }
    return 0;
  } catch (e) {
    printer.finish(false);
    if (e instanceof JobCancelledError || stop.signal.aborted) {
      const resume = o.checkpointDir !== undefined ? `; run the same command again to continue from the last checkpoint in ${o.checkpointDir}` : '';
      io.stderr.write(`stopped at market time ${clockTime(clock.now())}${resume}\n`);
      return STOPPED;
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    unsubscribe?.();
  }
}
