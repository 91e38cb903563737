/**
 * The dashboard in a real browser (Debian's chromium, headless, through playwright-core): a job
 * with a paced, endless source runs with `web: { port: 0 }`; the page must draw every operator of
 * the graph, show throughput that rises between two reads, list a completed checkpoint in its
 * table, and count the dead letters the input contains. Saves test-output/dashboard.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTERS, JobCancelledError, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { launchChromium } from './support/browser.js';
import { waitFor } from './support/wait.js';

interface Trade { symbol: string; price: number; ts: number }

const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const SYMBOLS = ['SPX', 'FTSE', 'DJI', 'BUX', 'DAX', 'NKY'];
const parseCount = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** About 1,000 trades a second until stopped; one in 400 has a broken timestamp (a dead letter). */
async function* trades(signal: AbortSignal): AsyncGenerator<Trade> {
  let n = 0;
  while (!signal.aborted) {
    for (let i = 0; i < 20; i++, n++) {
      const symbol = SYMBOLS[n % SYMBOLS.length]!;
      yield { symbol, price: 100 + Math.sin(n / 50) * 10 + (n % 7), ts: n % 400 === 399 ? Number.NaN : Date.now() - (n % 5) * 20 };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('dashboard', () => {
  it('shows the running job: graph, rising throughput, checkpoints, dead letters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-dash-'));
    const stop = new AbortController();
    const env = StreamEnvironment.create({ checkpointing: { intervalMs: 500, dir }, web: { port: 0 } });
    const stamped = env
      .fromCollection(trades(stop.signal))
      .name('trades')
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Trade>(200).withTimestampAssigner((t) => t.ts))
      .name('event time');
    stamped.getSideOutput(DEAD_LETTERS).map((d) => d.reason).name('dead-letter reasons').collect();
    stamped
      .filter((t) => t.price > 95)
      .name('price > 95')
      .keyBy('symbol')
      .window(TumblingEventTimeWindows.of(1000))
      .maxBy('price')
      .name('max price per second')
      .map((t) => `${t.symbol} ${t.price.toFixed(2)}`)
      .name('format')
      .collect();
    const graph = env.explain();

    let url = '';
    const running = env.execute({ jobName: 'trades dashboard', signal: stop.signal, onWebServer: (u) => (url = u) });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    try {
      await waitFor('the web server', () => (url ? true : undefined));
      await page.goto(url);

      // Every operator of the plan is drawn, with its name, as a visible card.
      await page.waitForSelector('.node[data-node-id]');
      const drawn = await page.$$eval('.node[data-node-id]', (els) =>
        els.map((e) => ({ id: Number(e.getAttribute('data-node-id')), text: e.textContent ?? '', w: e.getBoundingClientRect().width })),
      );
      expect(drawn.map((d) => d.id).sort((a, b) => a - b)).toEqual(graph.nodes.map((n) => n.id));
      for (const n of graph.nodes) {
        const card = drawn.find((d) => d.id === n.id)!;
        expect(card.text).toContain(n.name);
        expect(card.w).toBeGreaterThan(50);
      }
      // One edge per edge of the plan.
      expect(await page.locator('svg.edges g.edge').count()).toBe(graph.edges.length);

      // Throughput figures rise between two reads (the summary card and the source's card).
      const readTotals = async () => ({
        total: parseCount(await page.textContent('#records-total')),
        source: parseCount(await page.textContent('.node[data-node-id="1"] [data-field="records"]')),
      });
      const first = await waitFor('records to show', async () => {
        const r = await readTotals();
        return r.total > 0 ? r : undefined;
      });
      await page.waitForTimeout(1500);
      const second = await readTotals();
      expect(second.total).toBeGreaterThan(first.total);
      expect(second.source).toBeGreaterThan(first.source);
      expect(await page.textContent('#throughput')).toMatch(/\d.*\/s$/);

      // A completed checkpoint shows up in the history table.
      await page.waitForSelector('#checkpoint-table tr[data-checkpoint-id].completed', { timeout: 15_000 });
      const row = await page.textContent('#checkpoint-table tr[data-checkpoint-id].completed');
      expect(row).toContain('completed');
      expect(parseCount(await page.textContent('#checkpoints-total'))).toBeGreaterThan(0);

      // Dead letters (one in 400 trades) are counted on the card and in the problems table.
      await page.waitForFunction("Number(document.querySelector('#dead-letters-total').textContent.replace(/\\D/g, '')) > 0", undefined, { timeout: 10_000 });
      expect(await page.locator('#problems-table tbody tr').count()).toBeGreaterThan(0);

      // The charts are drawn (uPlot canvases) and fed by the event stream.
      expect(await page.locator('.chart-host canvas').count()).toBe(2);
      await page.waitForFunction('Number(document.body.dataset.updates ?? 0) >= 3', undefined, { timeout: 10_000 });
      expect(await page.textContent('#connection')).toBe('live');

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'dashboard.png'), fullPage: true });
    } finally {
      await page.close();
      stop.abort(new Error('test over'));
      await running.catch((e: unknown) => expect(e).toBeInstanceOf(JobCancelledError));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
