/**
 * When a keyed operator's snapshot is full and when it is a delta (incremental checkpoints).
 *
 * A delta writes only what changed since the previous checkpoint and refers to the earlier
 * segments of each key group's chain; a full snapshot starts every chain anew. Full when:
 * incremental checkpoints are off; there is no chain to extend (the first checkpoint of a run,
 * unless it restored a checkpoint of the same storage); the operator cannot tell what changed (a
 * table handed out views of its values); `fullEvery` checkpoints would be chained otherwise; at
 * least a fifth of the live entries changed (DEFAULT_CHANGE_LIMIT: beyond, changes are not even
 * recorded); or
 * the deltas already in the chains hold as many bytes as the full segments under them (so a
 * restore never reads much more than twice the state).
 *
 * Example: 1 M live keys, 1 % of them written per interval, `fullEvery: 10`: nine deltas of about
 * 1 % each, then a full checkpoint.
 * @internal
 */
import type { ChangeSummary } from '../state/keyed-state-backend.js';
import { DEFAULT_CHANGE_LIMIT } from '../state/table-tracking.js';
import type { KeyedChain } from './checkpoint-codec.js';

/** How a job chains its checkpoints. */
export interface IncrementalSettings {
  /** Write deltas (default true). */
  readonly incremental: boolean;
  /** At most this many checkpoints in a chain, the full one included (default 10). */
  readonly fullEvery: number;
  /**
   * Chain up to `fullEvery` whatever the sizes (only `fullEvery`, a missing chain and unknown
   * changes make a checkpoint full): the fault suite runs its crashes on long chains this way.
   */
  readonly chainAlways?: boolean;
}

export const DEFAULT_FULL_EVERY = 10;

/**
 * How many changes per interval the backends record, as a part of each table's entries (see
 * state/table-tracking.ts): none without incremental checkpoints, all with `chainAlways`, else
 * up to the part beyond which a delta is not worth it (and the snapshot is full anyway).
 */
export function changeLimitOf(settings: IncrementalSettings): number | undefined {
  if (!settings.incremental) return 0;
  return settings.chainAlways === true ? Number.POSITIVE_INFINITY : undefined;
}

interface ChainState {
  readonly chain: KeyedChain;
  /** Checkpoints in the longest chain after its full segment. */
  readonly deltas: number;
  readonly fullBytes: number;
  readonly deltaBytes: number;
}

function describe(chain: KeyedChain): ChainState {
  let fullBytes = 0;
  let deltaBytes = 0;
  const lengths = new Map<number, number>();
  for (const p of chain.parts) {
    if (p.kind !== 'keyGroup') continue;
    if (p.full) {
      fullBytes += p.length;
      lengths.set(p.keyGroup!, 0);
    } else {
      deltaBytes += p.length;
      lengths.set(p.keyGroup!, (lengths.get(p.keyGroup!) ?? 0) + 1);
    }
  }
  let deltas = 0;
  for (const n of lengths.values()) if (n > deltas) deltas = n;
  return { chain, deltas, fullBytes, deltaBytes };
}

/** The chains of a job's keyed operators in its last complete checkpoint. */
export class ChainPolicy {
  private readonly chains = new Map<string, ChainState>();

  constructor(private readonly settings: IncrementalSettings) {}

  /** Operator `uid` restored `chain` from a checkpoint whose files the storage may refer to. */
  adopt(uid: string, chain: KeyedChain): void {
    if (this.settings.incremental) this.chains.set(uid, describe(chain));
  }

  /** Whether operator `uid`'s next snapshot must be full (see the module comment). */
  chooseFull(uid: string, changes: ChangeSummary): boolean {
    const s = this.chains.get(uid);
    if (!this.settings.incremental || s === undefined || changes.mustBeFull) return true;
    if (s.deltas + 2 > this.settings.fullEvery) return true;
    if (this.settings.chainAlways === true) return false;
    if (changes.changed >= changes.live * DEFAULT_CHANGE_LIMIT) return true;
    return s.deltaBytes > 0 && s.deltaBytes >= s.fullBytes;
  }

  /** The chains a delta of operator `uid` extends. */
  base(uid: string): KeyedChain | undefined {
    return this.chains.get(uid)?.chain;
  }

  /** A checkpoint completed with `chain` as operator `uid`'s chains. */
  completed(uid: string, chain: KeyedChain): void {
    if (this.settings.incremental) this.chains.set(uid, describe(chain));
  }
}
