/**
 * The sessions family: session windows (event or processing time, fixed or dynamic gap) with the
 * assigner's own trigger and an incremental function. Each key keeps its open sessions in one
 * short sorted list, each session an accumulator (not a buffer of elements); merging sessions
 * merges accumulators. Results are Flink's WindowOperator's with MergingWindowSet and
 * EventTimeTrigger / ProcessingTimeTrigger:
 *
 * - an element opens `[t, t + gap)`; sessions it intersects (touching counts) merge with it; the
 *   merged accumulator is Flink's `reduce(target, merged sources)` with the earliest-starting
 *   session as target;
 * - a session fires when the watermark (or processing time) reaches its end - 1, stamped end - 1;
 *   with allowed lateness it is kept until end - 1 + lateness, and an element that joins it
 *   meanwhile fires it again at once;
 * - an element whose own window is past cleanup and joins no kept session is late.
 *
 * One timer per key, at its earliest due session (fire or cleanup), moved lazily: when a session
 * grows, its timer stays where it is; when it fires and finds nothing due, it is put at the next
 * due time. So an element that extends a session (the common case) touches no timer. The timers
 * live in the operator (a heap of due times, due-queue.ts), not among the keyed timers, and are
 * rebuilt from the sessions on restore: they are a cache of what the session table says.
 *
 * Worked example, gap 3000: elements at 0, 1000, 2500 (key a) build [0, 5500) with one timer at
 * 2999; at watermark 2999 the timer finds the session due at 5499 and moves there; at 5499 the
 * session fires with the three elements.
 * @internal
 */
import { AccSlot } from '../aggregation/accumulators.js';
import type { Accumulator } from '../aggregation/accumulators.js';
import type { OperatorContext } from '../contract/operator.js';
import type { WindowNodeSpec } from '../contract/plan.js';
import type { StreamRecord } from '../contract/stream-record.js';
import { TimeWindow } from '../contract/window.js';
import type { Columns, TableCodec } from '../state/keyed-state-backend.js';
import { type StateTable, VOID_NAMESPACE } from '../state/state-table.js';
import { DueQueue } from './due-queue.js';
import { incrementalFunctionOf } from './window-contents.js';
import { MUTATES_THROUGH_UPDATE, type PlanProcessWindowFunction, WindowOperatorBase } from './window-operator-base.js';

/** What the operator needs from a session assigner. */
export interface SessionAssigner {
  sessionGap(element: unknown): number;
  isEventTime(): boolean;
}

/** One session: its bounds, its accumulator, and whether its end has fired (allowed lateness). */
export class Session extends AccSlot {
  start = 0;
  end = 0;
  fired = false;
}

/** A key's open sessions, sorted by start (disjoint, not touching), and its pending timer. */
export class KeySessions {
  n = 0;
  list: Session[] = [];
  /**
   * The earliest timer queued for this key and not fired yet (+Infinity: none). Not checkpointed:
   * the timers are rebuilt from the sessions on restore.
   */
  timer = Number.POSITIVE_INFINITY;

  insertAt(i: number, s: Session): void {
    if (this.list.length === 0) {
      this.list = [s];
      this.n = 1;
      return;
    }
    for (let j = this.n; j > i; j--) this.list[j] = this.list[j - 1]!;
    this.list[i] = s;
    this.n++;
  }

  /** Removes `count` sessions from index `i`. */
  removeAt(i: number, count: number): void {
    const n = this.n;
    for (let j = i + count; j < n; j++) this.list[j - count] = this.list[j]!;
    for (let j = n - count; j < n; j++) this.list[j] = undefined as unknown as Session;
    this.n = n - count;
  }
}

type EncodedSessions = [number[], number[], boolean[], boolean[], unknown[], unknown[]];

function keySessionsCodec(cloneUserState: boolean): TableCodec<KeySessions> {
  const detach = (acc: unknown) => (cloneUserState && typeof acc === 'object' && acc !== null ? structuredClone(acc) : acc);
  const encode = (ks: KeySessions): EncodedSessions => {
    const l = ks.list.slice(0, ks.n);
    return [l.map((s) => s.start), l.map((s) => s.end), l.map((s) => s.fired), l.map((s) => s.has), l.map((s) => detach(s.acc)), l.map((s) => s.first)];
  };
  const decode = ([starts, ends, fired, has, acc, first]: EncodedSessions): KeySessions => {
    const ks = new KeySessions();
    for (let i = 0; i < starts.length; i++) {
      const s = new Session();
      s.start = starts[i]!;
      s.end = ends[i]!;
      s.fired = fired[i]!;
      s.has = has[i]!;
      s.acc = acc[i];
      s.first = first[i];
      ks.insertAt(i, s);
    }
    return ks;
  };
  return {
    encode,
    decode: (data) => decode(data as EncodedSessions),
    columns: {
      names: ['sessions'],
      append: (c: Columns, ks: KeySessions) => void c.sessions!.push(encode(ks)),
      read: (c: Columns, i: number) => decode(c.sessions![i] as EncodedSessions),
    },
  };
}

const MAX_POOLED = 65_536;

export class SessionWindowOperator extends WindowOperatorBase {
  private keys: StateTable<KeySessions> = undefined as unknown as StateTable<KeySessions>;
  private readonly assigner: SessionAssigner;
  private readonly eventTime: boolean;
  private readonly lateness: number;
  private readonly accumulator: Accumulator;
  private readonly process: PlanProcessWindowFunction | undefined;
  private liveSessions = 0;
  private readonly free: Session[] = [];
  /** When each key is next due (event or processing time, as the assigner). */
  private readonly timers = new DueQueue();
  private readonly fireKey = (key: unknown, time: number): void => {
    this.backend.currentKey = key;
    this.onTimer(key, time);
  };

  constructor(spec: WindowNodeSpec) {
    super(spec);
    this.assigner = spec.assigner as unknown as SessionAssigner;
    this.eventTime = spec.assigner.isEventTime();
    this.lateness = this.eventTime ? spec.allowedLateness : 0;
    const fn = incrementalFunctionOf(spec.fn);
    if (fn === undefined || !fn.accumulator.canMerge) throw new TypeError('The session window operator needs a reduce, or an aggregate function with merge()');
    this.accumulator = fn.accumulator;
    this.process = fn.process;
  }

  override open(ctx: OperatorContext<unknown>): void {
    super.open(ctx);
    this.keys = this.backend.table('window-sessions', 'sessions', keySessionsCodec(this.accumulator.userState), MUTATES_THROUGH_UPDATE);
    // Restored sessions: count them and give every key its timer again.
    this.keys.forEach((_ns, key) => {
      const ks = this.keys.update(key, VOID_NAMESPACE)!;
      this.liveSessions += ks.n;
      ks.timer = Number.POSITIVE_INFINITY;
      this.scheduleTimer(key, ks);
    });
  }

  liveWindows(): number {
    return this.liveSessions;
  }

  processElement(input: StreamRecord<unknown>): void {
    this.counters.recordsIn++;
    const value = input.value;
    this.selectElementKey(value);
    const key = this.backend.currentKey;
    let gap: number;
    try {
      gap = this.assigner.sessionGap(value);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
    const start = this.eventTime ? input.timestamp : this.ctx.clock.now();
    const end = start + gap;
    const wm = this.currentWatermark;
    let ks = this.keys.update(key, VOID_NAMESPACE);
    // The sessions [i, j] intersect [start, end]: disjoint and sorted, they form one run.
    let j = ks === undefined ? -1 : ks.n - 1;
    const list = ks?.list;
    while (j >= 0 && list![j]!.start > end) j--;
    let i = j;
    while (i >= 0 && list![i]!.end >= start) i--;
    i++;
    let session: Session;
    if (j < i) {
      // A session of its own: late if even its cleanup has passed.
      if (this.eventTime && end - 1 + this.lateness <= wm) {
        this.handleLate(value, input.timestamp);
        return;
      }
      session = this.free.pop() ?? new Session();
      session.start = start;
      session.end = end;
      session.fired = this.eventTime && end - 1 <= wm;
      if (ks === undefined) {
        ks = new KeySessions();
        this.keys.put(key, VOID_NAMESPACE, ks);
      }
      ks.insertAt(i, session);
      this.liveSessions++;
    } else {
      session = list![i]!;
      if (j > i) this.merge(ks!, i, j, start, end);
      else {
        // One session: it takes the element, growing if need be (inline: a call with double
        // arguments would box them on every element).
        if (start < session.start) session.start = start;
        if (end > session.end) session.end = end;
      }
      // Flink's triggers fire again at once on an element of a session whose end has passed.
      session.fired = this.eventTime && session.end - 1 <= wm;
    }
    try {
      this.accumulator.add(session, value, 0);
      if (session.fired) this.emitSession(session);
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
    this.scheduleTimer(key, ks!);
  }

  /**
   * Merges sessions i..j with the new window [start, end) into session i (the earliest, Flink's
   * state window): sources i+1..j are folded left, then into the target.
   */
  private merge(ks: KeySessions, i: number, j: number, start: number, end: number): void {
    const list = ks.list;
    const target = list[i]!;
    const last = list[j]!;
    if (j > i) {
      const acc = this.accumulator;
      const folded = list[i + 1]!;
      for (let k = i + 2; k <= j; k++) acc.merge(folded, list[k]!, false);
      acc.merge(target, folded, false);
    }
    target.start = Math.min(start, target.start);
    target.end = Math.max(end, last.end);
    if (j > i) {
      for (let k = i + 1; k <= j; k++) this.release(list[k]!);
      ks.removeAt(i + 1, j - i);
      this.liveSessions -= j - i;
    }
  }


  /** Makes sure the key's timer is at or before its earliest due session. */
  private scheduleTimer(key: unknown, ks: KeySessions): void {
    let next = Number.POSITIVE_INFINITY;
    const lateness = this.lateness;
    for (let k = 0; k < ks.n; k++) {
      const s = ks.list[k]!;
      // The due time inline: a call returning a double boxes it.
      const d = s.fired ? s.end - 1 + lateness : s.end - 1;
      if (d < next) next = d;
    }
    if (next < ks.timer) {
      ks.timer = next;
      this.timers.push(next, key);
    }
  }

  protected override onWatermark(watermark: number): void {
    if (this.eventTime && this.timers.next <= watermark) this.timers.advance(watermark, this.fireKey);
  }

  override nextProcessingTime(): number {
    return this.eventTime ? Number.POSITIVE_INFINITY : this.timers.next;
  }

  /**
   * Processing time reached `now`. At the end of bounded input (+Infinity) every session fires
   * (Flink's batch semantics: every pending timer fires; here a session's timer may sit before its
   * real due time, and moves there while the queue drains).
   */
  override onProcessingTime(now: number): void {
    if (!this.eventTime && this.timers.next <= now) this.timers.advance(now, this.fireKey);
  }

  // Timers are the operator's own (see the class comment); none are keyed.
  protected onEventTimer(): void {}
  protected onProcessingTimer(): void {}

  /** The key's timer: fires and cleans up what is due by `t`, then moves the timer to what is next. */
  private onTimer(key: unknown, t: number): void {
    const ks = this.keys.update(key, VOID_NAMESPACE);
    if (ks === undefined) return; // every session is gone; a stale timer
    if (t === ks.timer) ks.timer = Number.POSITIVE_INFINITY;
    try {
      let k = 0;
      while (k < ks.n) {
        const s = ks.list[k]!;
        if (!s.fired && s.end - 1 <= t) {
          this.emitSession(s);
          s.fired = true;
        }
        if (s.fired && s.end - 1 + this.lateness <= t) {
          this.clearProcessState(this.process, new TimeWindow(s.start, s.end));
          this.release(s);
          ks.removeAt(k, 1);
          this.liveSessions--;
        } else k++;
      }
    } catch (e) {
      throw this.userError(e, this.userKey());
    }
    if (ks.n === 0) this.keys.remove(key, VOID_NAMESPACE);
    else this.scheduleTimer(key, ks);
  }

  private emitSession(s: Session): void {
    const process = this.process;
    // A window object only when a process function will see it.
    const window = process === undefined ? (undefined as unknown as TimeWindow) : new TimeWindow(s.start, s.end);
    this.emitResult(this.accumulator.result(s), window, s.end - 1, process);
  }

  private release(s: Session): void {
    if (this.free.length < MAX_POOLED) {
      s.reset();
      s.fired = false;
      this.free.push(s);
    }
  }
}
