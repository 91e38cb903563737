/**
 * The broadcast states of one operator: one map per descriptor declared in
 * `broadcast(...descriptors)`, read-write for the broadcast side and read-only for the element
 * side. Operator state: a checkpoint takes a structured clone of every map (broadcast state is
 * small, and a clone keeps the snapshot apart from values the function changes later).
 * @internal
 */
import { CheckpointError, ConfigError } from '../../errors.js';
import type { BroadcastState, ReadOnlyBroadcastState } from '../../contract/broadcast-functions.js';

class MapBroadcastState<K, V> implements BroadcastState<K, V> {
  constructor(readonly map: Map<K, V>) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  contains(key: K): boolean {
    return this.map.has(key);
  }
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
  get size(): number {
    return this.map.size;
  }
  put(key: K, value: V): void {
    this.map.set(key, value);
  }
  putAll(entries: Iterable<[K, V]>): void {
    for (const [k, v] of entries) this.map.set(k, v);
  }
  remove(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

/** A read-only view: the element side cannot write, also not from JavaScript. */
class ReadOnlyView<K, V> implements ReadOnlyBroadcastState<K, V> {
  constructor(private readonly map: Map<K, V>) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  contains(key: K): boolean {
    return this.map.has(key);
  }
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
  get size(): number {
    return this.map.size;
  }
}

export class BroadcastStateStore {
  private readonly states = new Map<string, MapBroadcastState<unknown, unknown>>();
  private readonly views = new Map<string, ReadOnlyView<unknown, unknown>>();

  constructor(
    private readonly operatorName: string,
    names: readonly string[],
  ) {
    for (const name of names) {
      const map = new Map<unknown, unknown>();
      this.states.set(name, new MapBroadcastState(map));
      this.views.set(name, new ReadOnlyView(map));
    }
  }

  writable(name: string): BroadcastState<unknown, unknown> {
    return this.states.get(name) ?? this.missing(name);
  }

  readOnly(name: string): ReadOnlyBroadcastState<unknown, unknown> {
    return this.views.get(name) ?? this.missing(name);
  }

  /** Plain data for a checkpoint: name -> entries. */
  snapshot(): Record<string, Array<[unknown, unknown]>> | undefined {
    const out: Record<string, Array<[unknown, unknown]>> = {};
    let any = false;
    for (const [name, s] of this.states) {
      if (s.map.size === 0) continue;
      try {
        out[name] = structuredClone([...s.map]);
      } catch (e) {
        throw new CheckpointError(
          `Operator '${this.operatorName}': broadcast state '${name}' cannot be checkpointed (${(e as Error).message}); its keys and values must be structured-cloneable data`,
          undefined,
          { cause: e },
        );
      }
      any = true;
    }
    return any ? out : undefined;
  }

  restore(data: Record<string, Array<[unknown, unknown]>>): void {
    for (const [name, entries] of Object.entries(data)) {
      const s = this.states.get(name);
      // A state the job no longer declares is dropped (as allowNonRestoredState would for operators).
      if (s === undefined) continue;
      s.map.clear();
      for (const [k, v] of entries) s.map.set(k, v);
    }
  }

  private missing(name: string): never {
    throw new ConfigError(
      `Operator '${this.operatorName}': no broadcast state '${name}'. Declare its descriptor in stream.broadcast(descriptor) ` +
        `(declared: ${[...this.states.keys()].map((n) => `'${n}'`).join(', ') || 'none'}).`,
    );
  }
}
