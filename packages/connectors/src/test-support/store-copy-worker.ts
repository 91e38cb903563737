/**
 * A weir process for the crash tests (bundled and run with `node`): copies a stream of the
 * embedded store to another one (doubling `n`), exactly-once, with checkpoints; restores from the
 * latest checkpoint when asked; follows the input until killed. Failpoints (WEIR_FAILPOINTS) kill
 * it at chosen instants of the checkpoint and commit path.
 * argv: root scope input output checkpointDir restore(0|1)
 * @internal
 */
import { StreamEnvironment } from '@weir/core';
import { StreamStoreSink, StreamStoreSource } from '@weir/connectors';
import { failpointsFromEnv } from './failpoints.js';

interface Order {
  id: number;
  customer: string;
}

async function main(): Promise<void> {
  const [root, scope, input, output, dir, restore] = process.argv.slice(2) as [string, string, string, string, string, string];
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 20, dir, retain: 2 },
    restore: restore === '1' ? 'latest' : false,
    logger: { info: () => {}, warn: () => {} },
    faults: failpointsFromEnv(),
  });
  env
    .fromSource(new StreamStoreSource<Order>({ root, scope, stream: input, pollIntervalMs: 5 }))
    .uid('in')
    .map((o) => ({ ...o, id: o.id * 2 }))
    .uid('double')
    .sinkTo(new StreamStoreSink<Order>({ root, scope, stream: output, routingKey: (o) => o.customer, sinkId: 'copier' }))
    .uid('out');
  console.log('STARTED');
  await env.execute('store copy');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
