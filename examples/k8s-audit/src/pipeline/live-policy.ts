/**
 * The audit policy, changeable while the job runs (the broadcast state pattern): the policy
 * file's updates are broadcast into the operator that applies the policy to each event.
 *
 * - A new text is parsed on the broadcast side. A valid policy becomes the current one, kept in
 *   broadcast state (checkpointed: a restored job applies the policy it had), and a
 *   `policy-change` report says from which event time on it applies: the operator's watermark at
 *   the change (every event after it is judged by the new policy; none at or before it can still
 *   arrive). A bad policy is refused with its line (`policy-refused`), and the current one stays.
 * - Each event is judged by the current policy: what it keeps goes on to the store.
 *
 * Broadcast state holds the policy's text (plain data); the parsed policy is a cache, rebuilt
 * from the text when the version changes or after a restore.
 */
import { type AuditEvent, AuditPolicy, AuditPolicyError } from '@weir/connectors';
import { type BroadcastProcessFunction, MapStateDescriptor, OutputTag } from '@weir/core';
import type { PolicyUpdate } from '../sources/policy-file-source.js';
import type { AuditReport } from './results.js';

/** The current policy, as broadcast state keeps it. */
export interface CurrentPolicy {
  readonly version: number;
  readonly file: string;
  readonly text: string;
}

/** Broadcast state of the policy: key `current`. @example `ctx.getBroadcastState(POLICY_STATE).get('current')` */
export const POLICY_STATE = new MapStateDescriptor<'current', CurrentPolicy>('audit policy');

/** Policy changes and refusals, for the reports. @example `stored.getSideOutput(POLICY_REPORTS)` */
export const POLICY_REPORTS = new OutputTag<AuditReport>('policy changes');

/**
 * The policy the job started with (version 0): its text, when known, tells a real change from the
 * same file read again.
 *
 * @example
 * ```ts
 * const startup: StartupPolicy = { policy: AuditPolicy.parse(text), file: 'audit-policy.yaml', text };
 * ```
 */
export interface StartupPolicy {
  readonly policy: AuditPolicy;
  readonly file: string;
  readonly text: string | undefined;
}

/**
 * The function that applies the live policy; `startup` is in effect until a change.
 *
 * @example
 * ```ts
 * events.connect(updates.broadcast(POLICY_STATE)).process(livePolicy({ policy, file, text }));
 * ```
 */
export function livePolicy(startup: StartupPolicy): BroadcastProcessFunction<AuditEvent, PolicyUpdate, AuditEvent> {
  // A cache of the parsed current policy, rebuilt from broadcast state when its version changes.
  let cached: { version: number; policy: AuditPolicy } = { version: 0, policy: startup.policy };
  const policyOf = (current: CurrentPolicy | undefined): AuditPolicy => {
    const version = current?.version ?? 0;
    if (cached.version !== version) cached = { version, policy: current === undefined ? startup.policy : AuditPolicy.parse(current.text, { file: current.file }) };
    return cached.policy;
  };
  return {
    processElement(event, ctx, out) {
      const kept = policyOf(ctx.getBroadcastState(POLICY_STATE).get('current')).apply(event);
      if (kept !== null) out.collect(kept);
    },
    processBroadcastElement(update, ctx) {
      const state = ctx.getBroadcastState(POLICY_STATE);
      const before = state.get('current');
      const beforeVersion = before?.version ?? 0;
      if (update.text === (before === undefined ? startup.text : before.text)) return;
      let policy: AuditPolicy;
      try {
        policy = AuditPolicy.parse(update.text, { file: update.file });
      } catch (e) {
        if (!(e instanceof AuditPolicyError)) throw e;
        ctx.output(POLICY_REPORTS, {
          kind: 'policy-refused',
          version: update.version,
          file: update.file,
          line: e.line,
          reason: e.message,
          keeps: beforeVersion,
          atEventTime: ctx.currentWatermark(),
        });
        return;
      }
      const current: CurrentPolicy = { version: update.version, file: update.file, text: update.text };
      state.put('current', current);
      cached = { version: current.version, policy };
      ctx.output(POLICY_REPORTS, {
        kind: 'policy-change',
        version: current.version,
        file: current.file,
        rules: policy.rules.length,
        fromEventTime: ctx.currentWatermark(),
        previous: beforeVersion,
      });
    },
  };
}
