/**
 * A segment: the keyed state of one key group of one operator as one checkpoint wrote it,
 * v8-serialised. A full segment holds every entry and timer of the key group; a delta segment
 * holds only what changed since the previous checkpoint: entries written (with their value at
 * the barrier) and entries removed, timers added and timers removed. A key group's state is its
 * chain: the last full segment, then the deltas after it, applied in order.
 *
 * Layout (columnar, so that a segment of a million entries is a few arrays, not a million
 * objects): per table `{ kind, ns[], keys[], values[] | columns, removedNs[], removedKeys[] }`,
 * per timer domain `{ ts[], ns[], keys[], removedTs[], removedNs[], removedKeys[] }`. Keys are
 * user keys (composite keys as the user's values, normalised again on restore).
 *
 * Segments of format version 2 (`GroupPayload`, no `f`) are full segments without removals:
 * the same shape, read as they are.
 * @internal
 */
import type { Namespace } from './state-table.js';

/** Named columns of a table's values, one array per field. */
export type Columns = Record<string, unknown[]>;

/** Marks a segment of this format (version 2 segments have no marker). */
export const SEGMENT_FORMAT = 3;

/** One table's part of a segment. */
export interface TablePart {
  readonly kind: string;
  readonly ns: Namespace[];
  readonly keys: unknown[];
  readonly values: unknown[];
  readonly columns?: Columns;
  /** Delta segments: entries removed since the previous checkpoint. */
  readonly removedNs?: Namespace[];
  readonly removedKeys?: unknown[];
}

/** One timer domain's part of a segment. */
export interface TimerPart {
  readonly ts: number[];
  readonly ns: Namespace[];
  readonly keys: unknown[];
  /** Delta segments: timers removed (fired or deleted) since the previous checkpoint. */
  readonly removedTs?: number[];
  readonly removedNs?: Namespace[];
  readonly removedKeys?: unknown[];
}

/** A deserialised segment. */
export interface SegmentPayload {
  /** {@link SEGMENT_FORMAT}; absent in version 2 segments (which are full). */
  readonly f?: number;
  /** Replaces everything before it in its key group's chain. */
  readonly full?: boolean;
  readonly tables: Record<string, TablePart>;
  readonly event?: TimerPart;
  readonly processing?: TimerPart;
}

export function emptyColumns(names: readonly string[]): Columns {
  const c: Columns = {};
  for (const n of names) c[n] = [];
  return c;
}

export function newTablePart(kind: string, columnNames: readonly string[] | undefined): TablePart {
  return columnNames ? { kind, ns: [], keys: [], values: [], columns: emptyColumns(columnNames) } : { kind, ns: [], keys: [], values: [] };
}

export function newTimerPart(): TimerPart {
  return { ts: [], ns: [], keys: [] };
}

/** Whether a segment replaces its key group's earlier ones (version 2 segments always do). */
export function isFullSegment(p: SegmentPayload): boolean {
  return p.f === undefined || p.full === true;
}
