/**
 * A deterministic TypeScript port of the Nexmark generator's rules (nexmark/nexmark's
 * `NexmarkGenerator`, `GeneratorConfig` and the Person/Auction/Bid generators), written from their
 * documented behaviour:
 *
 * - Event `n` (0-based; `outOfOrderGroupSize` N > 1 permutes each group of N as
 *   `floor(n / N) * N + (n * 953) % N`) has id `n`, kind `id % 50`: `< 1` person, `< 4` auction,
 *   else bid (1:3:46), and timestamp `baseTime + floor(floor(id * 1e6 / rate) / 1000)` ms.
 * - Ids start at 1000; a person's id is `floor(id / 50)`, an auction's the count of auctions
 *   before it (`lastBase0AuctionId`). Categories are `10 + U{0..4}`; prices `round(10^(6U) * 100)`.
 * - Skew: a bid's auction is the hot one (last auction id rounded down to 100) with P = 1/2, else
 *   uniform over the last 100 auctions plus 10 ids ahead; its bidder the hot bidder (last person
 *   rounded down to 100, + 1) with P = 3/4, else uniform over the last 1000 people plus 10 ahead;
 *   an auction's seller the hot seller with P = 3/4. An auction expires
 *   `1 + U[0, 2 * horizon)` after it starts, horizon = time until 100 more auctions exist.
 * - A bid's channel is one of 4 hot channels with P = 1/2, else `channel-i`, i < 10,000, each with
 *   its URL (precomputed tables: no string is built per bid).
 *
 * Differences, on purpose: randomness is a seeded mulberry32 reseeded with each event id (so an
 * event depends on its number alone and the source can replay from any position), not
 * `java.util.Random`; random strings are slices of a fixed random text; and the `extra` padding
 * up to the average sizes (200/500/100 B) is off by default (`padding: true` turns it on),
 * because building it would measure random string building rather than stream processing.
 */
import { Rng } from '../harness/rng.js';
import { AUCTION, type Auction, BID, type Bid, type NexmarkEvent, PERSON, type Person } from './model.js';

/** Options of the generator. */
export interface NexmarkConfig {
  /** Events per second of event time (default 100,000: a good size for one process). */
  readonly firstEventRate?: number;
  /** Event time of event 0 (default 2024-01-01T00:00:00Z). */
  readonly baseTime?: number;
  /** Events are permuted within groups of this size (default 1: timestamps never decrease). */
  readonly outOfOrderGroupSize?: number;
  /** Pad `extra` to Nexmark's average event sizes (default false). */
  readonly padding?: boolean;
  readonly seed?: number;
}

const TOTAL_PROPORTION = 50;
const PERSON_PROPORTION = 1;
const AUCTION_PROPORTION = 3;
const FIRST_ID = 1000;
const FIRST_CATEGORY_ID = 10;
const NUM_CATEGORIES = 5;
const HOT_AUCTION_RATIO = 2;
const HOT_BIDDERS_RATIO = 4;
const HOT_SELLERS_RATIO = 4;
/** Hot ids are the first of each batch of this many. */
const HOT_BATCH = 100;
const NUM_ACTIVE_PEOPLE = 1000;
const NUM_IN_FLIGHT_AUCTIONS = 100;
const ID_LEAD = 10;
const NUM_CHANNELS = 10_000;
const SIX_LN10 = 6 * Math.LN10;

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const HOT_URLS = HOT_CHANNELS.map((c) => `https://www.nexmark.com/${c.toLowerCase()}/item.htm?query=1`);

/** Random text that random strings are sliced from (letters, and a space 1 time in 13). */
const TEXT = ((): string => {
  const rng = new Rng(12345);
  let s = '';
  for (let i = 0; i < 16384; i++) s += rng.int(13) === 0 ? ' ' : String.fromCharCode(97 + rng.int(26));
  return s;
})();

const CHANNELS = ((): { names: string[]; urls: string[] } => {
  const rng = new Rng(54321);
  const names: string[] = [];
  const urls: string[] = [];
  for (let i = 0; i < NUM_CHANNELS; i++) {
    names.push(`channel-${i}`);
    urls.push(`https://www.nexmark.com/${TEXT.substr(rng.int(16000), 5).trim() || 'x'}/item.htm?query=1&channel_id=${i}`);
  }
  return { names, urls };
})();

/**
 * The event generator: `next()` returns event 0, 1, 2... of the configured stream.
 *
 * @example
 * ```ts
 * const gen = new NexmarkGenerator({ firstEventRate: 100_000 });
 * for (let i = 0; i < 1000; i++) {
 *   const e = gen.next();
 *   if (e.kind === BID) total += e.price;
 * }
 * ```
 */
export class NexmarkGenerator {
  private readonly rng = new Rng(0);
  private readonly delayUs: number;
  private readonly baseTime: number;
  private readonly groupSize: number;
  private readonly padding: boolean;
  private readonly seed: number;
  private count = 0;

  constructor(config: NexmarkConfig = {}) {
    this.delayUs = 1e6 / (config.firstEventRate ?? 100_000);
    this.baseTime = config.baseTime ?? 1_704_067_200_000;
    this.groupSize = config.outOfOrderGroupSize ?? 1;
    this.padding = config.padding ?? false;
    this.seed = config.seed ?? 0;
  }

  /** Events generated so far (the replay position). */
  get position(): number {
    return this.count;
  }
  set position(n: number) {
    this.count = n;
  }

  /** Event time of event number `n`. */
  timestampForEvent(n: number): number {
    return this.baseTime + Math.floor(Math.floor(n * this.delayUs) / 1000);
  }

  /**
   * A watermark that holds for every event still to come: the timestamp of the first event of
   * the current out-of-order group.
   */
  watermark(): number {
    const n = this.groupSize;
    return this.timestampForEvent(Math.floor(this.count / n) * n);
  }

  next(): NexmarkEvent {
    const count = this.count++;
    const id = this.adjusted(count);
    const ts = this.timestampForEvent(id);
    this.rng.reseed(id + this.seed * 4294967296);
    const rem = id % TOTAL_PROPORTION;
    if (rem < PERSON_PROPORTION) return this.person(id, ts);
    if (rem < PERSON_PROPORTION + AUCTION_PROPORTION) return this.auction(count, id, ts);
    return this.bid(id, ts);
  }

  private adjusted(n: number): number {
    const g = this.groupSize;
    return g === 1 ? n : Math.floor(n / g) * g + ((n * 953) % g);
  }

  private person(id: number, ts: number): Person {
    const rng = this.rng;
    const name = `${FIRST_NAMES[rng.int(FIRST_NAMES.length)]} ${LAST_NAMES[rng.int(LAST_NAMES.length)]}`;
    const emailAddress = `${this.nextString(7)}@${this.nextString(5)}.com`;
    const creditCard = `${pad4(rng.int(10000))} ${pad4(rng.int(10000))} ${pad4(rng.int(10000))} ${pad4(rng.int(10000))}`;
    const city = US_CITIES[rng.int(US_CITIES.length)]!;
    const state = US_STATES[rng.int(US_STATES.length)]!;
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return {
      kind: PERSON,
      id: lastBase0PersonId(id) + FIRST_ID,
      name,
      emailAddress,
      creditCard,
      city,
      state,
      dateTime: ts,
      extra: this.nextExtra(size, 200),
    };
  }

  private auction(count: number, id: number, ts: number): Auction {
    const rng = this.rng;
    const seller = (rng.int(HOT_SELLERS_RATIO) > 0 ? hotId(lastBase0PersonId(id)) : this.nextBase0PersonId(id)) + FIRST_ID;
    const category = FIRST_CATEGORY_ID + rng.int(NUM_CATEGORIES);
    const initialBid = this.nextPrice();
    const expires = ts + this.nextAuctionLengthMs(count, ts);
    const itemName = this.nextString(20);
    const description = this.nextString(100);
    const reserve = initialBid + this.nextPrice();
    return {
      kind: AUCTION,
      id: lastBase0AuctionId(id) + FIRST_ID,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime: ts,
      expires,
      seller,
      category,
      extra: this.nextExtra(8 + itemName.length + description.length + 40, 500),
    };
  }

  private bid(id: number, ts: number): Bid {
    const rng = this.rng;
    const auction = (rng.int(HOT_AUCTION_RATIO) > 0 ? hotId(lastBase0AuctionId(id)) : this.nextBase0AuctionId(id)) + FIRST_ID;
    const bidder = (rng.int(HOT_BIDDERS_RATIO) > 0 ? hotId(lastBase0PersonId(id)) + 1 : this.nextBase0PersonId(id)) + FIRST_ID;
    const price = this.nextPrice();
    let channel: string;
    let url: string;
    if (rng.int(2) > 0) {
      const i = rng.int(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = HOT_URLS[i]!;
    } else {
      const i = rng.int(NUM_CHANNELS);
      channel = CHANNELS.names[i]!;
      url = CHANNELS.urls[i]!;
    }
    return { kind: BID, auction, bidder, price, channel, url, dateTime: ts, extra: this.nextExtra(32, 100) };
  }

  private nextBase0PersonId(id: number): number {
    const numPeople = lastBase0PersonId(id) + 1;
    const active = Math.min(numPeople, NUM_ACTIVE_PEOPLE);
    return numPeople - active + this.rng.long(active + ID_LEAD);
  }

  private nextBase0AuctionId(id: number): number {
    const max = lastBase0AuctionId(id);
    const min = Math.max(max - NUM_IN_FLIGHT_AUCTIONS, 0);
    return min + this.rng.long(max - min + 1 + ID_LEAD);
  }

  private nextPrice(): number {
    // 10^(6u) * 100, through exp (cheaper than pow).
    return Math.round(Math.exp(this.rng.double() * SIX_LN10) * 100);
  }

  private nextAuctionLengthMs(count: number, ts: number): number {
    const eventsForAuctions = Math.floor((NUM_IN_FLIGHT_AUCTIONS * TOTAL_PROPORTION) / AUCTION_PROPORTION);
    const horizon = this.timestampForEvent(this.adjusted(count) + eventsForAuctions) - ts;
    return 1 + this.rng.long(Math.max(horizon * 2, 1));
  }

  /** A random string of 3 to `maxLength - 1` characters. */
  private nextString(maxLength: number): string {
    const len = 3 + this.rng.int(maxLength - 3);
    const at = this.rng.int(TEXT.length - len);
    return TEXT.substring(at, at + len);
  }

  /** Padding so that `currentSize` + its length averages `averageSize` (empty unless `padding`). */
  private nextExtra(currentSize: number, averageSize: number): string {
    if (!this.padding || currentSize > averageSize) return '';
    const desired = averageSize - currentSize;
    const delta = Math.round(desired * 0.2);
    const size = desired - delta + (delta === 0 ? 0 : this.rng.int(2 * delta));
    const at = this.rng.int(TEXT.length - size);
    return TEXT.substring(at, at + size);
  }
}

/** The person id (base 0) of the newest person at event `id`. */
function lastBase0PersonId(id: number): number {
  return Math.floor(id / TOTAL_PROPORTION);
}

/** The auction id (base 0) of the newest auction at event `id` (the event's own if it is one). */
function lastBase0AuctionId(id: number): number {
  let epoch = Math.floor(id / TOTAL_PROPORTION);
  let offset = id % TOTAL_PROPORTION;
  if (offset < PERSON_PROPORTION) {
    epoch--;
    offset = AUCTION_PROPORTION - 1;
  } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) offset = AUCTION_PROPORTION - 1;
  else offset -= PERSON_PROPORTION;
  return epoch * AUCTION_PROPORTION + offset;
}

function hotId(base0: number): number {
  return Math.floor(base0 / HOT_BATCH) * HOT_BATCH;
}

function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}
