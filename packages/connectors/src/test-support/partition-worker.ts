/**
 * A weir process for the partition-ownership tests (bundled and run with `node` by the test):
 * reads a partitioned Redis stream with leases and copies every entry to an output stream,
 * tagging it with this process's owner id. Prints `OWNED [..]` whenever its partitions change.
 * argv: redisUrl stream partitions maxPartitions ownerId outputStream leaseMs checkpointDir
 * @internal
 */
import { StreamEnvironment } from '@weir/core';
import { RedisStreamSink, RedisStreamSource } from '@weir/connectors';

interface Click {
  user: string;
  n: number;
}

async function main(): Promise<void> {
  const [url, stream, partitions, maxPartitions, ownerId, output, leaseMs, dir] = process.argv.slice(2) as [string, string, string, string, string, string, string, string];
  const source = new RedisStreamSource<Click>({
    redis: url,
    stream,
    partitions: Number(partitions),
    group: 'workers',
    blockMs: 20,
    ownership: { maxPartitions: Number(maxPartitions), leaseMs: Number(leaseMs), ownerId },
  });
  const env = StreamEnvironment.create({ checkpointing: { intervalMs: 50, dir }, logger: { info: () => {}, warn: (m) => console.error(m) } });
  env
    .fromSource(source)
    .uid('in')
    .sinkTo(new RedisStreamSink<Click>({ redis: url, stream: output, routingKey: (c) => c.user, sinkId: ownerId, encode: (c) => ({ v: JSON.stringify(c), owner: ownerId }) }))
    .uid('out');
  let last = '';
  setInterval(() => {
    const owned = JSON.stringify(source.ownedPartitions());
    if (owned !== last) {
      last = owned;
      console.log(`OWNED ${owned}`);
    }
  }, 20);
  await env.execute(`worker ${ownerId}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
