/**
 * State descriptors: the name and kind of a piece of keyed state (Flink's `*StateDescriptor`),
 * and optionally its time-to-live (`enableTimeToLive`, state-ttl.ts). The name identifies the
 * state in checkpoints, so keep it stable across versions of a job.
 */
import type { AggregateFunction, ReduceFunction } from '../functions/functions.js';
import { type StateTtlConfig, type TtlOptions, toTtlConfig } from './state-ttl.js';

/**
 * A single value per key.
 *
 * @example
 * ```ts
 * const lastPrice = new ValueStateDescriptor<number>('last-price');
 * ```
 */
export class ValueStateDescriptor<T> {
  readonly kind = 'value' as const;
  constructor(
    readonly name: string,
    readonly defaultValue?: T,
  ) {}
  /** The state's time-to-live, if {@link enableTimeToLive} was called. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Makes the state expire (Flink's `enableTimeToLive`): a {@link StateTtlConfig}, or the same settings as {@link TtlOptions}. */
  enableTimeToLive(config: StateTtlConfig | TtlOptions): this {
    this.ttlConfig = toTtlConfig(config);
    return this;
  }
}

/**
 * A list of values per key.
 *
 * @example
 * ```ts
 * const seen = new ListStateDescriptor<Tick>('seen');
 * ```
 */
export class ListStateDescriptor<T> {
  readonly kind = 'list' as const;
  declare readonly _type?: T;
  constructor(readonly name: string) {}
  /** The state's time-to-live, if {@link enableTimeToLive} was called. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Makes the state expire (Flink's `enableTimeToLive`): a {@link StateTtlConfig}, or the same settings as {@link TtlOptions}. */
  enableTimeToLive(config: StateTtlConfig | TtlOptions): this {
    this.ttlConfig = toTtlConfig(config);
    return this;
  }
}

/**
 * A map per key.
 *
 * @example
 * ```ts
 * const perUser = new MapStateDescriptor<string, number>('per-user');
 * ```
 */
export class MapStateDescriptor<K, V> {
  readonly kind = 'map' as const;
  declare readonly _type?: [K, V];
  constructor(readonly name: string) {}
  /** The state's time-to-live, if {@link enableTimeToLive} was called. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Makes the state expire (Flink's `enableTimeToLive`): a {@link StateTtlConfig}, or the same settings as {@link TtlOptions}. */
  enableTimeToLive(config: StateTtlConfig | TtlOptions): this {
    this.ttlConfig = toTtlConfig(config);
    return this;
  }
}

/**
 * A value per key that every `add` folds in with a reduce function.
 *
 * @example
 * ```ts
 * const total = new ReducingStateDescriptor<number>('total', (a, b) => a + b);
 * ```
 */
export class ReducingStateDescriptor<T> {
  readonly kind = 'reducing' as const;
  constructor(
    readonly name: string,
    readonly reduce: ReduceFunction<T>,
  ) {}
  /** The state's time-to-live, if {@link enableTimeToLive} was called. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Makes the state expire (Flink's `enableTimeToLive`): a {@link StateTtlConfig}, or the same settings as {@link TtlOptions}. */
  enableTimeToLive(config: StateTtlConfig | TtlOptions): this {
    this.ttlConfig = toTtlConfig(config);
    return this;
  }
}

/**
 * A value per key that every `add` folds in with an aggregate function.
 *
 * @example
 * ```ts
 * const avg = new AggregatingStateDescriptor('avg', averageFunction);
 * ```
 */
export class AggregatingStateDescriptor<IN, ACC, OUT> {
  readonly kind = 'aggregating' as const;
  constructor(
    readonly name: string,
    readonly aggregate: AggregateFunction<IN, ACC, OUT>,
  ) {}
  /** The state's time-to-live, if {@link enableTimeToLive} was called. */
  ttlConfig: StateTtlConfig | undefined = undefined;
  /** Makes the state expire (Flink's `enableTimeToLive`): a {@link StateTtlConfig}, or the same settings as {@link TtlOptions}. */
  enableTimeToLive(config: StateTtlConfig | TtlOptions): this {
    this.ttlConfig = toTtlConfig(config);
    return this;
  }
}

/**
 * Any state descriptor.
 *
 * @example
 * ```ts
 * const descriptors: StateDescriptor[] = [new ValueStateDescriptor<number>('count'), new ListStateDescriptor<string>('seen')];
 * ```
 */
export type StateDescriptor =
  | ValueStateDescriptor<unknown>
  | ListStateDescriptor<unknown>
  | MapStateDescriptor<unknown, unknown>
  | ReducingStateDescriptor<unknown>
  | AggregatingStateDescriptor<unknown, unknown, unknown>;
