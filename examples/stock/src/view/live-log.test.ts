/**
 * Log lines and the live view (issue #14, item 12): on a terminal, the job's lifecycle log
 * (job started, checkpoint N completed, job finished) is shown in the view's status line, one
 * line that each new message replaces, never written across the redrawn frames. The run is the
 * real command's (`runStock`) with a checkpoint directory (a lifecycle line every second) on a
 * virtual 100 x 24 terminal that applies the output as a terminal would; the test reads its
 * screen after every write.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../cli.js';
import { runStock } from '../run.js';
import { VirtualTerminal } from '../testing/virtual-terminal.js';

/** A line of the lifecycle log (packages/core/src/logging/lifecycle.ts), wherever it sits on a line. */
const LIFECYCLE = /job 'stock prices' (started|finished)|checkpoint \d+ (completed|failed)/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weir-stock-live-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('live view and log lines', () => {
  it('shows lifecycle logs in one status line of the redrawn view, never across it', async () => {
    const parsed = parseCli(['--duration', '4', '--rate', '10', '--seed', '5', '--checkpoint-dir', dir]);
    if (!('options' in parsed)) throw new Error('parse failed');
    const terminal = new VirtualTerminal(100, 24);
    let stderr = '';
    const seen = new Set<string>();
    let mostAtOnce = 0;
    const stdout = {
      isTTY: true,
      columns: terminal.columns,
      rows: terminal.rows,
      write(s: string) {
        terminal.write(s);
        const logLines = terminal.text().filter((l) => LIFECYCLE.test(l));
        mostAtOnce = Math.max(mostAtOnce, logLines.length);
        for (const l of logLines) seen.add(l);
        return true;
      },
    };
    const code = await runStock(parsed.options, { stdout, stderr: { write: (s: string) => ((stderr += s), true) } });
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');

    // Several lifecycle lines were logged and shown (the latest each time: one may be replaced
    // by the next before a frame shows it, as the start by the first checkpoint in the same poll)...
    const shown = [...seen];
    expect(shown.filter((l) => /checkpoint \d+ completed/.test(l)).length).toBeGreaterThanOrEqual(2);
    // ... in the status line, one at a time: never two log lines on the screen at once.
    expect(mostAtOnce).toBe(1);
    for (const l of shown) expect(l).toMatch(/^log: /);
    // The view stayed inside the screen: redrawn in place, nothing scrolled off.
    expect(terminal.scrolledOff).toEqual([]);
    // The final frame ends with the status line, then the summary below it.
    const final = terminal.text();
    const done = final.findIndex((l) => /^done in [\d.]+ s: \d+ price warnings, 0 dead letters; \d+ checkpoints/.test(l));
    expect(done).toBeGreaterThan(0);
    expect(final[done - 1]).toBe("log: job 'stock prices' finished");
    expect(final[0]).toMatch(/^weir stock prices · seed 5/);
  });
});
