/**
 * Runs the pipeline for the command line: reads the policy (a bad one is reported with its line
 * and exit code 2), builds the job (watching the policy file: a change applies while the job
 * runs, a bad change is refused and the old policy stays), attaches the terminal view, handles
 * Ctrl-C, and returns the exit code (0 done, 1 failed, 2 bad policy, 130 stopped).
 */
import { readFileSync } from 'node:fs';
import { AuditPolicy, AuditPolicyError } from '@weir/connectors';
import { JobCancelledError } from '@weir/core';
import type { RunOptions } from './cli.js';
import { type AuditJob, createAuditJob } from './pipeline/job.js';
import { AuditView, type TextOut, ViewSink } from './view/view-sink.js';

/** Simulated time of the first generated request: 2024-03-05 10:00:00 UTC. @example `new Date(GENERATOR_START)` */
export const GENERATOR_START = Date.UTC(2024, 2, 5, 10, 0, 0);

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
  /** Called once forwarders can connect (with --listen), with the bound address. */
  readonly onListening?: (address: { host: string; port: number }) => void;
}

/**
 * @example
 * ```ts
 * process.exitCode = await runAudit(options, { stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runAudit(o: RunOptions, io: RunIo): Promise<number> {
  let policy: AuditPolicy;
  let policyText: string;
  try {
    policy = AuditPolicy.fromFile(o.policy);
    policyText = readFileSync(o.policy, 'utf8');
  } catch (e) {
    io.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof AuditPolicyError ? 2 : 1;
  }
  const mode = o.output ?? (io.stdout.isTTY ? 'live' : 'plain');
  const input = o.listen
    ? { kind: 'listen' as const, port: o.listen.port, options: { host: o.listen.host, ...(o.token ? { token: o.token } : {}), ...(o.tls ? { tls: o.tls } : {}) } }
    : {
        kind: 'generate' as const,
        seed: o.seed,
        start: GENERATOR_START,
        end: o.durationSec === 0 ? Number.POSITIVE_INFINITY : GENERATOR_START + o.durationSec * o.speed * 1000,
        requestsPerSecond: o.rate,
        speed: o.speed,
      };
  // On a terminal the live view shows the job's log in its status line: a line written to the
  // terminal between two frames would be wiped by the next. Otherwise warnings go to standard
  // error and info lines (job started, checkpoint N completed) are not printed.
  let view: AuditView | undefined;
  const job: AuditJob = await createAuditJob({
    dataDir: o.dataDir,
    policy,
    watchPolicy: { file: o.policy, text: policyText },
    input,
    logger: {
      info: (m) => (mode === 'live' ? view?.log(m) : undefined),
      warn: (m) => (mode === 'live' && view ? view.log(`warning: ${m}`) : io.stderr.write(`warning: ${m}\n`)),
    },
  });
  const title = [
    'weir k8s audit',
    `policy ${o.policy} (${policy.rules.length} rules, watched)`,
    o.listen ? `forwarders on ${o.listen.host}:${o.listen.port}${o.token ? ' (token)' : ''}${o.tls ? ' (TLS)' : ''}` : `generated: seed ${o.seed}, ${o.rate} req/s, ${o.speed}x`,
    `store ${job.storeRoot} audit/events`,
  ].join(' · ');
  const extra = () => {
    const s = job.lineServer?.stats();
    return s ? `forwarders: ${s.open} connected, ${s.lines} lines, ${s.refused} refused${s.refused > 0 ? ` (${Object.entries(s.refusedByReason).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''}` : '';
  };
  view = new AuditView(io.stdout, mode, title, extra);
  if (mode === 'plain') io.stdout.write(`${title}\n\n`);
  job.reports.sinkTo(new ViewSink(view)).name('terminal').uid('terminal');
  if (job.lineServer && io.onListening) void job.lineServer.listening().then(io.onListening);
  else if (job.lineServer) void job.lineServer.listening().then((a) => io.stderr.write(`listening for forwarders on ${a.host}:${a.port}\n`));
  const stop = new AbortController();
  const unsubscribe = io.onStop?.(() => stop.abort(new Error('stopped by the user')));
  const started = performance.now();
  try {
    const result = await job.env.execute({ jobName: 'k8s audit', signal: stop.signal });
    view.finish();
    if (mode !== 'json') {
      const restored = result.restoredFrom ? `, continued from checkpoint ${result.restoredFrom.checkpointId}` : '';
      io.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s${restored}; ${result.checkpoints.completed} checkpoints; events stored in ${job.storeRoot} (scope audit, stream events)\n`);
    }
    return 0;
  } catch (e) {
    view.finish();
    if (e instanceof JobCancelledError || stop.signal.aborted) {
      io.stderr.write(`stopped; run the same command again to continue from the last checkpoint in ${o.dataDir}\n`);
      return 130;
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    unsubscribe?.();
  }
}
