/**
 * Nexmark q8, monitor new users: persons who opened an auction in the same 10 s tumbling window in
 * which they registered, as (id, name, window start). The Flink SQL groups persons by (id, name)
 * and auctions by seller per window, then joins; here both streams are mapped to one shape and
 * co-grouped by id per window (Beam's CoGroupByKey), which gives the same one row per person and
 * window.
 *
 * weir: `persons.union(sellers).keyBy('id').window(Tumbling 10 s).aggregate(...)`.
 * Hand-written: per open window a `Map<id, name>` of new persons and a `Set` of sellers, joined
 * when the watermark passes the window's end.
 * Worked example: person 1005 'Kate White' at 12 s and her auction at 15 s emit (1005, 'Kate White', 10000);
 * an auction at 21 s would not (next window).
 */
import type { AggregateFunction } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { DigestWriter, digestSink, hash2, hashString } from '../harness/digest.js';
import { NexmarkGenerator } from './generator.js';
import { AUCTION, isAuction, isPerson, PERSON } from './model.js';
import type { NexmarkQuery } from './query.js';
import { InlineWatermark, nexmarkWatermarks } from './source.js';

const SIZE = 10_000;

/** A person (`name` set) or an auction of seller `id` (`name` undefined). */
interface IdEvent {
  readonly id: number;
  readonly name: string | undefined;
}

interface NewUser {
  readonly id: number;
  readonly name: string;
  readonly start: number;
}

interface NewUserAcc {
  name: string | undefined;
  sold: boolean;
}

const hashRow = (r: NewUser): number => hashString(r.name, hash2(r.id, r.start));

const NEW_USER: AggregateFunction<IdEvent, NewUserAcc, NewUserAcc> = {
  createAccumulator: () => ({ name: undefined, sold: false }),
  add(e, acc) {
    if (e.name === undefined) acc.sold = true;
    else acc.name = e.name;
    return acc;
  },
  getResult: (acc) => acc,
  merge: (a, b) => ({ name: a.name ?? b.name, sold: a.sold || b.sold }),
};

/**
 * q8: new users who sold in their first window.
 *
 * @example
 * ```ts
 * await runWeirQuery(q8, config, 1_000_000, digest);
 * ```
 */
export const q8: NexmarkQuery = {
  id: 'q8',
  title: 'monitor new users (tumbling 10 s co-group)',
  flinkPerCore: 146_100,
  weir(events, digest) {
    const timed = events.assignTimestampsAndWatermarks(nexmarkWatermarks());
    const persons = timed.filter(isPerson).map((p): IdEvent => ({ id: p.id, name: p.name }));
    const sellers = timed.filter(isAuction).map((a): IdEvent => ({ id: a.seller, name: undefined }));
    persons
      .union(sellers)
      .keyBy('id')
      .window(TumblingEventTimeWindows.of(SIZE))
      .aggregate(NEW_USER, (id: number, ctx, results, out) => {
        const acc = results[0]!;
        if (acc.name !== undefined && acc.sold) out.collect({ id, name: acc.name, start: ctx.window.start });
      })
      .sinkTo(digestSink(digest, hashRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<NewUser>(digest, hashRow);
    const wm = new InlineWatermark();
    const persons = new Map<number, Map<number, string>>();
    const sellers = new Map<number, Set<number>>();
    let nextFire = Number.POSITIVE_INFINITY;
    const open = (start: number): void => {
      if (start + SIZE - 1 < nextFire) nextFire = start + SIZE - 1;
    };
    const fire = (watermark: number): void => {
      nextFire = Number.POSITIVE_INFINITY;
      for (const [start, byId] of persons) {
        if (start + SIZE - 1 > watermark) {
          open(start);
          continue;
        }
        const sold = sellers.get(start);
        if (sold !== undefined) for (const [id, name] of byId) if (sold.has(id)) out.write({ id, name, start }, start + SIZE - 1);
        persons.delete(start);
      }
      for (const start of sellers.keys()) {
        if (start + SIZE - 1 <= watermark) sellers.delete(start);
        else open(start);
      }
    };
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === PERSON) {
        const start = e.dateTime - (e.dateTime % SIZE);
        let byId = persons.get(start);
        if (byId === undefined) {
          persons.set(start, (byId = new Map()));
          open(start);
        }
        byId.set(e.id, e.name);
      } else if (e.kind === AUCTION) {
        const start = e.dateTime - (e.dateTime % SIZE);
        let sold = sellers.get(start);
        if (sold === undefined) {
          sellers.set(start, (sold = new Set()));
          open(start);
        }
        sold.add(e.seller);
      }
      if (wm.advance(e.dateTime) && wm.value >= nextFire) fire(wm.value);
    }
    fire(Number.POSITIVE_INFINITY);
  },
};
