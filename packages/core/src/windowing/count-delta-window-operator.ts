/**
 * Count and delta windows with an incremental function: a global window whose trigger is one of
 * weir's count or delta triggers (`countWindow(n)`, `CountTrigger`, `DeltaTrigger`, possibly
 * purging, the seed's `Count.of` and `Delta.of`), no evictor. A lean form of the generic operator:
 * per key one accumulator and the trigger's count or reference point side by side, in one table
 * entry, where the generic operator asks the trigger, which keeps them in its partitioned state
 * (several state lookups per element). The trigger's rule (contract/data-driven-trigger.ts) says
 * exactly what it does, so results are the generic operator's:
 *
 * - count, after (CountTrigger): add the element; on the n-th, fire (and purge); count from 0;
 * - count, before (seed Count.of): the (n+1)-th element fires the previous n first, then counts 1;
 * - delta, after (DeltaTrigger): add; the first element is the reference; an element more than
 *   the threshold away fires and becomes the reference;
 * - delta, before (seed Delta.of): from the initial reference; an element more than the threshold
 *   away fires the window without itself, becomes the reference and opens the next window;
 * - the seed's policies fire the last partial window at the end of bounded input.
 *
 * A result carries the latest timestamp of the elements it was computed from (the global window
 * never ends), as on the generic operator.
 * @internal
 */
import { AccSlot } from '../aggregation/accumulators.js';
import type { Accumulator } from '../aggregation/accumulators.js';
import { type DataDrivenRule, dataDrivenRuleOf } from '../contract/data-driven-trigger.js';
import type { OperatorContext } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { GlobalWindow } from '../contract/window.js';
import type { Columns, TableCodec } from '../state/keyed-state-backend.js';
import { type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import { incrementalFunctionOf } from './window-contents.js';
import { MUTATES_THROUGH_UPDATE, type PlanProcessWindowFunction, WindowOperatorBase } from './window-operator-base.js';

/** A key's window: its accumulator, the latest element timestamp, and the trigger's count or reference. */
export class CountDeltaSlot extends AccSlot {
  maxTs = Number.NEGATIVE_INFINITY;
  count = 0;
  /** The delta rule's reference point (undefined: none yet). */
  ref: unknown = undefined;
  hasRef = false;
}

type Encoded = [boolean, unknown, unknown, number, number, boolean, unknown];

function slotCodec(cloneUserState: boolean): TableCodec<CountDeltaSlot> {
  const detach = (acc: unknown) => (cloneUserState && typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc);
  const encode = (s: CountDeltaSlot): Encoded => [s.has, detach(s.acc), s.first, s.maxTs, s.count, s.hasRef, s.ref];
  const decode = ([has, acc, first, maxTs, count, hasRef, ref]: Encoded): CountDeltaSlot => {
    const s = new CountDeltaSlot();
    s.has = has;
    s.acc = acc;
    s.first = first;
    s.maxTs = maxTs;
    s.count = count;
    s.hasRef = hasRef;
    s.ref = ref;
    return s;
  };
  return {
    encode,
    decode: (d) => decode(d as Encoded),
    columns: {
      names: ['slot'],
      append: (c: Columns, s: CountDeltaSlot) => void c.slot!.push(encode(s)),
      read: (c: Columns, i: number) => decode(c.slot![i] as Encoded),
    },
  };
}

/** The rule of a window node this operator can run, else undefined. */
export function countDeltaRuleOf(spec: WindowNodeSpec): DataDrivenRule | undefined {
  if (spec.evictor !== undefined || (spec.assigner as { globalWindow?: boolean }).globalWindow !== true) return undefined;
  if (typeof spec.assigner.mergeWindows === 'function' || incrementalFunctionOf(spec.fn) === undefined) return undefined;
  return dataDrivenRuleOf(spec.trigger);
}

export class CountDeltaWindowOperator extends WindowOperatorBase {
  private slots: StateTable<CountDeltaSlot> = undefined as unknown as StateTable<CountDeltaSlot>;
  private readonly rule: DataDrivenRule;
  private readonly accumulator: Accumulator;
  private readonly process: PlanProcessWindowFunction | undefined;
  private readonly fireAtEndEntry = (slot: CountDeltaSlot, key: unknown): void => {
    if (!slot.has) return;
    this.backend.currentKey = key;
    this.emit(slot);
  };

  constructor(spec: WindowNodeSpec) {
    super(spec);
    const rule = countDeltaRuleOf(spec);
    const fn = incrementalFunctionOf(spec.fn);
    if (rule === undefined || fn === undefined) throw new TypeError('The count-and-delta window operator needs a global window, a count or delta trigger and an incremental function');
    this.rule = rule;
    this.accumulator = fn.accumulator;
    this.process = fn.process;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.slots = this.backend.table('window-count-delta', 'count-delta', slotCodec(this.accumulator.userState), MUTATES_THROUGH_UPDATE);
  }

  liveWindows(): number {
    return this.slots.size;
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectElementKey(value);
    const key = this.backend.currentKey;
    let slot = this.slots.update(key, VOID_NAMESPACE);
    if (slot === undefined) {
      slot = new CountDeltaSlot();
      this.slots.put(key, VOID_NAMESPACE, slot);
    }
    const ts = input.timestamp;
    const rule = this.rule;
    try {
      if (rule.before) {
        if (this.firesBefore(slot, value)) this.fire(slot);
        this.add(slot, value, ts);
      } else {
        this.add(slot, value, ts);
        if (this.firesAfter(slot, value)) this.fire(slot);
      }
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
  }

  private add(slot: CountDeltaSlot, value: unknown, ts: number): void {
    this.accumulator.add(slot, value, 0);
    if (ts > slot.maxTs) slot.maxTs = ts;
  }

  /** The seed's policies, before the element is added. */
  private firesBefore(slot: CountDeltaSlot, value: unknown): boolean {
    const rule = this.rule;
    if (rule.kind === 'count') {
      if (slot.count >= rule.n) {
        slot.count = 1;
        return true;
      }
      slot.count++;
      return false;
    }
    const ref = slot.hasRef ? slot.ref : rule.initial!.value;
    if (rule.delta(ref, value) > rule.threshold) {
      slot.ref = value;
      slot.hasRef = true;
      return true;
    }
    return false;
  }

  /** Flink's CountTrigger and DeltaTrigger, after the element is added. */
  private firesAfter(slot: CountDeltaSlot, value: unknown): boolean {
    const rule = this.rule;
    if (rule.kind === 'count') {
      if (++slot.count >= rule.n) {
        slot.count = 0;
        return true;
      }
      return false;
    }
    if (!slot.hasRef) {
      slot.ref = value;
      slot.hasRef = true;
      return false;
    }
    if (rule.delta(slot.ref, value) > rule.threshold) {
      slot.ref = value;
      return true;
    }
    return false;
  }

  /** FIRE (and PURGE when the trigger purges), as the generic operator: nothing to emit from an empty window. */
  private fire(slot: CountDeltaSlot): void {
    if (slot.has) this.emit(slot);
    if (this.rule.purge) {
      slot.reset();
      slot.maxTs = Number.NEGATIVE_INFINITY;
    }
  }

  private emit(slot: CountDeltaSlot): void {
    this.emitResult(this.accumulator.result(slot), GlobalWindow.INSTANCE, slot.maxTs, this.process);
  }

  /** The end of bounded input (+Infinity): the seed's policies fire each key's last window. */
  protected override onWatermark(watermark: number): void {
    if (watermark !== Number.POSITIVE_INFINITY || !this.rule.fireAtEnd) return;
    try {
      this.slots.namespaceEntries(VOID_NAMESPACE)?.forEach(this.fireAtEndEntry);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
  }

  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}
}
