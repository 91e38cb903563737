/**
 * State time-to-live (Flink's `StateTtlConfig`): keyed state that expires a fixed time of
 * processing time after it was last written (or read). A state descriptor gets it with
 * `enableTimeToLive(config)`; its values are then stored with the time of their last access
 * (lists per element, maps per entry), which checkpoints keep, so expiry continues across a
 * restore. The time is the job's processing-time clock (injectable, as for processing-time
 * windows).
 *
 * Expired values are never handed out (unless `ReturnExpiredIfNotCleanedUp`) and are removed:
 * when read; incrementally, a few entries of the state per access (and per record, if asked);
 * in the background, while the job has nothing else to do; and from full snapshots
 * (`cleanupFullSnapshot`; a delta writes them as removed).
 *
 * Example: `ttl(1000)`, OnCreateAndWrite: a value written at t=0 is visible until t=999 and gone
 * from t=1000; read at t=500 it still expires at 1000 (OnReadAndWrite: at 1500).
 */

/**
 * When a value's time-to-live starts again.
 *
 * @example
 * ```ts
 * StateTtlConfig.newBuilder(60_000).setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite).build();
 * ```
 */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';

/**
 * Whether an expired value that is still stored may be returned.
 *
 * @example
 * ```ts
 * StateTtlConfig.newBuilder(60_000).setStateVisibility(StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp).build();
 * ```
 */
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp';

/**
 * Incremental cleanup: entries checked per state access, and whether every record checks too.
 *
 * @example
 * ```ts
 * StateTtlConfig.newBuilder(1000).cleanupIncrementally(10, true).build().incrementalCleanup; // { cleanupSize: 10, runCleanupForEveryRecord: true }
 * ```
 */
export interface TtlIncrementalCleanup {
  readonly cleanupSize: number;
  readonly runCleanupForEveryRecord: boolean;
}

/**
 * The time-to-live of a piece of keyed state; built with {@link StateTtlConfig.newBuilder}.
 *
 * @example
 * ```ts
 * const ttl = StateTtlConfig.newBuilder(Time.minutes(30))
 *   .setUpdateType(StateTtlConfig.UpdateType.OnReadAndWrite)
 *   .cleanupFullSnapshot()
 *   .build();
 * const lastSeen = new ValueStateDescriptor<number>('last-seen').enableTimeToLive(ttl);
 * ```
 */
export class StateTtlConfig {
  /** Flink's `StateTtlConfig.UpdateType` values. */
  static readonly UpdateType = { OnCreateAndWrite: 'OnCreateAndWrite', OnReadAndWrite: 'OnReadAndWrite' } as const;
  /** Flink's `StateTtlConfig.StateVisibility` values. */
  static readonly StateVisibility = { NeverReturnExpired: 'NeverReturnExpired', ReturnExpiredIfNotCleanedUp: 'ReturnExpiredIfNotCleanedUp' } as const;

  private constructor(
    /** Time-to-live, ms of processing time. */
    readonly ttlMs: number,
    readonly updateType: TtlUpdateType,
    readonly stateVisibility: TtlStateVisibility,
    /** Expired values are left out of full snapshots. */
    readonly cleanupFullSnapshot: boolean,
    readonly incrementalCleanup: TtlIncrementalCleanup | undefined,
    /** Expired entries are removed while the job is idle. */
    readonly cleanupInBackground: boolean,
  ) {}

  /**
   * A builder for a time-to-live of `ttl` (ms, or a `Time`).
   *
   * @example
   * ```ts
   * const config = StateTtlConfig.newBuilder(10_000).build();
   * ```
   */
  static newBuilder(ttl: number | { toMilliseconds(): number }): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(typeof ttl === 'number' ? ttl : ttl.toMilliseconds());
  }

  /** @internal */
  static create(b: StateTtlConfigBuilder): StateTtlConfig {
    return new StateTtlConfig(b.ttlMs, b.updateType, b.stateVisibility, b.fullSnapshot, b.incremental, b.background);
  }
}

/**
 * Builds a {@link StateTtlConfig}, as Flink's `StateTtlConfig.Builder`. Defaults: OnCreateAndWrite,
 * NeverReturnExpired, incremental cleanup of 5 entries per access, background cleanup on.
 *
 * @example
 * ```ts
 * const config = StateTtlConfig.newBuilder(60_000).cleanupIncrementally(10, true).disableCleanupInBackground().build();
 * ```
 */
export class StateTtlConfigBuilder {
  /** @internal */ updateType: TtlUpdateType = 'OnCreateAndWrite';
  /** @internal */ stateVisibility: TtlStateVisibility = 'NeverReturnExpired';
  /** @internal */ fullSnapshot = false;
  /** @internal */ incremental: TtlIncrementalCleanup | undefined = { cleanupSize: 5, runCleanupForEveryRecord: false };
  /** @internal */ background = true;

  /** @internal */
  constructor(readonly ttlMs: number) {
    if (!(typeof ttlMs === 'number' && ttlMs > 0 && Number.isFinite(ttlMs))) {
      throw new RangeError(`StateTtlConfig: the time-to-live must be a positive, finite number of milliseconds (got ${String(ttlMs)})`);
    }
  }

  /** When the time-to-live starts again (default OnCreateAndWrite). */
  setUpdateType(type: TtlUpdateType): this {
    this.updateType = type;
    return this;
  }
  /** Shorthand for OnCreateAndWrite. */
  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType('OnCreateAndWrite');
  }
  /** Shorthand for OnReadAndWrite. */
  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType('OnReadAndWrite');
  }
  /** Whether expired values still stored may be returned (default NeverReturnExpired). */
  setStateVisibility(visibility: TtlStateVisibility): this {
    this.stateVisibility = visibility;
    return this;
  }
  /** Shorthand for NeverReturnExpired. */
  neverReturnExpired(): this {
    return this.setStateVisibility('NeverReturnExpired');
  }
  /** Shorthand for ReturnExpiredIfNotCleanedUp. */
  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility('ReturnExpiredIfNotCleanedUp');
  }
  /** Leave expired values out of full snapshots (a delta writes them as removed). */
  cleanupFullSnapshot(): this {
    this.fullSnapshot = true;
    return this;
  }
  /** Check `cleanupSize` entries of the state per access (and per record, if `runCleanupForEveryRecord`). */
  cleanupIncrementally(cleanupSize: number, runCleanupForEveryRecord: boolean): this {
    if (!(Number.isInteger(cleanupSize) && cleanupSize >= 0)) throw new RangeError(`StateTtlConfig: cleanupSize must be a whole number, 0 or more (got ${cleanupSize})`);
    this.incremental = cleanupSize === 0 ? undefined : { cleanupSize, runCleanupForEveryRecord };
    return this;
  }
  /** No cleanup but on read and in snapshots (if asked): neither incremental nor while idle. */
  disableCleanupInBackground(): this {
    this.background = false;
    this.incremental = undefined;
    return this;
  }
  build(): StateTtlConfig {
    return StateTtlConfig.create(this);
  }
}

/**
 * A time-to-live as a plain object, the same settings as {@link StateTtlConfig.newBuilder}'s
 * (defaults: OnCreateAndWrite, NeverReturnExpired, 5 entries checked per access, background
 * cleanup on).
 *
 * @example
 * ```ts
 * new ValueStateDescriptor<number>('last-seen').enableTimeToLive({ ttlMs: 60_000, update: 'OnReadAndWrite', cleanup: { fullSnapshot: true } });
 * ```
 */
export interface TtlOptions {
  /** Time-to-live, ms of processing time (> 0). */
  readonly ttlMs: number;
  /** When the time-to-live starts again (default `'OnCreateAndWrite'`). */
  readonly update?: TtlUpdateType;
  /** Whether an expired value still stored may be returned (default `'NeverReturnExpired'`). */
  readonly visibility?: TtlStateVisibility;
  readonly cleanup?: {
    /** Leave expired values out of full snapshots (default false). */
    readonly fullSnapshot?: boolean;
    /** Entries checked per access (and per record), or false for none (default 5 per access). */
    readonly incrementally?: TtlIncrementalCleanup | false;
    /** Remove expired entries while the job is idle (default true); false also turns incremental cleanup off unless given. */
    readonly inBackground?: boolean;
  };
}

const UPDATE_TYPES: readonly string[] = ['OnCreateAndWrite', 'OnReadAndWrite'];
const VISIBILITIES: readonly string[] = ['NeverReturnExpired', 'ReturnExpiredIfNotCleanedUp'];

/**
 * A {@link StateTtlConfig} from either form (a built config as it is). Unknown settings are
 * refused, so a misspelt option does not silently keep state forever.
 * @internal
 */
export function toTtlConfig(config: StateTtlConfig | TtlOptions): StateTtlConfig {
  if (config instanceof StateTtlConfig) return config;
  if (typeof config !== 'object' || config === null) throw new RangeError(`StateTtlConfig: expected a StateTtlConfig or { ttlMs, ... } (got ${String(config)})`);
  const known = ['ttlMs', 'update', 'visibility', 'cleanup'];
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new RangeError(`StateTtlConfig: unknown option(s) ${unknown.join(', ')}; the options are ${known.join(', ')}`);
  const b = StateTtlConfig.newBuilder(config.ttlMs);
  if (config.update !== undefined) {
    if (!UPDATE_TYPES.includes(config.update)) throw new RangeError(`StateTtlConfig: update must be one of ${UPDATE_TYPES.join(', ')} (got ${String(config.update)})`);
    b.setUpdateType(config.update);
  }
  if (config.visibility !== undefined) {
    if (!VISIBILITIES.includes(config.visibility)) throw new RangeError(`StateTtlConfig: visibility must be one of ${VISIBILITIES.join(', ')} (got ${String(config.visibility)})`);
    b.setStateVisibility(config.visibility);
  }
  const c = config.cleanup ?? {};
  const unknownCleanup = Object.keys(c).filter((k) => !['fullSnapshot', 'incrementally', 'inBackground'].includes(k));
  if (unknownCleanup.length > 0) throw new RangeError(`StateTtlConfig: unknown cleanup option(s) ${unknownCleanup.join(', ')}; the options are fullSnapshot, incrementally, inBackground`);
  if (c.fullSnapshot === true) b.cleanupFullSnapshot();
  if (c.inBackground === false) b.disableCleanupInBackground();
  if (c.incrementally === false) b.cleanupIncrementally(0, false);
  else if (c.incrementally !== undefined) b.cleanupIncrementally(c.incrementally.cleanupSize, c.incrementally.runCleanupForEveryRecord);
  return b.build();
}

/** A stored value with the processing time of its last access (Flink's `TtlValue`). Immutable. */
export interface TtlValue<T> {
  readonly v: T;
  readonly t: number;
}

/** @internal Whether a value last accessed at `t` has expired at `now` (Flink's `TtlUtils.expired`). */
export function isExpired(t: number, ttlMs: number, now: number): boolean {
  return t + ttlMs <= now;
}
