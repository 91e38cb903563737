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
 * user keys (composite keys as the user's values, normalised again on restore). Columns are packed
 * before serialisation (column-packing.ts: numbers as Float64Arrays, uniform plain objects as one
 * column per property) and read back by index.
 *
 * Segments of format version 2 (`GroupPayload`, no `f`) are full segments without removals:
 * the same shape, read as they are.
 * @internal
 */
import { packColumn, unpackColumn } from './column-packing.js';
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Every column of a segment through `f` (in place: the segment is the snapshot's own data). */
function eachColumn(p: SegmentPayload, f: (col: unknown) => unknown): void {
  for (const t of Object.values(p.tables) as Array<Mutable<TablePart>>) {
    t.ns = f(t.ns) as Namespace[];
    t.keys = f(t.keys) as unknown[];
    t.values = f(t.values) as unknown[];
    if (t.columns !== undefined) for (const name of Object.keys(t.columns)) t.columns[name] = f(t.columns[name]) as unknown[];
    if (t.removedNs !== undefined) t.removedNs = f(t.removedNs) as Namespace[];
    if (t.removedKeys !== undefined) t.removedKeys = f(t.removedKeys) as unknown[];
  }
  for (const timers of [p.event, p.processing] as Array<Mutable<TimerPart> | undefined>) {
    if (timers === undefined) continue;
    timers.ts = f(timers.ts) as number[];
    timers.ns = f(timers.ns) as Namespace[];
    timers.keys = f(timers.keys) as unknown[];
    if (timers.removedTs !== undefined) timers.removedTs = f(timers.removedTs) as number[];
    if (timers.removedNs !== undefined) timers.removedNs = f(timers.removedNs) as Namespace[];
    if (timers.removedKeys !== undefined) timers.removedKeys = f(timers.removedKeys) as unknown[];
  }
}

/** Packs a segment's columns for serialisation (column-packing.ts). */
export function packSegment(p: SegmentPayload): SegmentPayload {
  eachColumn(p, (c) => packColumn(c as unknown[]));
  return p;
}

/** Unpacks a deserialised segment's columns (those of version 2 segments are plain arrays already). */
export function unpackSegment(p: SegmentPayload): SegmentPayload {
  eachColumn(p, unpackColumn);
  return p;
}
