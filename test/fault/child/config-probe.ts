/**
 * Runs a tiny checkpointed job on the directory given in argv[2] and prints how `execute()`
 * failed, as JSON ({ name, code, message }), or `null` when it succeeded. The config test runs
 * it as an unprivileged user, for whom file modes apply.
 */
import { StreamEnvironment } from '@weir/core';

const env = StreamEnvironment.create({ checkpointing: { intervalMs: 10, dir: process.argv[2] }, logger: { info: () => {}, warn: () => {} } });
env.fromElements(1, 2, 3).uid('numbers').collect();
try {
  await env.execute('probe');
  process.stdout.write('null');
} catch (e) {
  const err = e as Error & { code?: string };
  process.stdout.write(JSON.stringify({ name: err.name, code: err.code, message: err.message }));
}
