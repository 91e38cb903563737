/**
 * Nexmark q3, local item suggestion: auctions of category 10 joined with their sellers living in
 * OR, ID or CA, emitting (name, city, state, auction id). An unbounded keyed incremental join, as
 * the Flink SQL regular join keeps it: per seller the person once seen, and the auctions that
 * arrived before their person (a seller id may run up to 10 ids ahead of the newest person).
 *
 * weir: `auctions.connect(persons).keyBy('seller', 'id').process(...)` with a value state (the
 * person) and a list state (waiting auctions). Hand-written: a `Map` for each.
 * Worked example: auction 7 by seller 1001 (category 10), then person 1001 in OR: the person's
 * arrival emits (name, city, 'OR', 7); a later auction of 1001 is emitted at once.
 */
import { type CoProcessFunction, type KeyedProcessContext, ListStateDescriptor, ValueStateDescriptor } from '@weir/core';
import { DigestWriter, digestSink, hashString } from '../harness/digest.js';
import { NexmarkGenerator } from './generator.js';
import { AUCTION, type Auction, isAuction, isPerson, PERSON, type Person } from './model.js';
import type { NexmarkQuery } from './query.js';

interface Q3Row {
  readonly name: string;
  readonly city: string;
  readonly state: string;
  readonly id: number;
}

const hashRow = (r: Q3Row): number => hashString(r.name, hashString(r.city, hashString(r.state, r.id)));
const inStates = (p: Person): boolean => p.state === 'OR' || p.state === 'ID' || p.state === 'CA';
const row = (p: Person, a: Auction): Q3Row => ({ name: p.name, city: p.city, state: p.state, id: a.id });

const SELLER = new ValueStateDescriptor<Person>('q3-seller');
const WAITING = new ListStateDescriptor<Auction>('q3-waiting-auctions');

/** Per seller: the person once seen, or the auctions waiting for them. */
const JOIN: CoProcessFunction<Auction, Person, Q3Row, KeyedProcessContext<number>> = {
  processElement1(a, ctx, out) {
    const p = ctx.getState(SELLER).value();
    if (p !== undefined) out.collect(row(p, a));
    else ctx.getListState(WAITING).add(a);
  },
  processElement2(p, ctx, out) {
    ctx.getState(SELLER).update(p);
    const waiting = ctx.getListState(WAITING);
    for (const a of waiting.get()) out.collect(row(p, a));
    waiting.clear();
  },
};

/**
 * q3: keyed incremental join of auctions and persons.
 *
 * @example
 * ```ts
 * await runWeirQuery(q3, config, 1_000_000, digest);
 * ```
 */
export const q3: NexmarkQuery = {
  id: 'q3',
  title: 'local item suggestion (incremental join)',
  flinkPerCore: 152_100,
  weir(events, digest) {
    const persons = events.filter(isPerson).filter(inStates);
    const auctions = events.filter(isAuction).filter((a) => a.category === 10);
    auctions.connect(persons).keyBy('seller', 'id').process(JOIN).sinkTo(digestSink(digest, hashRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<Q3Row>(digest, hashRow);
    const sellers = new Map<number, Person>();
    const waiting = new Map<number, Auction[]>();
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === AUCTION) {
        if (e.category !== 10) continue;
        const p = sellers.get(e.seller);
        if (p !== undefined) out.write(row(p, e), e.dateTime);
        else {
          const list = waiting.get(e.seller);
          if (list === undefined) waiting.set(e.seller, [e]);
          else list.push(e);
        }
      } else if (e.kind === PERSON) {
        if (!inStates(e)) continue;
        sellers.set(e.id, e);
        const list = waiting.get(e.id);
        if (list !== undefined) {
          for (const a of list) out.write(row(e, a), e.dateTime);
          waiting.delete(e.id);
        }
      }
    }
  },
};
