/**
 * Nexmark q0, q1 and q2: the stateless queries (source, filter and map overhead).
 *
 * - q0 pass-through: `SELECT auction, bidder, price, dateTime, extra FROM bid`;
 * - q1 currency conversion: the same with `0.908 * price`;
 * - q2 selection: `SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`.
 */
import { DigestWriter, digestSink, hash2, hash4 } from '../harness/digest.js';
import { NexmarkGenerator } from './generator.js';
import { BID, isBid } from './model.js';
import type { NexmarkQuery } from './query.js';

/** A projected bid (q0, q1). */
interface BidRow {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly dateTime: number;
  readonly extra: string;
}

const hashBidRow = (r: BidRow): number => hash4(r.auction, r.bidder, r.price, r.dateTime);
const hashAuctionPrice = (r: { auction: number; price: number }): number => hash2(r.auction, r.price);

/**
 * q0: pass-through of bids.
 *
 * @example
 * ```ts
 * await runWeirQuery(q0, config, 1_000_000, digest);
 * ```
 */
export const q0: NexmarkQuery = {
  id: 'q0',
  title: 'pass-through',
  flinkPerCore: 155_000,
  weir(events, digest) {
    events
      .filter(isBid)
      .map((b): BidRow => ({ auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime, extra: b.extra }))
      .sinkTo(digestSink(digest, hashBidRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<BidRow>(digest, hashBidRow);
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID) out.write({ auction: e.auction, bidder: e.bidder, price: e.price, dateTime: e.dateTime, extra: e.extra }, e.dateTime);
    }
  },
};

/**
 * q1: bids with the price converted (`0.908 * price`).
 *
 * @example
 * ```ts
 * await runWeirQuery(q1, config, 1_000_000, digest);
 * ```
 */
export const q1: NexmarkQuery = {
  id: 'q1',
  title: 'currency conversion',
  flinkPerCore: 157_900,
  weir(events, digest) {
    events
      .filter(isBid)
      .map((b): BidRow => ({ auction: b.auction, bidder: b.bidder, price: 0.908 * b.price, dateTime: b.dateTime, extra: b.extra }))
      .sinkTo(digestSink(digest, hashBidRow));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<BidRow>(digest, hashBidRow);
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID) out.write({ auction: e.auction, bidder: e.bidder, price: 0.908 * e.price, dateTime: e.dateTime, extra: e.extra }, e.dateTime);
    }
  },
};

/**
 * q2: bids on every 123rd auction, as (auction, price).
 *
 * @example
 * ```ts
 * await runWeirQuery(q2, config, 1_000_000, digest);
 * ```
 */
export const q2: NexmarkQuery = {
  id: 'q2',
  title: 'selection',
  flinkPerCore: 175_200,
  weir(events, digest) {
    events
      .filter(isBid)
      .filter((b) => b.auction % 123 === 0)
      .map((b) => ({ auction: b.auction, price: b.price }))
      .sinkTo(digestSink(digest, hashAuctionPrice));
  },
  hand(config, n, digest) {
    const gen = new NexmarkGenerator(config);
    const out = new DigestWriter<{ auction: number; price: number }>(digest, hashAuctionPrice);
    for (let i = 0; i < n; i++) {
      const e = gen.next();
      if (e.kind === BID && e.auction % 123 === 0) out.write({ auction: e.auction, price: e.price }, e.dateTime);
    }
  },
};
