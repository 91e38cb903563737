/**
 * Exactly-once from forwarders that send again. A `tail -F audit.log | nc` forwarder restarted
 * after a connection loss sends the log again from its start (or from wherever its offset file
 * says), and TCP loses what was in flight when weir was killed. An audit event is identified by
 * its `auditID` and `stage`, so keeping the identities already seen (keyed state, checkpointed
 * with the store's transactions) turns "at least once from the forwarders" into "exactly once in
 * the store". Identities are forgotten `retentionMs` of event time after the event, so the
 * state stays bounded: a copy arriving later than that is stored again.
 */
import type { AuditEvent } from '@weir/connectors';
import { type DataStream, type KeyedProcessFunction, OutputTag, ValueStateDescriptor } from '@weir/core';

/**
 * The side output of repeated events.
 *
 * @example
 * ```ts
 * unique.getSideOutput(DUPLICATES).map((e) => e.auditID).print('duplicate');
 * ```
 */
export const DUPLICATES = new OutputTag<AuditEvent>('duplicate audit events');

const SEEN = new ValueStateDescriptor<boolean>('seen');

/**
 * Drops events whose (auditID, stage) was seen within `retentionMs` of event time.
 *
 * @example
 * ```ts
 * const unique = dedupAuditEvents(events, 3_600_000);
 * ```
 */
export function dedupAuditEvents(events: DataStream<AuditEvent>, retentionMs: number): DataStream<AuditEvent> {
  const fn: KeyedProcessFunction<string, AuditEvent, AuditEvent> = {
    processElement(event, ctx, out) {
      const seen = ctx.getState(SEEN);
      if (seen.value() === true) {
        ctx.output(DUPLICATES, event);
        return;
      }
      seen.update(true);
      out.collect(event);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp + retentionMs);
    },
    onTimer(_timestamp, ctx) {
      ctx.getState(SEEN).clear();
    },
  };
  return events
    .keyBy((e) => `${e.auditID}/${e.stage}`)
    .process(fn)
    .name('drop repeated events')
    .uid('dedup');
}
