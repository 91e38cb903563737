/**
 * A weir process for the Redis crash tests (bundled and run with `node`): copies a partitioned
 * Redis stream to another one, exactly-once, with checkpoints; restores from the latest
 * checkpoint when asked. Failpoints (WEIR_FAILPOINTS) kill it at chosen instants.
 * argv: redisUrl input output checkpointDir restore(0|1)
 * @internal
 */
import { StreamEnvironment } from '@weir/core';
import { RedisStreamSink, RedisStreamSource } from '@weir/connectors';
import { failpointsFromEnv } from './failpoints.js';

interface Click {
  user: string;
  n: number;
}

async function main(): Promise<void> {
  const [url, input, output, dir, restore] = process.argv.slice(2) as [string, string, string, string, string];
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 20, dir, retain: 2 },
    restore: restore === '1' ? 'latest' : false,
    logger: { info: () => {}, warn: () => {} },
    faults: failpointsFromEnv(),
  });
  env
    .fromSource(new RedisStreamSource<Click>({ redis: url, stream: input, partitions: 2, group: 'copy', blockMs: 20 }))
    .uid('in')
    .sinkTo(new RedisStreamSink<Click>({ redis: url, stream: output, routingKey: (c) => c.user, sinkId: 'copier' }))
    .uid('out');
  await env.execute('redis copy');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
