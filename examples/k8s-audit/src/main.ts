#!/usr/bin/env node
/**
 * `pnpm audit`: the seed's Kubernetes audit pipeline on weir. Run with `--help` for the options.
 *
 * @example
 * ```sh
 * node examples/k8s-audit/dist/main.js --duration 30
 * node examples/k8s-audit/dist/main.js --listen 5170 --token s3cret   # then: tail -F audit.log | (echo s3cret; cat) | nc 127.0.0.1 5170
 * node examples/k8s-audit/dist/main.js generate --minutes 10 > recorded.log
 * node examples/k8s-audit/dist/main.js replay --policy candidate.yaml recorded.log
 * ```
 */
import { parseCli } from './cli.js';
import { writeGenerated } from './generate-command.js';
import { runReplay } from './replay-command.js';
import { runAudit } from './run.js';

// `--json | head` closes stdout early: end quietly, as other tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// `pnpm run audit -- --duration 60` hands us the `--` too.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();
const parsed = parseCli(argv, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
if ('exitCode' in parsed) process.exit(parsed.exitCode);

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  onStop: (stop: () => void) => {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
};
const code =
  parsed.command === 'replay' ? await runReplay(parsed.options, io) : parsed.command === 'generate' ? await writeGenerated(parsed.options, process.stdout) : await runAudit(parsed.options, io);
process.exitCode = code;
setTimeout(() => process.exit(code), 1000).unref();
