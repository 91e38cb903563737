/**
 * `StreamManager`: the embedded stream store's entry point — on disk, no server. A root directory
 * holds scopes; a scope holds streams; a stream is a fixed set of segments (append-only files)
 * chosen by its scaling policy's `minSegments`, and events go to the segment of their routing
 * key. Layout: `<root>/<scope>/<stream>/{stream.json, segment-<n>.log, segment-<n>.committed,
 * txn/, readergroups/}` (`.committed`: the segment's commit record, see `commit-record.ts`).
 *
 * One process writes a given stream at a time (appends within a process are serialised per
 * segment; two processes appending to the same segment are not coordinated). Any number of
 * readers may read while it writes.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError } from '@weir/core';
import { EventStreamWriter } from './event-stream-writer.js';
import { ReaderGroup, type StreamPositions } from './reader-group.js';
import { jsonSerializer, type Serializer } from './serializer.js';
import { createCommitRecord } from './commit-record.js';
import { checkName, commitRecordPath, readConfig, type ScalingPolicy, segmentPath, type StreamConfig, streamDir, syncDir, writeAtomic, configPath } from './stream-config.js';
import { open } from 'node:fs/promises';

/**
 * Creates and opens scopes and streams under a root directory.
 *
 * @example
 * ```ts
 * const manager = new StreamManager('./data/streams');
 * await manager.createScope('shop');
 * await manager.createStream('shop', 'orders', { scalingPolicy: { minSegments: 4 } });
 * const writer = await manager.createWriter<Order>('shop', 'orders');
 * await writer.writeEvent(order.customerId, order);
 * ```
 */
export class StreamManager {
  readonly root: string;

  constructor(root: string) {
    if (typeof root !== 'string' || root.length === 0) throw new ConfigError('StreamManager needs a root directory');
    this.root = resolve(root);
  }

  /**
   * Creates a scope; false when it already existed.
   *
   * @example
   * ```ts
   * await manager.createScope('shop');
   * ```
   */
  async createScope(scope: string): Promise<boolean> {
    checkName('scope', scope);
    const dir = join(this.root, scope);
    const existed = await exists(dir);
    await mkdir(dir, { recursive: true });
    if (!existed) await syncDir(this.root);
    return !existed;
  }

  /**
   * Creates a stream with `scalingPolicy.minSegments` segments (default 1); false when it already
   * existed with the same policy. A different policy for an existing stream is a ConfigError:
   * changing the segment count would move keys to other segments and break per-key order.
   *
   * @example
   * ```ts
   * await manager.createStream('shop', 'orders', { scalingPolicy: { minSegments: 4 } });
   * ```
   */
  async createStream(scope: string, stream: string, options: { readonly scalingPolicy?: ScalingPolicy } = {}): Promise<boolean> {
    checkName('scope', scope);
    checkName('stream', stream);
    const minSegments = options.scalingPolicy?.minSegments ?? 1;
    if (!Number.isInteger(minSegments) || minSegments < 1 || minSegments > 4096) {
      throw new ConfigError(`stream ${scope}/${stream}: scalingPolicy.minSegments must be an integer in 1..4096 (got ${minSegments})`);
    }
    if (!(await exists(join(this.root, scope)))) throw new ConfigError(`scope ${scope} does not exist under ${this.root}: call createScope('${scope}') first`);
    const dir = streamDir(this.root, scope, stream);
    if (await exists(configPath(dir))) {
      const existing = await readConfig(this.root, scope, stream);
      if (existing.segments !== minSegments) {
        throw new ConfigError(`stream ${scope}/${stream} exists with ${existing.segments} segments; it cannot be recreated with minSegments ${minSegments}`);
      }
      return false;
    }
    await mkdir(join(dir, 'txn'), { recursive: true });
    for (let s = 0; s < minSegments; s++) {
      // No writer opens a stream before its stream.json exists, so the segments are empty here.
      await (await open(segmentPath(dir, s), 'a')).close();
      await createCommitRecord(commitRecordPath(segmentPath(dir, s)));
    }
    const config: StreamConfig = { scope, stream, segments: minSegments, scalingPolicy: { minSegments } };
    await writeAtomic(configPath(dir), JSON.stringify(config, null, 2)); // last: its presence means the stream is complete
    await syncDir(join(this.root, scope));
    return true;
  }

  /**
   * The stream's configuration (segment count, scaling policy).
   *
   * @example
   * ```ts
   * const { segments } = await manager.getStreamConfig('shop', 'orders');
   * ```
   */
  getStreamConfig(scope: string, stream: string): Promise<StreamConfig> {
    checkName('scope', scope);
    checkName('stream', stream);
    return readConfig(this.root, scope, stream);
  }

  /**
   * Names of the streams of a scope.
   *
   * @example
   * ```ts
   * await manager.listStreams('shop'); // ['orders', 'payments']
   * ```
   */
  async listStreams(scope: string): Promise<string[]> {
    checkName('scope', scope);
    const entries = await readdir(join(this.root, scope), { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) if (e.isDirectory() && (await exists(configPath(join(this.root, scope, e.name))))) out.push(e.name);
    return out.sort();
  }

  /**
   * A writer of the stream (a missing stream is a ConfigError).
   *
   * @example
   * ```ts
   * const writer = await manager.createWriter<string>('logs', 'app');
   * ```
   */
  async createWriter<T>(scope: string, stream: string, serializer: Serializer<T> = jsonSerializer<T>()): Promise<EventStreamWriter<T>> {
    const config = await this.getStreamConfig(scope, stream);
    return new EventStreamWriter<T>(streamDir(this.root, scope, stream), config, serializer);
  }

  /**
   * A reader group over all segments of a stream, starting at the positions it last committed
   * (or at the beginning).
   *
   * @example
   * ```ts
   * const group = await manager.createReaderGroup<Order>('billing', 'shop', 'orders');
   * ```
   */
  async createReaderGroup<T>(
    group: string,
    scope: string,
    stream: string,
    options: { readonly serializer?: Serializer<T>; readonly positions?: StreamPositions } = {},
  ): Promise<ReaderGroup<T>> {
    checkName('reader group', group);
    const config = await this.getStreamConfig(scope, stream);
    const dir = streamDir(this.root, scope, stream);
    const start = options.positions ?? (await ReaderGroup.storedPositions(dir, group));
    return new ReaderGroup<T>(group, dir, config, options.serializer ?? jsonSerializer<T>(), start);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
