/**
 * Stream metadata (`stream.json`) and the routing of keys to segments.
 * @internal
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, keyGroupOf } from '@weir/core';

/**
 * How many segments a stream has.
 *
 * @example
 * ```ts
 * await manager.createStream('shop', 'orders', { scalingPolicy: { minSegments: 4 } });
 * ```
 */
export interface ScalingPolicy {
  /** Segments of the stream; keys are spread over them by hash. At least 1. */
  readonly minSegments: number;
}

/**
 * What `stream.json` holds.
 *
 * @example
 * ```ts
 * const { segments, scalingPolicy } = await manager.getStreamConfig('shop', 'orders');
 * ```
 */
export interface StreamConfig {
  readonly scope: string;
  readonly stream: string;
  readonly segments: number;
  readonly scalingPolicy: ScalingPolicy;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Throws a ConfigError unless `name` is a usable scope, stream or group name. */
export function checkName(kind: string, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name) || name.includes('..')) {
    throw new ConfigError(`${kind} name ${JSON.stringify(name)} is not valid: use letters, digits, '.', '_' and '-' (1-128 characters, starting with a letter or digit)`);
  }
}

export const streamDir = (root: string, scope: string, stream: string) => join(root, scope, stream);
export const segmentPath = (dir: string, segment: number) => join(dir, `segment-${segment}.log`);
/** The commit record of a segment (see `commit-record.ts`). */
export const commitRecordPath = (segmentFile: string) => segmentFile.replace(/\.log$/, '.committed');
/** The segment number of a segment file path (`.../segment-3.log` -> 3). */
export const segmentNumberOf = (segmentFile: string) => Number(/segment-(\d+)\.log$/.exec(segmentFile)?.[1] ?? Number.NaN);
export const configPath = (dir: string) => join(dir, 'stream.json');

/** The segment of a routing key: a hash of the key modulo the segment count (stable across processes). */
export function segmentOf(routingKey: string, segments: number): number {
  return keyGroupOf(routingKey, segments);
}

export async function readConfig(root: string, scope: string, stream: string): Promise<StreamConfig> {
  const dir = streamDir(root, scope, stream);
  let text: string;
  try {
    text = await readFile(configPath(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(`stream ${scope}/${stream} does not exist under ${root}: create it with StreamManager.createStream`);
    throw e;
  }
  return JSON.parse(text) as StreamConfig;
}

/** Writes a file atomically and durably: temp file, fsync, rename, fsync of the directory. */
export async function writeAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(content);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
