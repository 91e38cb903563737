/**
 * Lays out the state of a checkpoint's operators in files (format in checkpoint-format.ts):
 * each keyed operator's key groups back to back in its own `op-i.bin`, and every other part of
 * every operator (v8-serialised) back to back in one small-state buffer, written twice. Decoding
 * reads the parts back from the verified files of either format version.
 * @internal
 */
import { deserialize, serialize } from 'node:v8';
import type { KeyGroupSnapshot, KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import { type OperatorEntry, type PartRef, SMALL_STATE_FILE } from './checkpoint-format.js';

/** The state of one operator or source to be written. */
export interface OperatorStateToWrite {
  readonly uid: string;
  readonly name: string;
  readonly keyed?: KeyedStateSnapshot;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  /** Event-time position (watermark, generator state); not state in the sense of uid mapping. */
  readonly time?: unknown;
}

/** A restored operator's state. */
export interface RestoredOperator {
  readonly uid: string;
  readonly name: string;
  readonly keyed?: KeyedStateSnapshot;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  readonly hasPosition: boolean;
  readonly time?: unknown;
}

/** Where every byte of a checkpoint goes. */
export interface CheckpointLayout {
  readonly entries: OperatorEntry[];
  /** Keyed-state files by name, each as its key groups back to back. */
  readonly keyedFiles: Array<{ readonly file: string; readonly uid: string; readonly parts: Uint8Array[] }>;
  /** The small-state file's parts (empty: no small state). */
  readonly small: Uint8Array[];
}

export function layOut(operators: readonly OperatorStateToWrite[]): CheckpointLayout {
  const entries: OperatorEntry[] = [];
  const keyedFiles: CheckpointLayout['keyedFiles'] = [];
  const small: Uint8Array[] = [];
  let smallOffset = 0;
  const addSmall = (refs: PartRef[], kind: PartRef['kind'], value: unknown) => {
    const data = serialize(value);
    small.push(data);
    refs.push({ kind, file: SMALL_STATE_FILE, offset: smallOffset, length: data.length });
    smallOffset += data.length;
  };
  for (const op of operators) {
    const refs: PartRef[] = [];
    if (op.keyed && op.keyed.groups.length > 0) {
      const file = `op-${keyedFiles.length}.bin`;
      const parts: Uint8Array[] = [];
      let offset = 0;
      for (const g of op.keyed.groups) {
        parts.push(g.data);
        refs.push({ kind: 'keyGroup', keyGroup: g.keyGroup, file, offset, length: g.data.length });
        offset += g.data.length;
      }
      keyedFiles.push({ file, uid: op.uid, parts });
    }
    if (op.operator !== undefined) addSmall(refs, 'operator', op.operator);
    if (op.committable !== undefined) addSmall(refs, 'committable', op.committable);
    if (op.position !== undefined) addSmall(refs, 'position', op.position);
    if (op.time !== undefined) addSmall(refs, 'time', op.time);
    if (refs.length === 0) continue;
    const entry: OperatorEntry = { uid: op.uid, name: op.name, parts: refs };
    entries.push(op.keyed ? { ...entry, maxParallelism: op.keyed.maxParallelism } : entry);
  }
  return { entries, keyedFiles, small };
}

/** Rebuilds one operator's state from the verified contents of the checkpoint's files. */
export function decodeOperator(entry: OperatorEntry, fileData: (file: string) => Buffer): RestoredOperator {
  const groups: KeyGroupSnapshot[] = [];
  let operator: unknown;
  let committable: unknown;
  let position: unknown;
  let hasPosition = false;
  let hasKeyed = false;
  let time: unknown;
  for (const p of entry.parts) {
    const data = fileData((p.file ?? entry.file)!);
    const bytes = data.subarray(p.offset, p.offset + p.length);
    if (bytes.length !== p.length) throw new RangeError(`part ${p.kind} at ${p.offset}+${p.length} lies outside the file (${data.length} bytes)`);
    if (p.kind === 'keyGroup') {
      hasKeyed = true;
      groups.push({ keyGroup: p.keyGroup!, data: bytes });
    } else if (p.kind === 'operator') operator = deserialize(bytes);
    else if (p.kind === 'committable') committable = deserialize(bytes);
    else if (p.kind === 'time') time = deserialize(bytes);
    else {
      position = deserialize(bytes);
      hasPosition = true;
    }
  }
  const keyed = hasKeyed || entry.maxParallelism !== undefined ? { maxParallelism: entry.maxParallelism ?? 128, groups } : undefined;
  return { uid: entry.uid, name: entry.name, keyed, operator, committable, position, hasPosition, time };
}
