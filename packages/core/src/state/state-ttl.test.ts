/**
 * State TTL (Flink's StateTtlConfig semantics, docs "State Time-To-Live"): with a processing-time
 * clock under the test's control, a value is visible until `write time + ttl - 1` and gone from
 * `write time + ttl`; OnReadAndWrite restarts the time on reads; ReturnExpiredIfNotCleanedUp hands
 * an expired value out once, then it is gone; lists and maps expire per element; cleanup removes
 * expired entries incrementally, in the background, and from full snapshots (deltas write them as
 * removed).
 */
import { describe, expect, it } from 'vitest';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from './descriptors.js';
import { KeyedStateBackend } from './keyed-state-backend.js';
import { StateTtlConfig } from './state-ttl.js';

const TTL = 1000;

function backend(): { b: KeyedStateBackend; at: (t: number) => void } {
  const b = new KeyedStateBackend('ttl test', 8);
  let now = 0;
  b.clock = { now: () => now };
  return { b, at: (t) => (now = t) };
}

const ttl = () => StateTtlConfig.newBuilder(TTL);

describe('value state with a time-to-live', () => {
  it('OnCreateAndWrite: visible until write + ttl - 1, gone (and removed) from write + ttl; reads do not extend it', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<string>('v').enableTimeToLive(ttl().build()));
    b.setCurrentKey('a');
    s.update('x');
    at(500);
    expect(s.value()).toBe('x');
    at(999);
    expect(s.value()).toBe('x');
    at(1000);
    expect(s.value()).toBeUndefined();
    expect(b.tableSize('v')).toBe(0);
  });

  it('a write restarts the time', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().build()));
    b.setCurrentKey('a');
    s.update(1);
    at(800);
    s.update(2);
    at(1799);
    expect(s.value()).toBe(2);
    at(1800);
    expect(s.value()).toBeUndefined();
  });

  it('OnReadAndWrite: a read restarts the time too', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<string>('v').enableTimeToLive(ttl().setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite).build()));
    b.setCurrentKey('a');
    s.update('x');
    at(900);
    expect(s.value()).toBe('x');
    at(1899);
    expect(s.value()).toBe('x');
    at(2898);
    expect(s.value()).toBe('x');
    at(3898);
    expect(s.value()).toBeUndefined();
  });

  it('ReturnExpiredIfNotCleanedUp: an expired value still stored is returned once, then it is gone', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<string>('v').enableTimeToLive(ttl().returnExpiredIfNotCleanedUp().disableCleanupInBackground().build()));
    b.setCurrentKey('a');
    s.update('x');
    at(5000);
    expect(s.value()).toBe('x');
    expect(s.value()).toBeUndefined();
  });

  it('the descriptor default stands in for an expired value', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<number>('v', 0).enableTimeToLive(ttl().build()));
    b.setCurrentKey('a');
    s.update(7);
    at(TTL);
    expect(s.value()).toBe(0);
  });
});

describe('collections expire per element', () => {
  it('list state: each element its own time', () => {
    const { b, at } = backend();
    const s = b.getListState(new ListStateDescriptor<string>('l').enableTimeToLive(ttl().build()));
    b.setCurrentKey('a');
    s.add('early');
    at(600);
    s.add('late');
    at(999);
    expect(s.get()).toEqual(['early', 'late']);
    at(1000);
    expect(s.get()).toEqual(['late']);
    at(1600);
    expect(s.get()).toEqual([]);
    expect(b.tableSize('l')).toBe(0);
  });

  it('map state: each entry its own time; contains and iteration skip expired entries', () => {
    const { b, at } = backend();
    const s = b.getMapState(new MapStateDescriptor<string, number>('m').enableTimeToLive(ttl().build()));
    b.setCurrentKey('a');
    s.put('x', 1);
    at(600);
    s.put('y', 2);
    at(1000);
    expect(s.contains('x')).toBe(false);
    expect(s.get('y')).toBe(2);
    expect([...s.entries()]).toEqual([['y', 2]]);
    at(1600);
    expect(s.isEmpty()).toBe(true);
  });

  it('reducing and aggregating state start over from an expired accumulator', () => {
    const { b, at } = backend();
    const sum = b.getReducingState(new ReducingStateDescriptor<number>('r', (x, y) => x + y).enableTimeToLive(ttl().build()));
    const avg = b.getAggregatingState(
      new AggregatingStateDescriptor<number, { n: number; s: number }, number>('g', {
        createAccumulator: () => ({ n: 0, s: 0 }),
        add: (v, a) => ({ n: a.n + 1, s: a.s + v }),
        getResult: (a) => a.s / a.n,
      }).enableTimeToLive(ttl().build()),
    );
    b.setCurrentKey('a');
    sum.add(5);
    avg.add(4);
    at(500);
    sum.add(5);
    avg.add(8);
    expect([sum.get(), avg.get()]).toEqual([10, 6]);
    at(1500);
    expect([sum.get(), avg.get()]).toEqual([undefined, undefined]);
    sum.add(1);
    avg.add(3);
    expect([sum.get(), avg.get()]).toEqual([1, 3]);
  });
});

describe('cleanup', () => {
  it('incrementally: every access checks a few entries of the whole state', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().cleanupIncrementally(4, false).build()));
    for (let k = 0; k < 40; k++) {
      b.setCurrentKey(k);
      s.update(k);
    }
    at(TTL);
    b.setCurrentKey('reader');
    for (let i = 0; i < 5; i++) s.value();
    // 5 accesses x 4 entries, one of them maybe spent on reaching the end of the table and
    // starting over: at least 16 of the 40 expired entries are gone without being read.
    expect(b.tableSize('v')).toBeLessThanOrEqual(24);
    expect(b.tableSize('v')).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < 7; i++) s.value();
    expect(b.tableSize('v')).toBe(0);
  });

  it('per record, when asked', () => {
    const { b, at } = backend();
    b.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().cleanupIncrementally(2, true).build()));
    const s = b.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().cleanupIncrementally(2, true).build()));
    for (let k = 0; k < 10; k++) {
      b.setCurrentKey(k);
      s.update(k);
    }
    at(TTL);
    for (let k = 100; k < 103; k++) b.setCurrentKey(k); // three records that touch no state
    expect(b.tableSize('v')).toBe(4);
  });

  it('in the background: one sweep removes every expired entry (and expired list elements)', () => {
    const { b, at } = backend();
    const v = b.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().build()));
    const l = b.getListState(new ListStateDescriptor<number>('l').enableTimeToLive(ttl().build()));
    for (let k = 0; k < 100; k++) {
      b.setCurrentKey(k);
      v.update(k);
      l.add(k);
    }
    at(500);
    b.setCurrentKey(0);
    l.add(-1);
    at(TTL);
    expect(b.cleansInBackground).toBe(true);
    b.cleanupExpired(Number.POSITIVE_INFINITY);
    expect(b.tableSize('v')).toBe(0);
    expect(b.tableSize('l')).toBe(1);
    expect(l.get()).toEqual([-1]);
  });

  it('in full snapshots (cleanupFullSnapshot), and as removals in deltas', () => {
    const { b, at } = backend();
    const config = ttl().cleanupFullSnapshot().disableCleanupInBackground().build();
    const descriptor = () => new ValueStateDescriptor<number>('v').enableTimeToLive(config);
    const s = b.getState(descriptor());
    b.trackChanges();
    const write = (k: number, v: number) => {
      b.setCurrentKey(k);
      s.update(v);
    };
    for (let k = 0; k < 5; k++) write(k, k);
    const first = b.snapshot();
    for (let k = 5; k < 10; k++) write(k, k);
    at(600);
    write(3, 33);
    write(5, 55);
    at(TTL); // written at 0: expired, still stored
    const restore = (groups: typeof first.groups) => {
      const r = new KeyedStateBackend('restored', 8);
      r.clock = { now: () => TTL };
      r.restore({ maxParallelism: 8, groups });
      const rs = r.getState(descriptor());
      return { size: r.tableSize('v'), read: (k: number) => (r.setCurrentKey(k), rs.value()) };
    };
    // A delta: the entries written since `first`; 6-9 expired at the barrier, so written as removed.
    const delta = b.beginSnapshot(false).runSync();
    const chained = restore([...first.groups, ...delta.groups]);
    expect(chained.size).toBe(6); // 0, 1, 2, 4 (stored in `first`, expired), 3 and 5
    expect([3, 5, 7].map(chained.read)).toEqual([33, 55, undefined]);
    // A full snapshot leaves every expired entry out.
    const full = restore([...b.snapshot().groups]);
    expect(full.size).toBe(2);
  });

  it('a state checkpointed without a time-to-live is not restored into one with it (nor the reverse)', () => {
    const { b } = backend();
    const plain = b.getState(new ValueStateDescriptor<number>('v'));
    b.setCurrentKey('a');
    plain.update(1);
    const snap = b.snapshot();
    const { b: other } = backend();
    other.restore(snap);
    expect(() => other.getState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl().build()))).toThrow(/time-to-live was turned on/);
  });
});

describe('a time-to-live given as a plain object', () => {
  it('OnReadAndWrite: a read restarts the time, as with the builder', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<string>('v').enableTimeToLive({ ttlMs: TTL, update: 'OnReadAndWrite' }));
    b.setCurrentKey('a');
    s.update('x');
    at(900);
    expect(s.value()).toBe('x');
    at(1899);
    expect(s.value()).toBe('x');
    at(2899);
    expect(s.value()).toBeUndefined();
  });

  it('defaults: OnCreateAndWrite, never return expired; reads do not extend it', () => {
    const { b, at } = backend();
    const s = b.getState(new ValueStateDescriptor<string>('v').enableTimeToLive({ ttlMs: TTL }));
    b.setCurrentKey('a');
    s.update('x');
    at(999);
    expect(s.value()).toBe('x');
    at(1000);
    expect(s.value()).toBeUndefined();
  });

  it('ReturnExpiredIfNotCleanedUp with background cleanup off: an expired value still stored is returned once', () => {
    const { b, at } = backend();
    const s = b.getState(
      new ValueStateDescriptor<string>('v').enableTimeToLive({ ttlMs: TTL, visibility: 'ReturnExpiredIfNotCleanedUp', cleanup: { inBackground: false } }),
    );
    b.setCurrentKey('a');
    s.update('x');
    at(5000);
    expect(s.value()).toBe('x');
    expect(s.value()).toBeUndefined();
  });

  it('builds the same settings as the builder', () => {
    const d = new MapStateDescriptor<string, number>('m').enableTimeToLive({
      ttlMs: 60_000,
      update: 'OnReadAndWrite',
      visibility: 'ReturnExpiredIfNotCleanedUp',
      cleanup: { fullSnapshot: true, incrementally: { cleanupSize: 10, runCleanupForEveryRecord: true }, inBackground: false },
    });
    const built = StateTtlConfig.newBuilder(60_000)
      .updateTtlOnReadAndWrite()
      .returnExpiredIfNotCleanedUp()
      .cleanupFullSnapshot()
      .disableCleanupInBackground()
      .cleanupIncrementally(10, true)
      .build();
    expect({ ...d.ttlConfig }).toEqual({ ...built });
  });

  it('refuses what it does not know, naming it: a misspelt option must not keep state forever', () => {
    const d = new ValueStateDescriptor<number>('v');
    expect(() => d.enableTimeToLive({ ttlMs: 0 })).toThrow(/positive/);
    expect(() => d.enableTimeToLive({ ttlMs: 1000, update: 'OnRead' as never })).toThrow(/update must be one of OnCreateAndWrite, OnReadAndWrite \(got OnRead\)/);
    expect(() => d.enableTimeToLive({ ttlMs: 1000, visibility: 'Never' as never })).toThrow(/visibility must be one of/);
    expect(() => d.enableTimeToLive({ ttl: 1000 } as never)).toThrow(/unknown option\(s\) ttl/);
    expect(() => d.enableTimeToLive({ ttlMs: 1000, cleanup: { background: false } as never })).toThrow(/unknown cleanup option\(s\) background/);
  });
});
