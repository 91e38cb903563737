/**
 * The contexts the broadcast state pattern's functions get: a read-only view of broadcast state on
 * the element side, read-write broadcast state on the broadcast side, and, keyed, the key's state
 * and timers plus `applyToKeyedState` over every key's state (Flink's `ReadOnlyContext`,
 * `Context`, and their keyed forms).
 */
import type {
  BroadcastContext,
  BroadcastReadOnlyContext,
  BroadcastState,
  KeyedBroadcastContext,
  ReadOnlyBroadcastState,
} from '../../contract/broadcast-functions.js';
import { type ContextOwner, KeyedContextImpl, ProcessContextImpl } from '../../contract/process-context.js';
import type { MapStateDescriptor, StateDescriptor } from '../../state/descriptors.js';
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js';
import { VOID_NAMESPACE } from '../../state/state-table.js';
import type { BroadcastStateStore } from './broadcast-state-store.js';

export class ReadOnlyContextImpl extends ProcessContextImpl implements BroadcastReadOnlyContext {
  constructor(
    owner: ContextOwner,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner);
  }
  getBroadcastState<K, V>(d: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return this.store.readOnly(d.name) as ReadOnlyBroadcastState<K, V>;
  }
}

export class BroadcastContextImpl extends ProcessContextImpl implements BroadcastContext {
  constructor(
    owner: ContextOwner,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner);
  }
  getBroadcastState<K, V>(d: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.store.writable(d.name) as BroadcastState<K, V>;
  }
}

export class KeyedReadOnlyContextImpl<K> extends KeyedContextImpl<K> {
  constructor(
    owner: ContextOwner,
    backend: KeyedStateBackend,
    private readonly store: BroadcastStateStore,
  ) {
    super(owner, backend);
  }
  getBroadcastState<KK, V>(d: MapStateDescriptor<KK, V>): ReadOnlyBroadcastState<KK, V> {
    return this.store.readOnly(d.name) as ReadOnlyBroadcastState<KK, V>;
  }
}

export class KeyedBroadcastContextImpl extends BroadcastContextImpl implements KeyedBroadcastContext<unknown> {
  constructor(
    owner: ContextOwner,
    store: BroadcastStateStore,
    private readonly backend: KeyedStateBackend,
  ) {
    super(owner, store);
  }

  /** Every key with a value in the state, one after the other as the current key (Flink's applyToKeyedState). */
  applyToKeyedState(d: StateDescriptor, fn: (key: unknown, state: never) => void): void {
    const backend = this.backend;
    const state = stateOf(backend, d);
    // Collected first: the function may clear the state it is given.
    const keys = [...backend.table(d.name, d.kind).keysIn(VOID_NAMESPACE)];
    const saved = backend.currentKey;
    try {
      for (const k of keys) {
        backend.currentKey = k;
        fn(backend.userKey(k), state as never);
      }
    } finally {
      backend.currentKey = saved;
    }
  }
}

function stateOf(backend: KeyedStateBackend, d: StateDescriptor): unknown {
  switch (d.kind) {
    case 'value':
      return backend.getState(d);
    case 'list':
      return backend.getListState(d);
    case 'map':
      return backend.getMapState(d);
    case 'reducing':
      return backend.getReducingState(d);
    case 'aggregating':
      return backend.getAggregatingState(d);
  }
}
