/**
 * Nexmark's data model (the Flink suite's `Person`, `Auction` and `Bid`, with the Flink suite's
 * `channel` and `url` on bids), as one discriminated union: an event *is* its person, auction or
 * bid, told apart by `kind` (the Flink suite's `event_type`: 0 person, 1 auction, 2 bid). Times
 * are epoch milliseconds.
 */

/** `event_type` of a person. */
export const PERSON = 0;
/** `event_type` of an auction. */
export const AUCTION = 1;
/** `event_type` of a bid. */
export const BID = 2;

/**
 * A new user of the auction site.
 *
 * @example
 * ```ts
 * if (e.kind === PERSON) console.log(e.name, e.state);
 * ```
 */
export interface Person {
  readonly kind: typeof PERSON;
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  readonly dateTime: number;
  readonly extra: string;
}

/**
 * An item put up for auction.
 *
 * @example
 * ```ts
 * if (e.kind === AUCTION && e.category === 10) console.log(e.seller);
 * ```
 */
export interface Auction {
  readonly kind: typeof AUCTION;
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  readonly dateTime: number;
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

/**
 * A bid on an auction.
 *
 * @example
 * ```ts
 * if (e.kind === BID) console.log(e.auction, e.price);
 * ```
 */
export interface Bid {
  readonly kind: typeof BID;
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  readonly dateTime: number;
  readonly extra: string;
}

/** Any Nexmark event. */
export type NexmarkEvent = Person | Auction | Bid;

/**
 * Type guard for bids (the `bid` view of the Flink suite).
 *
 * @example
 * ```ts
 * events.filter(isBid).map((b) => b.price);
 * ```
 */
export const isBid = (e: NexmarkEvent): e is Bid => e.kind === BID;

/**
 * Type guard for auctions.
 *
 * @example
 * ```ts
 * events.filter(isAuction);
 * ```
 */
export const isAuction = (e: NexmarkEvent): e is Auction => e.kind === AUCTION;

/**
 * Type guard for persons.
 *
 * @example
 * ```ts
 * events.filter(isPerson);
 * ```
 */
export const isPerson = (e: NexmarkEvent): e is Person => e.kind === PERSON;
