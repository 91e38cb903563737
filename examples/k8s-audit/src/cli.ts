/**
 * The command line (commander 14). `run` (the default) runs the pipeline on generated events or
 * on forwarders; `replay` runs a policy over a recorded audit log and reports what it would keep,
 * drop and strip. Usage errors exit with code 2.
 */
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { OutputMode } from './view/view-sink.js';

/**
 * Options of a pipeline run.
 *
 * @example
 * ```ts
 * const parsed = parseCli(['--duration', '10']); if (parsed.command === 'run') console.log(parsed.options.speed);
 * ```
 */
export interface RunOptions {
  readonly policy: string;
  readonly dataDir: string;
  readonly listen: { readonly host: string; readonly port: number } | undefined;
  readonly token: string | undefined;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly durationSec: number;
  readonly speed: number;
  readonly rate: number;
  readonly seed: number;
  readonly output: OutputMode | undefined;
}

/**
 * Options of a replay.
 *
 * @example
 * ```ts
 * const o: ReplayOptions = { policy: 'candidate.yaml', log: 'audit.log', windowMin: 5, output: undefined };
 * ```
 */
export interface ReplayOptions {
  readonly policy: string;
  readonly log: string;
  readonly windowMin: number;
  readonly output: 'plain' | 'json' | undefined;
}

/**
 * Options of `generate` (a recording at RequestResponse on stdout).
 *
 * @example
 * ```ts
 * const o: GenerateOptions = { minutes: 10, rate: 20, seed: 42 };
 * ```
 */
export interface GenerateOptions {
  readonly minutes: number;
  readonly rate: number;
  readonly seed: number;
}

/** The parsed command line. @example `if ('exitCode' in parsed) process.exit(parsed.exitCode);` */
export type Parsed =
  | { command: 'run'; options: RunOptions }
  | { command: 'replay'; options: ReplayOptions }
  | { command: 'generate'; options: GenerateOptions }
  | { exitCode: number };

/** The policy shipped with the example (the seed's, corrected). @example `AuditPolicy.fromFile(DEFAULT_POLICY)` */
export const DEFAULT_POLICY = fileURLToPath(new URL('../audit-policy.yaml', import.meta.url));

const number = (name: string, min: number) => (text: string) => {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${name} must be a number >= ${min}, got '${text}'.`);
  return n;
};

/**
 * `[host:]port`; a bare port listens on 127.0.0.1.
 *
 * @example
 * ```ts
 * listenArg('5170'); // { host: '127.0.0.1', port: 5170 }
 * ```
 */
export function listenArg(text: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new InvalidArgumentError(`expected [host:]port, e.g. 5170 or 0.0.0.0:5170, got '${text}'.`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/**
 * @example
 * ```ts
 * const parsed = parseCli(process.argv.slice(2), { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
 * ```
 */
export function parseCli(argv: readonly string[], io: { writeOut(s: string): void; writeErr(s: string): void } = { writeOut: () => {}, writeErr: () => {} }): Parsed {
  let parsed: Parsed | undefined;
  const program = new Command('k8s-audit')
    .description("The seed's Kubernetes audit pipeline on weir: audit policy, forwarders, stream storage, windowed reports")
    .configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr })
    .exitOverride();
  program
    .command('run', { isDefault: true })
    .description('run the pipeline on generated events (default) or on forwarders (--listen)')
    .option('--policy <file>', 'audit policy (audit.k8s.io/v1 Policy YAML)', DEFAULT_POLICY)
    .option('--data-dir <dir>', 'checkpoints and the stream store; a run continues from the newest checkpoint there', './audit-data')
    .option('--listen <[host:]port>', 'take audit lines from forwarders on this TCP port instead of generating them', listenArg)
    .option('--token <token>', 'forwarders must send this as their first line (default: $AUDIT_TOKEN)')
    .option('--tls-cert <file>', 'serve forwarders over TLS with this certificate (and --tls-key)')
    .option('--tls-key <file>', 'private key of --tls-cert')
    .option('--duration <seconds>', 'generate this many wall seconds of events (0: until Ctrl-C)', number('--duration', 0), 30)
    .option('--speed <x>', 'simulated seconds per wall second', number('--speed', 0.001), 20)
    .option('--rate <n>', 'requests per simulated second', number('--rate', 0.01), 20)
    .option('--seed <n>', 'seed of the generator', number('--seed', 0), 42)
    .addOption(new Option('--json', 'one JSON object per result').conflicts('plain'))
    .option('--plain', 'print each complete minute once (default when stdout is not a terminal)')
    .action((o: Record<string, unknown>) => {
      if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new InvalidArgumentError('--tls-cert and --tls-key go together.');
      const token = (o.token as string | undefined) ?? process.env.AUDIT_TOKEN;
      parsed = {
        command: 'run',
        options: {
          policy: o.policy as string,
          dataDir: o.dataDir as string,
          listen: o.listen as RunOptions['listen'],
          token: token === '' ? undefined : token,
          tls: o.tlsCert ? { certFile: o.tlsCert as string, keyFile: o.tlsKey as string } : undefined,
          durationSec: o.duration as number,
          speed: o.speed as number,
          rate: o.rate as number,
          seed: o.seed as number,
          output: o.json ? 'json' : o.plain ? 'plain' : undefined,
        },
      };
    });
  program
    .command('replay')
    .description('run a policy over a recorded audit log (best recorded at RequestResponse): what it keeps, drops and strips, per rule, level and window')
    .argument('<log>', 'audit log, one audit.k8s.io/v1 Event per line (--audit-log-format=json)')
    .option('--policy <file>', 'the candidate policy', DEFAULT_POLICY)
    .option('--window <minutes>', 'window length for the counts per window', number('--window', 0.001), 5)
    .option('--json', 'one JSON object per window, then the total')
    .action((log: string, o: Record<string, unknown>) => {
      parsed = { command: 'replay', options: { policy: o.policy as string, log, windowMin: o.window as number, output: o.json ? 'json' : undefined } };
    });
  program
    .command('generate')
    .description('write generated audit events (recorded at RequestResponse) to stdout, one JSON line each: a log to replay')
    .option('--minutes <n>', 'simulated minutes of traffic', number('--minutes', 0.001), 10)
    .option('--rate <n>', 'requests per simulated second', number('--rate', 0.01), 20)
    .option('--seed <n>', 'seed of the generator', number('--seed', 0), 42)
    .action((o: Record<string, unknown>) => {
      parsed = { command: 'generate', options: { minutes: o.minutes as number, rate: o.rate as number, seed: o.seed as number } };
    });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return { exitCode: e.exitCode === 0 ? 0 : 2 };
    if (e instanceof InvalidArgumentError) {
      io.writeErr(`error: ${e.message}\n`);
      return { exitCode: 2 };
    }
    throw e;
  }
  return parsed ?? { exitCode: 2 };
}
