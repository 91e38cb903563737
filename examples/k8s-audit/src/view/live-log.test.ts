/**
 * Log lines and the live view (issue #14, item 12): on a terminal the view clears and redraws
 * the whole screen, so a log line written to the same terminal between two frames (a warning:
 * a restart, dead letters, the job's end) flashes and is wiped by the next frame; info lines (job
 * started, checkpoint N completed) were dropped. The job's log is shown in the view's status
 * line instead. The run is the real command's (`runAudit`, forwarders on a loopback port) with a
 * forwarder that sends generated events, stopped as Ctrl-C stops it; stdout is a TTY, and
 * standard error is the same terminal, as it is for a person.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../cli.js';
import { AuditGenerator } from '../generator/audit-generator.js';
import { GENERATOR_START, runAudit } from '../run.js';

const CLEAR = '\u001b[H\u001b[2J';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-audit-live-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Two simulated minutes of generated events. */
function forwarderLines(): string {
  const g = new AuditGenerator({ seed: 3, start: GENERATOR_START, requestsPerSecond: 5 });
  let text = '';
  while (g.peekTimestamp() < GENERATOR_START + 120_000) text += `${JSON.stringify(g.next().event)}\n`;
  return text;
}

const logLinesOf = (frame: string) => frame.split('\n').filter((l) => l.startsWith('log: '));

describe('k8s audit live view and log lines', () => {
  it('shows the lifecycle log in the status line of the view, not written between frames', async () => {
    const parsed = parseCli(['--listen', '0', '--data-dir', dir]);
    if (!('options' in parsed) || parsed.command !== 'run') throw new Error('parse failed');
    const writes: { to: 'stdout' | 'stderr'; text: string }[] = [];
    let stop: (() => void) | undefined;
    let running = true;
    const frames = () => writes.filter((w) => w.to === 'stdout').map((w) => w.text).join('').split(CLEAR).slice(1);
    const code = await runAudit(parsed.options, {
      stdout: { isTTY: true, write: (text: string) => writes.push({ to: 'stdout', text }) },
      stderr: { write: (text: string) => writes.push({ to: 'stderr', text }) },
      onStop: (s) => {
        stop = s;
        return () => {};
      },
      onListening: ({ host, port }) => {
        const socket = connect(port, host, () => socket.end(forwarderLines()));
        socket.on('error', () => {});
        // Stop once frames showed two checkpoints (or after 15 s: the assertions below then say what is missing).
        const deadline = Date.now() + 15_000;
        const watch = setInterval(() => {
          const checkpoints = new Set(frames().flatMap(logLinesOf).filter((l) => /^log: checkpoint \d+ completed$/.test(l)));
          if (checkpoints.size >= 2 || Date.now() > deadline) {
            clearInterval(watch);
            running = false;
            stop?.();
          }
        }, 50);
      },
    });
    expect(running).toBe(false);
    expect(code).toBe(130);
    // Standard error got only the closing message, after the view's last frame.
    const errors = writes.filter((w) => w.to === 'stderr').map((w) => w.text);
    expect(errors).toEqual([`stopped; run the same command again to continue from the last checkpoint in ${dir}\n`]);
    // The log was in the frames' status line, one line each (the latest message: one may be
    // replaced before a frame shows it): checkpoints (dropped before), and at the end the job's
    // end (a warning written between frames before).
    const all = frames();
    for (const f of all) expect(logLinesOf(f).length).toBeLessThanOrEqual(1);
    const shown = all.flatMap(logLinesOf);
    expect(new Set(shown.filter((l) => /^log: checkpoint \d+ completed$/.test(l))).size).toBeGreaterThanOrEqual(2);
    expect(logLinesOf(all.at(-1)!)).toEqual(["log: job 'k8s audit' cancelled"]);
  });
});
