/**
 * A deterministic generator of realistic kube-apiserver audit events, recorded at level
 * RequestResponse (so a policy replayed over them has every body to keep or strip).
 *
 * Requests arrive as a Poisson process (`requestsPerSecond`, simulated time). Each request is
 * written as kube-apiserver writes it: a `RequestReceived` event, a `ResponseStarted` event for
 * long-running requests (watch, pods/log, pods/exec), then `ResponseComplete` — or `Panic` for
 * some 500s. Stage events of different requests interleave (a watch completes minutes after
 * it started), so events leave the generator through a small queue ordered by time.
 *
 * Worked example: alice's `get pods/web-5d8f7-q9hzt/log` at 10:00:01.000000 gives
 * RequestReceived at .000000, ResponseStarted at +3 ms and ResponseComplete at +0.4 s, all with
 * one auditID; meanwhile other requests' events fill the gaps.
 *
 * The whole state (random state, next arrival, queued events) is plain data: {@link snapshot}.
 */
import type { AuditEvent, AuditStage } from '@weir/connectors';
import { ACTORS, type Actor, type RequestTemplate } from './actors.js';
import { listBody, type ObjectTarget, objectBody, patchBody, statusBody } from './objects.js';
import { Random } from './random.js';

/**
 * @example
 * ```ts
 * const options: AuditGeneratorOptions = { seed: 42, start: Date.UTC(2024, 2, 5, 10), requestsPerSecond: 20 };
 * ```
 */
export interface AuditGeneratorOptions {
  readonly seed: number;
  /** Simulated time of the first request, ms since the epoch. */
  readonly start: number;
  /** Mean request arrival rate in simulated time. */
  readonly requestsPerSecond: number;
}

interface Queued {
  readonly micros: number;
  readonly seq: number;
  readonly event: AuditEvent;
}

/**
 * The generator's position: plain data, restored with {@link AuditGenerator.restore}.
 *
 * @example
 * ```ts
 * const saved = generator.snapshot(); generator.restore(structuredClone(saved));
 * ```
 */
export interface AuditGeneratorState {
  readonly random: number;
  readonly nextArrival: number;
  readonly seq: number;
  readonly queue: readonly Queued[];
}

const LONG_RUNNING = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

/**
 * @example
 * ```ts
 * const g = new AuditGenerator({ seed: 1, start: Date.UTC(2024, 2, 5, 10), requestsPerSecond: 20 });
 * const { event, timestamp } = g.next();
 * ```
 */
export class AuditGenerator {
  private random: Random;
  private nextArrival: number; // µs
  private seq = 0;
  private queue: Queued[] = [];

  constructor(private readonly options: AuditGeneratorOptions) {
    this.random = new Random(options.seed);
    this.nextArrival = options.start * 1000;
  }

  /** Stage time (ms) of the next event. */
  peekTimestamp(): number {
    this.fill();
    return Math.floor(this.queue[0]!.micros / 1000);
  }

  /** The next event in stage-time order, with its stage time in ms. */
  next(): { event: AuditEvent; timestamp: number } {
    this.fill();
    const q = this.queue.shift()!;
    return { event: q.event, timestamp: Math.floor(q.micros / 1000) };
  }

  snapshot(): AuditGeneratorState {
    return { random: this.random.state, nextArrival: this.nextArrival, seq: this.seq, queue: this.queue.slice() };
  }

  restore(s: AuditGeneratorState): void {
    this.random = new Random(0);
    this.random.state = s.random;
    this.nextArrival = s.nextArrival;
    this.seq = s.seq;
    this.queue = s.queue.slice();
  }

  /** Generates requests until the earliest queued event is earlier than the next arrival. */
  private fill(): void {
    while (this.queue.length === 0 || this.queue[0]!.micros > this.nextArrival) {
      this.request(this.nextArrival);
      this.nextArrival += Math.max(1, Math.round(this.random.exponential(1e6 / this.options.requestsPerSecond)));
    }
  }

  private request(at: number): void {
    const r = this.random;
    const actor = r.weighted(ACTORS);
    const t = r.weighted(actor.requests);
    const code = r.weighted(t.codes).code;
    const ns = t.namespaces ? r.pick(t.namespaces) : undefined;
    const name = t.names ? r.pick(t.names) : undefined;
    const longRunning = t.verb === 'watch' || (t.subresource !== undefined && LONG_RUNNING.has(t.subresource));
    const latency = t.verb === 'watch' ? r.int(5_000_000, 60_000_000) : longRunning ? r.int(50_000, 2_000_000) : r.int(800, 40_000);
    const panic = code === 500 && r.chance(0.3);
    const base = this.baseEvent(actor, t, at, code, ns, name);
    this.push(at, { ...base, stage: 'RequestReceived', stageTimestamp: micros(at) } as AuditEvent);
    if (longRunning && code < 400) {
      const started = at + r.int(500, 5_000);
      this.push(started, { ...base, stage: 'ResponseStarted', stageTimestamp: micros(started), responseStatus: { metadata: {}, code }, annotations: decision(code) } as AuditEvent);
    }
    const end = at + latency;
    const stage: AuditStage = panic ? 'Panic' : 'ResponseComplete';
    const bodies = this.bodies(t, code, ns, name, micros(at));
    const status = panic
      ? { metadata: {}, status: 'Failure', message: `APIServer panic'd: runtime error: invalid memory address or nil pointer dereference`, reason: 'InternalError', code: 500 }
      : { metadata: {}, code, ...(code >= 400 ? { status: 'Failure', reason: (bodies.responseObject as { reason?: string } | undefined)?.reason } : {}) };
    const complete = { ...base, stage, stageTimestamp: micros(end), responseStatus: status, annotations: decision(code), ...(panic ? pick(bodies, ['requestObject']) : bodies) };
    this.push(end, complete as AuditEvent);
  }

  private baseEvent(actor: Actor, t: RequestTemplate, at: number, code: number, ns: string | undefined, name: string | undefined): Record<string, unknown> {
    const objectRef = t.resource
      ? { resource: t.resource, ...(ns ? { namespace: ns } : {}), ...(name ? { name } : {}), apiVersion: 'v1', ...(t.group ? { apiGroup: t.group } : {}), ...(t.subresource ? { subresource: t.subresource } : {}) }
      : undefined;
    return {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      auditID: this.random.uuid(),
      requestURI: t.resource ? uri(t, ns, name) : t.path!,
      verb: t.verb,
      user: { username: actor.username, groups: [...actor.groups] },
      sourceIPs: [actor.sourceIP],
      userAgent: actor.userAgent,
      ...(objectRef ? { objectRef } : {}),
      requestReceivedTimestamp: micros(at),
      _code: code,
    };
  }

  /** requestObject / responseObject of the completed request. */
  private bodies(t: RequestTemplate, code: number, ns: string | undefined, name: string | undefined, time: string): { requestObject?: unknown; responseObject?: unknown } {
    if (!t.resource || t.verb === 'watch') return {};
    const r = this.random;
    const target: ObjectTarget = { resource: t.resource, apiVersion: t.group ? `${t.group}/v1` : 'v1', namespace: ns, name: name ?? `${t.resource.slice(0, -1)}-${r.int(1000, 9999)}` };
    const writes = t.verb === 'create' || t.verb === 'update';
    const requestObject = writes ? objectBody(target, r, time) : t.verb === 'patch' ? patchBody(target, r) : undefined;
    let responseObject: unknown;
    if (code >= 400) responseObject = statusBody(code, target, t.verb);
    else if (t.verb === 'delete') responseObject = statusBody(code, target, t.verb);
    else if (t.verb === 'list') responseObject = listBody(target, r, time, ['api', 'web', 'worker', 'db']);
    else if (t.subresource === 'log' || t.subresource === 'exec') responseObject = undefined;
    else responseObject = objectBody(target, r, time);
    return { ...(requestObject ? { requestObject } : {}), ...(responseObject ? { responseObject } : {}) };
  }

  private push(at: number, event: AuditEvent): void {
    const { _code: _, ...clean } = event as AuditEvent & { _code?: number };
    const q: Queued = { micros: at, seq: this.seq++, event: clean as AuditEvent };
    // Insertion keeps the queue sorted by (time, seq); it holds only requests in flight.
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1]!.micros > at || (this.queue[i - 1]!.micros === at && this.queue[i - 1]!.seq > q.seq))) i--;
    this.queue.splice(i, 0, q);
  }
}

function uri(t: RequestTemplate, ns: string | undefined, name: string | undefined): string {
  const prefix = t.group ? `/apis/${t.group}/v1` : '/api/v1';
  const path = [prefix, ns ? `namespaces/${ns}` : '', t.resource, name ?? '', t.subresource ?? ''].filter((p) => p !== '').join('/');
  const query = t.verb === 'watch' ? '?allowWatchBookmarks=true&watch=true' : t.verb === 'list' ? '?limit=500' : t.subresource === 'log' ? '?follow=true' : '';
  return path + query;
}

function micros(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

function decision(code: number): Record<string, string> {
  return code === 403
    ? { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' }
    : { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding' };
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}
