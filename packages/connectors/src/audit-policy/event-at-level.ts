/**
 * An audit Event cut down to a level, as kube-apiserver would have written it: `Metadata` keeps
 * neither body, `Request` keeps `requestObject`, `RequestResponse` both. With
 * `omitManagedFields`, `metadata.managedFields` goes from the bodies that remain (also from each
 * item of a list and each row object of a Table, as apiserver's `copyWithoutManagedFields`).
 * Nothing is ever added: an Event recorded at a lower level than asked keeps its own level and
 * what it has.
 * @internal
 */
import type { AuditEvent, AuditLevel } from '../k8s-audit/audit-event.js';
import { LEVEL_ORDER } from './policy-types.js';

/** @internal The event at `level` (a new object; the input is not changed). */
export function eventAtLevel(event: AuditEvent, level: Exclude<AuditLevel, 'None'>, omitManagedFields: boolean): AuditEvent {
  const recorded = LEVEL_ORDER.indexOf(event.level);
  const target = Math.min(LEVEL_ORDER.indexOf(level), recorded < 0 ? LEVEL_ORDER.length - 1 : recorded);
  const out: Record<string, unknown> = { ...event, level: LEVEL_ORDER[target] };
  if (target < 2) delete out.requestObject;
  if (target < 3) delete out.responseObject;
  if (omitManagedFields) {
    for (const body of ['requestObject', 'responseObject'] as const) {
      if (body in out) out[body] = withoutManagedFields(out[body]);
    }
  }
  return out as AuditEvent;
}

/** Removes `metadata.managedFields` from an object, the items of a list and a Table's row objects. */
function withoutManagedFields(body: unknown): unknown {
  if (!isRecord(body)) return body;
  let out = stripOwn(body);
  if (Array.isArray(body.items)) {
    out = { ...out, items: body.items.map((i) => (isRecord(i) ? stripOwn(i) : i)) };
  }
  if (body.kind === 'Table' && Array.isArray(body.rows)) {
    out = {
      ...out,
      rows: body.rows.map((row) => (isRecord(row) && isRecord(row.object) ? { ...row, object: stripOwn(row.object) } : row)),
    };
  }
  return out;
}

function stripOwn(o: Record<string, unknown>): Record<string, unknown> {
  const meta = o.metadata;
  if (!isRecord(meta) || !('managedFields' in meta)) return o;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...o, metadata: rest };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
