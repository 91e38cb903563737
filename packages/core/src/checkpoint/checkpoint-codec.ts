/**
 * Lays out the state of a checkpoint's operators in files (format in checkpoint-format.ts): each
 * keyed operator's new key-group segments back to back in one shared file, and every other part
 * of every operator (v8-serialised) back to back in one small-state buffer, written twice. A
 * keyed operator's chains are its new segments on top of the previous checkpoint's chains (a
 * delta), or its new segments alone (full). Decoding reads the parts back from the verified files
 * of any format version.
 * @internal
 */
import { deserialize, serialize } from 'node:v8';
import type { KeyGroupRange } from '../state/key-groups.js';
import { inKeyGroupRange } from '../state/key-groups.js';
import type { KeyGroupSnapshot, KeyedStateSnapshot } from '../state/keyed-state-backend.js';
import { type FileEntry, type OperatorEntry, type PartRef, SMALL_STATE_FILE } from './checkpoint-format.js';

/**
 * A keyed operator's state as a checkpoint stored it: every key group's chain (parts in chain
 * order within a key group, key groups ascending) and the files they are in. A delta is written
 * on top of the previous checkpoint's chains.
 *
 * @example
 * ```ts
 * const chain = (await storage.latest())?.operators.get('sums')?.keyedChain;
 * console.log(chain?.parts.filter((p) => p.full).length);
 * ```
 */
export interface KeyedChain {
  readonly maxParallelism: number;
  readonly parts: readonly PartRef[];
  /** The files of the parts, by the name the manifest gives them. */
  readonly files: Readonly<Record<string, FileEntry>>;
}

/**
 * Keyed state to write: the snapshot's segments and, for a delta, the chains it extends.
 *
 * @example
 * ```ts
 * const delta: KeyedStateToWrite = { maxParallelism: 128, groups: [], full: false, base: previous.keyed.get('sums') };
 * ```
 */
export interface KeyedStateToWrite extends KeyedStateSnapshot {
  /** The operator's chains in the previous checkpoint (required for a delta, ignored for a full snapshot). */
  readonly base?: KeyedChain;
}

/**
 * The state of one operator or source to be written.
 *
 * @example
 * ```ts
 * const source: OperatorStateToWrite = { uid: 'input', name: 'File Source', position: { offset: 4096 } };
 * ```
 */
export interface OperatorStateToWrite {
  readonly uid: string;
  readonly name: string;
  readonly keyed?: KeyedStateToWrite;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  /** Event-time position (watermark, generator state); not state in the sense of uid mapping. */
  readonly time?: unknown;
}

/**
 * A restored operator's state.
 *
 * @example
 * ```ts
 * const sums = (await storage.latest())?.operators.get('sums');
 * console.log(sums?.keyed?.groups.length, sums?.hasPosition);
 * ```
 */
export interface RestoredOperator {
  readonly uid: string;
  readonly name: string;
  /** Every key group's chain, in chain order (restore applies each from its last full segment). */
  readonly keyed?: KeyedStateSnapshot;
  /** Where that keyed state is stored (to write deltas on top of it). */
  readonly keyedChain?: KeyedChain;
  readonly operator?: unknown;
  readonly committable?: unknown;
  readonly position?: unknown;
  readonly hasPosition: boolean;
  readonly time?: unknown;
}

/** Where every byte of a checkpoint goes. */
export interface CheckpointLayout {
  readonly entries: OperatorEntry[];
  /** New keyed-state files (names as the manifest gives them), each as its segments back to back. */
  readonly keyedFiles: Array<{ readonly file: string; readonly uid: string; readonly parts: Uint8Array[] }>;
  /** Files of earlier checkpoints the chains still refer to. */
  readonly inherited: Record<string, FileEntry>;
  /** Each keyed operator's chains after this checkpoint (files to be completed with the new ones). */
  readonly chains: Map<string, { readonly maxParallelism: number; readonly parts: readonly PartRef[] }>;
  /** The small-state file's parts (empty: no small state). */
  readonly small: Uint8Array[];
}

/** A delta's segments appended to the chains of `base`, key groups ascending. */
function extendChains(fresh: readonly PartRef[], base: KeyedChain): PartRef[] {
  const byGroup = new Map<number, PartRef[]>();
  for (const p of base.parts) {
    let list = byGroup.get(p.keyGroup!);
    if (list === undefined) byGroup.set(p.keyGroup!, (list = []));
    list.push(p);
  }
  for (const p of fresh) {
    let list = byGroup.get(p.keyGroup!);
    if (list === undefined) byGroup.set(p.keyGroup!, (list = []));
    list.push(p);
  }
  return [...byGroup.keys()].sort((a, b) => a - b).flatMap((kg) => byGroup.get(kg)!);
}

/**
 * Lays out `operators`; `keyedFileName(i)` names the shared file of the i-th keyed operator that
 * has new segments.
 */
export function layOut(operators: readonly OperatorStateToWrite[], keyedFileName: (index: number) => string): CheckpointLayout {
  const entries: OperatorEntry[] = [];
  const keyedFiles: CheckpointLayout['keyedFiles'] = [];
  const inherited: Record<string, FileEntry> = {};
  const chains: CheckpointLayout['chains'] = new Map();
  const small: Uint8Array[] = [];
  let smallOffset = 0;
  const addSmall = (refs: PartRef[], kind: PartRef['kind'], value: unknown) => {
    const data = serialize(value);
    small.push(data);
    refs.push({ kind, file: SMALL_STATE_FILE, offset: smallOffset, length: data.length });
    smallOffset += data.length;
  };
  for (const op of operators) {
    let refs: PartRef[] = [];
    const keyed = op.keyed;
    if (keyed !== undefined) {
      const fresh: PartRef[] = [];
      if (keyed.groups.length > 0) {
        const file = keyedFileName(keyedFiles.length);
        const parts: Uint8Array[] = [];
        let offset = 0;
        for (const g of keyed.groups) {
          parts.push(g.data);
          fresh.push({ kind: 'keyGroup', keyGroup: g.keyGroup, file, offset, length: g.data.length, ...(keyed.full ? { full: true } : {}) });
          offset += g.data.length;
        }
        keyedFiles.push({ file, uid: op.uid, parts });
      }
      const base = keyed.full ? undefined : keyed.base;
      if (!keyed.full && base === undefined) throw new Error(`keyed state of '${op.name}' is a delta without the chains it extends`);
      const chain = base === undefined ? fresh : extendChains(fresh, base);
      if (base !== undefined) {
        for (const p of chain) if (p.file !== undefined && base.files[p.file] !== undefined) inherited[p.file] = base.files[p.file]!;
      }
      chains.set(op.uid, { maxParallelism: keyed.maxParallelism, parts: chain });
      refs = [...chain];
    }
    if (op.operator !== undefined) addSmall(refs, 'operator', op.operator);
    if (op.committable !== undefined) addSmall(refs, 'committable', op.committable);
    if (op.position !== undefined) addSmall(refs, 'position', op.position);
    if (op.time !== undefined) addSmall(refs, 'time', op.time);
    if (refs.length === 0 && keyed === undefined) continue;
    const entry: OperatorEntry = { uid: op.uid, name: op.name, parts: refs };
    entries.push(keyed ? { ...entry, maxParallelism: keyed.maxParallelism } : entry);
  }
  return { entries, keyedFiles, inherited, chains, small };
}

/** The files `entry` reads (only those with key groups in `range`, and small state, if a range is given). */
export function filesOf(entry: OperatorEntry, range?: KeyGroupRange): string[] {
  const files = new Set<string>();
  for (const p of entry.parts) {
    if (range !== undefined && p.kind === 'keyGroup' && !inKeyGroupRange(p.keyGroup!, range)) continue;
    files.add((p.file ?? entry.file)!);
  }
  return [...files];
}

/**
 * Rebuilds one operator's state from the verified contents of the checkpoint's files; with
 * `range`, key groups outside it are left out (their files need not have been read).
 */
export function decodeOperator(
  entry: OperatorEntry,
  fileData: (file: string) => Buffer,
  files: Readonly<Record<string, FileEntry>>,
  range?: KeyGroupRange,
): RestoredOperator {
  const groups: KeyGroupSnapshot[] = [];
  const chainParts: PartRef[] = [];
  let operator: unknown;
  let committable: unknown;
  let position: unknown;
  let hasPosition = false;
  let hasKeyed = false;
  let time: unknown;
  for (const p of entry.parts) {
    if (p.kind === 'keyGroup') {
      hasKeyed = true;
      if (range !== undefined && !inKeyGroupRange(p.keyGroup!, range)) continue;
      chainParts.push(p);
    }
    const data = fileData((p.file ?? entry.file)!);
    const bytes = data.subarray(p.offset, p.offset + p.length);
    if (bytes.length !== p.length) throw new RangeError(`part ${p.kind} at ${p.offset}+${p.length} lies outside the file (${data.length} bytes)`);
    if (p.kind === 'keyGroup') groups.push({ keyGroup: p.keyGroup!, data: bytes });
    else if (p.kind === 'operator') operator = deserialize(bytes);
    else if (p.kind === 'committable') committable = deserialize(bytes);
    else if (p.kind === 'time') time = deserialize(bytes);
    else {
      position = deserialize(bytes);
      hasPosition = true;
    }
  }
  const isKeyed = hasKeyed || entry.maxParallelism !== undefined;
  const maxParallelism = entry.maxParallelism ?? 128;
  const keyed = isKeyed ? { maxParallelism, groups } : undefined;
  let keyedChain: KeyedChain | undefined;
  if (isKeyed) {
    const chainFiles: Record<string, FileEntry> = {};
    for (const p of chainParts) if (p.file !== undefined && files[p.file] !== undefined) chainFiles[p.file] = files[p.file]!;
    keyedChain = { maxParallelism, parts: chainParts, files: chainFiles };
  }
  return { uid: entry.uid, name: entry.name, keyed, keyedChain, operator, committable, position, hasPosition, time };
}
