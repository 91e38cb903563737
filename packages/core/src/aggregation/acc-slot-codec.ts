/**
 * The checkpoint form of accumulator slots: five columns (has, acc, first and the two arrival
 * numbers), no object per entry. Structurally a state-table codec (state/keyed-state-backend.ts's
 * `TableCodec`), written here so that every operator keeping {@link AccSlot}s shares it.
 * @internal
 */
import { AccSlot } from './accumulators.js';

type Columns = Record<string, unknown[]>;

/**
 * A codec for tables of {@link AccSlot}s. `cloneUserState`: the accumulator may be a user object
 * that a user function updates in place, so the checkpoint takes a copy of it.
 *
 * @example
 * ```ts
 * backend.table('slots', 'slices', accSlotCodec(accumulator.userState));
 * ```
 */
export function accSlotCodec(cloneUserState: boolean) {
  const detach = (acc: unknown) => (cloneUserState && typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc);
  const slot = (has: boolean, acc: unknown, first: unknown, accSeq: number, firstSeq: number) => {
    const s = new AccSlot();
    s.has = has;
    s.acc = acc;
    s.first = first;
    s.accSeq = accSeq;
    s.firstSeq = firstSeq;
    return s;
  };
  return {
    encode: (s: AccSlot): unknown => [s.has, detach(s.acc), s.first, s.accSeq, s.firstSeq],
    decode: (data: unknown): AccSlot => {
      const [has, acc, first, accSeq, firstSeq] = data as [boolean, unknown, unknown, number, number];
      return slot(has, acc, first, accSeq, firstSeq);
    },
    columns: {
      names: ['has', 'acc', 'first', 'accSeq', 'firstSeq'] as const,
      append(c: Columns, s: AccSlot): void {
        c.has!.push(s.has);
        c.acc!.push(detach(s.acc));
        c.first!.push(s.first);
        c.accSeq!.push(s.accSeq);
        c.firstSeq!.push(s.firstSeq);
      },
      read: (c: Columns, i: number): AccSlot => slot(c.has![i] as boolean, c.acc![i], c.first![i], c.accSeq![i] as number, c.firstSeq![i] as number),
    },
  };
}
