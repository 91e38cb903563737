/**
 * How events become bytes in the stream store (and back).
 */

/**
 * Encodes and decodes events. `deserialize` may throw: the source then sends the event to the
 * dead-letter output with the reason instead of failing.
 *
 * @example
 * ```ts
 * const utf8: Serializer<string> = { serialize: (s) => Buffer.from(s), deserialize: (b) => b.toString() };
 * ```
 */
export interface Serializer<T> {
  serialize(value: T): Buffer;
  deserialize(bytes: Buffer): T;
}

/**
 * JSON (UTF-8), the default.
 *
 * @example
 * ```ts
 * const writer = await manager.createWriter('shop', 'orders', jsonSerializer<Order>());
 * ```
 */
export function jsonSerializer<T>(): Serializer<T> {
  return {
    serialize: (value) => Buffer.from(JSON.stringify(value), 'utf8'),
    deserialize: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
}
