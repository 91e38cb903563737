/**
 * The command line (commander 14): options, their validation, and `--help`. Bad options print
 * a clear message and give exit code 2 (usage error, as most Unix tools); `--help` exits 0.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { OutputMode } from './view/printer.js';

/**
 * The parsed command line.
 *
 * @example
 * ```ts
 * const o = (parseCli(['--seed', '7']) as { options: CliOptions }).options; // o.seed === 7
 * ```
 */
export interface CliOptions {
  /** Wall-clock seconds to run; `Infinity` runs until stopped. */
  readonly durationSec: number;
  /** Market seconds per wall second. */
  readonly rate: number;
  readonly seed: number;
  /** True when the seed was chosen at random (the run says which, to rerun it). */
  readonly randomSeed: boolean;
  readonly socket: { readonly host: string; readonly port: number } | undefined;
  readonly checkpointDir: string | undefined;
  readonly time: 'event' | 'processing';
  /** `undefined`: live on a TTY, plain lines otherwise. */
  readonly output: OutputMode | undefined;
  /** Serve the job's dashboard and `/metrics` there (`undefined`: no web server). */
  readonly web: { readonly host: string; readonly port: number } | undefined;
}

/**
 * Exit code of a usage error.
 *
 * @example
 * ```ts
 * if ('exitCode' in parsed && parsed.exitCode === USAGE_ERROR) console.error('see --help');
 * ```
 */
export const USAGE_ERROR = 2;

function positiveNumber(name: string, allowZero: boolean) {
  return (text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${text}'.`);
    }
    return n;
  };
}

function seedArg(text: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`the seed must be an integer, got '${text}'.`);
  return n;
}

/**
 * Parses `host:port` (or a bare port, on localhost).
 *
 * @example
 * ```ts
 * socketArg('localhost:9999'); // { host: 'localhost', port: 9999 }
 * socketArg('9999');           // { host: 'localhost', port: 9999 }
 * ```
 */
export function socketArg(text: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new InvalidArgumentError(`expected host:port with a port from 1 to 65535 (e.g. localhost:9999), got '${text}'.`);
  const host = (m[1] ?? 'localhost').replace(/^\[|\]$/g, '');
  return { host, port };
}

/**
 * Parses the dashboard's `[host:]port`: a bare port listens on 127.0.0.1 only; port 0 takes any
 * free port (the run prints the address).
 *
 * @example
 * ```ts
 * webArg('8081');         // { host: '127.0.0.1', port: 8081 }
 * webArg('0.0.0.0:8081'); // { host: '0.0.0.0', port: 8081 }
 * ```
 */
export function webArg(text: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d+)$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new InvalidArgumentError(`expected a port from 0 to 65535, or host:port (e.g. 8081), got '${text}'.`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}

/**
 * The program, for parsing and for `--help`.
 *
 * @example
 * ```ts
 * console.log(stockProgram().helpInformation());
 * ```
 */
export function stockProgram(): Command {
  return new Command('stock')
    .description(
      "The stock-price application of Flink's 2015 streaming example, on weir: generated prices (and optional socket input), " +
        'rolling min/max/mean, price warnings, warnings and tweets per 30 s, their join and correlation.',
    )
    .addOption(new Option('--duration <seconds>', 'wall-clock seconds to run (0: until Ctrl-C)').default(30).argParser(positiveNumber('--duration', true)))
    .addOption(new Option('--rate <factor>', 'speed-up: market seconds per wall second').default(10).argParser(positiveNumber('--rate', false)))
    .addOption(new Option('--seed <n>', 'seed of the generators: same seed, same results (default: random)').argParser(seedArg))
    .addOption(new Option('--socket <host:port>', 'also read SYMBOL,PRICE lines from a TCP server (e.g. nc -lk 9999)').argParser(socketArg))
    .addOption(new Option('--checkpoint-dir <dir>', 'checkpoint there and continue from the last checkpoint; committed results in <dir>/results'))
    .addOption(new Option('--event-time', 'windows on the events\' timestamps (default)').conflicts('processingTime'))
    .addOption(new Option('--processing-time', 'windows on the (sped-up) clock when events arrive'))
    .addOption(new Option('--json', 'one JSON object per result line').conflicts('plain'))
    .addOption(new Option('--plain', 'plain lines, also on a terminal'))
    .addOption(new Option('--web <port>', 'serve the live dashboard and /metrics on 127.0.0.1:<port> (or host:port) while the job runs').argParser(webArg))
    .showHelpAfterError('(run with --help for the options)')
    .allowExcessArguments(false)
    .exitOverride();
}

/**
 * Where parse messages go.
 *
 * @example
 * ```ts
 * parseCli(args, { writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
 * ```
 */
export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * Parses the arguments (without `node` and the script): the options, or the exit code after
 * help (0) or a usage error (2), with the message written to `io`.
 *
 * @example
 * ```ts
 * const parsed = parseCli(['--rate', '20', '--seed', '7']);
 * if ('exitCode' in parsed) process.exit(parsed.exitCode);
 * ```
 */
export function parseCli(args: readonly string[], io?: CliOutput, random: () => number = Math.random): { options: CliOptions } | { exitCode: number } {
  const program = stockProgram();
  if (io) program.configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr });
  try {
    program.parse([...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return { exitCode: e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version' ? 0 : USAGE_ERROR };
    }
    throw e;
  }
  const o = program.opts<{
    duration: number;
    rate: number;
    seed?: number;
    socket?: { host: string; port: number };
    checkpointDir?: string;
    processingTime?: boolean;
    json?: boolean;
    plain?: boolean;
    web?: { host: string; port: number };
  }>();
  return {
    options: {
      durationSec: o.duration === 0 ? Number.POSITIVE_INFINITY : o.duration,
      rate: o.rate,
      seed: o.seed ?? Math.floor(random() * 1_000_000),
      randomSeed: o.seed === undefined,
      socket: o.socket,
      checkpointDir: o.checkpointDir,
      time: o.processingTime ? 'processing' : 'event',
      output: o.json ? 'json' : o.plain ? 'plain' : undefined,
      web: o.web,
    },
  };
}
