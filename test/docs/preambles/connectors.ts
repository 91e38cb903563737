// Preamble `connectors` (docs/README.md, "About the code samples"): `env`, the connectors and
// DEAD_LETTERS imported, and the README's example types: `Order` with a sample `order`, `Click`
// with an `enrich` function. The samples build jobs; they do not execute them (no servers needed).
import { DEAD_LETTERS, StreamEnvironment } from '@weir/core';
import { LineServerSource, RedisStreamSink, RedisStreamSource, StreamManager } from '@weir/connectors';
const env = StreamEnvironment.create();
interface Order { customerId: string; amount: number; time: number }
const order: Order = { customerId: 'c-42', amount: 99.5, time: Date.parse('2026-01-05T10:00:00Z') };
interface Click { user: string; page: string; at: number }
const enrich = (c: Click): Click => ({ ...c, page: c.page.toLowerCase() });
