import { describe, expect, it } from 'vitest';
import { parseCli, socketArg, USAGE_ERROR, webArg } from './cli.js';

function parse(args: string[]) {
  let out = '';
  let err = '';
  const r = parseCli(args, { writeOut: (s) => (out += s), writeErr: (s) => (err += s) }, () => 0.123456);
  return { r, out, err };
}

describe('parseCli', () => {
  it('has defaults for a short demo: 30 s at 10x, event time, a random seed', () => {
    const { r } = parse([]);
    expect(r).toEqual({
      options: { durationSec: 30, rate: 10, seed: 123456, randomSeed: true, socket: undefined, checkpointDir: undefined, time: 'event', output: undefined, web: undefined },
    });
  });

  it('reads every option', () => {
    const { r } = parse(['--duration', '12.5', '--rate', '50', '--seed', '-7', '--socket', 'example.org:9999', '--checkpoint-dir', 'cp', '--processing-time', '--json', '--web', '8081']);
    expect(r).toEqual({
      options: { durationSec: 12.5, rate: 50, seed: -7, randomSeed: false, socket: { host: 'example.org', port: 9999 }, checkpointDir: 'cp', time: 'processing', output: 'json', web: { host: '127.0.0.1', port: 8081 } },
    });
    expect(parse(['--duration', '0', '--plain', '--event-time']).r).toMatchObject({ options: { durationSec: Number.POSITIVE_INFINITY, output: 'plain', time: 'event' } });
  });

  it.each([
    [['--rate', '0'], "--rate must be a positive number, got '0'"],
    [['--rate', 'fast'], "--rate must be a positive number, got 'fast'"],
    [['--duration', '-1'], "--duration must be a non-negative number, got '-1'"],
    [['--seed', '1.5'], "the seed must be an integer, got '1.5'"],
    [['--socket', 'localhost:99999'], 'expected host:port with a port from 1 to 65535'],
    [['--socket', 'localhost:'], 'expected host:port'],
    [['--event-time', '--processing-time'], "option '--event-time' cannot be used with option '--processing-time'"],
    [['--json', '--plain'], "option '--json' cannot be used with option '--plain'"],
    [['--speed', '3'], "unknown option '--speed'"],
    [['extra'], 'too many arguments'],
    [['--rate'], "option '--rate <factor>' argument missing"],
    [['--web', '65536'], 'expected a port from 0 to 65535'],
    [['--web', 'http://x'], 'expected a port from 0 to 65535'],
  ])('rejects %j with exit code 2 and a clear message', (args, message) => {
    const { r, err } = parse(args);
    expect(r).toEqual({ exitCode: USAGE_ERROR });
    expect(err).toContain(message);
    expect(err).toContain('--help');
  });

  it('prints help with every option and exit code 0', () => {
    const { r, out } = parse(['--help']);
    expect(r).toEqual({ exitCode: 0 });
    for (const o of ['--duration <seconds>', '--rate <factor>', '--seed <n>', '--socket <host:port>', '--checkpoint-dir <dir>', '--event-time', '--processing-time', '--json', '--plain', '--web <port>', '--help']) {
      expect(out).toContain(o);
    }
  });
});

describe('socketArg', () => {
  it.each([
    ['localhost:9999', { host: 'localhost', port: 9999 }],
    ['9999', { host: 'localhost', port: 9999 }],
    ['127.0.0.1:1', { host: '127.0.0.1', port: 1 }],
    ['[::1]:9999', { host: '::1', port: 9999 }],
  ])('%s', (text, expected) => expect(socketArg(text)).toEqual(expected));
});

describe('webArg', () => {
  it.each([
    ['8081', { host: '127.0.0.1', port: 8081 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['0.0.0.0:8081', { host: '0.0.0.0', port: 8081 }],
    ['[::1]:8081', { host: '::1', port: 8081 }],
  ])('%s', (text, expected) => expect(webArg(text)).toEqual(expected));
});
