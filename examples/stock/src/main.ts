#!/usr/bin/env node
/**
 * `pnpm stock`: the stock-price application of Flink's 2015 streaming example on weir.
 * Run with `--help` for the options.
 *
 * @example
 * ```sh
 * node examples/stock/dist/main.js --duration 30 --rate 10 --seed 42
 * ```
 */
import { parseCli } from './cli.js';
import { runStock } from './run.js';

// `stock --json | head` closes our stdout early: that ends the program quietly, as for other tools.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const parsed = parseCli(process.argv.slice(2), {
  writeOut: (s) => process.stdout.write(s),
  writeErr: (s) => process.stderr.write(s),
});
if ('exitCode' in parsed) process.exit(parsed.exitCode);

const code = await runStock(parsed.options, {
  stdout: process.stdout,
  stderr: process.stderr,
  onStop: (stop) => {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
});
process.exitCode = code;
// Leave time to flush stdout; then go even if a socket reconnect timer is still pending.
setTimeout(() => process.exit(code), 1000).unref();
