/**
 * The application assembled: input (generated events, or forwarders on a TCP port), repeated
 * events dropped, the audit policy applied, the kept events stored in the embedded stream store
 * (scope `audit`, stream `events`, routing key the namespace), and the reports. Checkpointing is
 * on: the store sink commits per checkpoint, and a restarted run continues from the newest
 * checkpoint in `<dataDir>/checkpoints` with nothing stored twice.
 *
 * The policy can change while the job runs: with `watchPolicy`, the policy file's new texts are
 * broadcast to the operator that applies the policy (live-policy.ts), which switches to a valid
 * one and refuses a bad one, and the reports say which policy applied from which event time.
 */
import { join } from 'node:path';
import {
  type AuditEvent,
  type AuditPolicy,
  auditEventTimestamp,
  LineServerSource,
  type LineServerSourceOptions,
  parseK8sAuditEvents,
  StreamManager,
  StreamStoreSink,
} from '@weir/connectors';
import { DEAD_LETTERS, type DataStream, type DeadLetter, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { GeneratedAuditSource } from '../sources/generated-audit-source.js';
import { type PolicyUpdate, PolicyFileSource } from '../sources/policy-file-source.js';
import { livePolicy, POLICY_REPORTS, POLICY_STATE } from './live-policy.js';
import { Pacer } from '../sources/pacer.js';
import { DUPLICATES, dedupAuditEvents } from './dedup.js';
import { auditReports } from './reports.js';
import type { AuditReport } from './results.js';

/** Where stored events go. @example `new StreamManager(join(dataDir, 'streams'))` */
export const STORE = { scope: 'audit', stream: 'events', segments: 4 } as const;

/**
 * Generated input.
 *
 * @example
 * ```ts
 * const g: GeneratedInput = { kind: 'generate', seed: 42, start: Date.UTC(2024, 2, 5, 10), end: Date.UTC(2024, 2, 5, 10, 10), requestsPerSecond: 20, speed: 20 };
 * ```
 */
export interface GeneratedInput {
  readonly kind: 'generate';
  readonly seed: number;
  /** Simulated start and end (exclusive), ms. */
  readonly start: number;
  readonly end: number;
  readonly requestsPerSecond: number;
  /** Simulated ms per wall ms; Infinity: as fast as possible. */
  readonly speed: number;
}

/**
 * Forwarders on a TCP port (`tail -F audit.log | nc 127.0.0.1 PORT`).
 *
 * @example
 * ```ts
 * const l: ListenInput = { kind: 'listen', port: 5170, options: { token: 's3cret' } };
 * ```
 */
export interface ListenInput {
  readonly kind: 'listen';
  readonly port: number;
  readonly options: LineServerSourceOptions;
}

/**
 * @example
 * ```ts
 * const job = await createAuditJob({ dataDir: './audit-data', policy, input });
 * ```
 */
export interface AuditJobConfig {
  /** Checkpoints in `<dataDir>/checkpoints`, the stream store in `<dataDir>/streams`. */
  readonly dataDir: string;
  readonly policy: AuditPolicy;
  /**
   * Watch the policy's file and apply its changes while the job runs: `text` is the content the
   * job started with (`policy` parsed from it).
   */
  readonly watchPolicy?: { readonly file: string; readonly text: string; readonly pollMs?: number };
  readonly input: GeneratedInput | ListenInput;
  /** Wall ms between checkpoints (default 1000). */
  readonly checkpointEveryMs?: number;
  /** How long an event's identity is remembered to drop copies, event-time ms (default 1 h). */
  readonly dedupRetentionMs?: number;
  readonly logger?: { info(message: string): void; warn(message: string): void };
}

/**
 * @example
 * ```ts
 * const { env, reports } = await createAuditJob(config); reports.print(); await env.execute('k8s audit');
 * ```
 */
export interface AuditJob {
  readonly env: StreamEnvironment;
  readonly reports: DataStream<AuditReport>;
  /** The events as stored (after the policy). */
  readonly stored: DataStream<AuditEvent>;
  readonly lineServer: LineServerSource | undefined;
  readonly storeRoot: string;
}

/**
 * Builds the job; creates the store's scope and stream when they do not exist.
 *
 * @example
 * ```ts
 * const job = await createAuditJob({ dataDir: './audit-data', policy: AuditPolicy.fromFile('audit-policy.yaml'),
 *   input: { kind: 'listen', port: 5170, options: {} } });
 * await job.env.execute('k8s audit');
 * ```
 */
export async function createAuditJob(config: AuditJobConfig): Promise<AuditJob> {
  const storeRoot = join(config.dataDir, 'streams');
  const manager = new StreamManager(storeRoot);
  await manager.createScope(STORE.scope);
  await manager.createStream(STORE.scope, STORE.stream, { scalingPolicy: { minSegments: STORE.segments } });
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: config.checkpointEveryMs ?? 1000, dir: join(config.dataDir, 'checkpoints'), retain: 3 },
    restore: 'latest',
    ...(config.logger ? { logger: config.logger } : {}),
  });
  const { events, deadLetters, lineServer, inputEnded } = inputs(env, config.input);
  const timed = events
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AuditEvent>(2000).withTimestampAssigner(auditEventTimestamp))
    .name('stage time')
    .uid('timestamps');
  const unique = dedupAuditEvents(timed, config.dedupRetentionMs ?? 3_600_000);
  const policy = config.policy;
  const watch = config.watchPolicy;
  const updates = watch
    ? env.fromSource(new PolicyFileSource({ file: watch.file, initialText: watch.text, pollMs: watch.pollMs, endWhen: inputEnded }), 'policy file').uid('policy-file')
    : env.fromElements<PolicyUpdate>();
  const stored = unique
    .connect(updates.broadcast(POLICY_STATE))
    .process(livePolicy({ policy, file: watch?.file ?? 'audit policy', text: watch?.text }))
    .name('audit policy')
    .uid('policy');
  stored
    .sinkTo(
      new StreamStoreSink<AuditEvent>({ root: storeRoot, scope: STORE.scope, stream: STORE.stream, routingKey: (e) => e.objectRef?.namespace || '(cluster)', sinkId: 'k8s-audit' }),
    )
    .name('stream store audit/events')
    .uid('store');
  const duplicates = unique.getSideOutput(DUPLICATES).map((e): AuditReport => ({ kind: 'duplicate', auditID: e.auditID, stage: e.stage }));
  const reports = auditReports(unique, policy).merge(duplicates, stored.getSideOutput(POLICY_REPORTS), ...(deadLetters ? [deadLetters] : []));
  return { env, reports, stored, lineServer, storeRoot };
}

function inputs(env: StreamEnvironment, input: GeneratedInput | ListenInput): {
  events: DataStream<AuditEvent>;
  deadLetters: DataStream<AuditReport> | undefined;
  lineServer: LineServerSource | undefined;
  /** True once the input has ended (a watched policy file ends with it). */
  inputEnded: () => boolean;
} {
  const asReport = (d: DeadLetter): AuditReport => ({ kind: 'dead-letter', reason: d.reason, input: preview(d.input) });
  if (input.kind === 'generate') {
    const pacer = new Pacer(input.speed, input.start);
    const generated = new GeneratedAuditSource({ seed: input.seed, start: input.start, requestsPerSecond: input.requestsPerSecond }, input.end, pacer);
    const events = env.fromSource(generated, 'generated audit events').uid('generator');
    // The generator writes nothing but Events, and its side output would carry no watermarks (its
    // records have their own timestamps; the watermarks come after it), holding the view back.
    return { events, deadLetters: undefined, lineServer: undefined, inputEnded: () => generated.ended };
  }
  const lineServer = new LineServerSource(input.port, input.options);
  const lines = env.fromSource(lineServer, 'forwarders').uid('forwarders');
  const events = lines
    .map((l) => l.line)
    .process<AuditEvent>(parseK8sAuditEvents())
    .name('parse audit lines')
    .uid('parse');
  const deadLetters = lines.getSideOutput(DEAD_LETTERS).merge(events.getSideOutput(DEAD_LETTERS)).map(asReport);
  return { events, deadLetters, lineServer, inputEnded: () => false };
}

function preview(input: unknown): string {
  const s = typeof input === 'string' ? input : JSON.stringify(input) ?? String(input);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
