/**
 * The dashboard in a real browser (Debian's chromium, headless, through playwright-core): a job
 * with a paced, endless source runs with `web: { port: 0 }`; the page must draw every operator of
 * the graph, show throughput that rises between two reads, list a completed checkpoint in its
 * table, and count the dead letters the input contains. Saves test-output/dashboard.png.
 *
 * Two more branches check the watermarks (issue #14, item 10): quotes that start late, under a
 * generator that starts from 0 as Flink's documented example does (before the first quote its
 * watermark is at the epoch: no lag may be charted from it), and a bounded opening auction whose
 * windows all fire when it ends (its nodes' event time has ended; they must not read "no
 * watermark").
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTERS, type JobGraph, JobCancelledError, StreamEnvironment, WatermarkStrategy, type WatermarkOutput } from '@weir/core';
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

/** Quotes, from about 2.5 s after the start (the market opens late), 20 a second. */
async function* quotes(signal: AbortSignal): AsyncGenerator<Trade> {
  await new Promise((r) => setTimeout(r, 2500));
  for (let n = 0; !signal.aborted; n++) {
    yield { symbol: SYMBOLS[n % SYMBOLS.length]!, price: 100 + (n % 11), ts: Date.now() };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bounded out-of-orderness written as Flink's docs write it: the maximum starts at 0, not at -Infinity. */
const fromZero = (bound: number) =>
  WatermarkStrategy.forGenerator<Trade>(() => {
    let max = 0;
    return {
      onEvent: (_e: Trade, ts: number) => {
        if (ts > max) max = ts;
      },
      onPeriodicEmit: (out: WatermarkOutput) => out.emitWatermark(max - bound - 1),
    };
  }).withTimestampAssigner((t) => t.ts);

/** Nodes fed, directly or not, by a watermark assigner (`timestamps` node). */
function downstreamOfAssigners(graph: JobGraph): number[] {
  const found = new Set<number>();
  const queue = graph.nodes.filter((n) => n.kind === 'timestamps').map((n) => n.id);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const e of graph.edges) {
      if (e.from === id && !e.feedback && !found.has(e.to)) {
        found.add(e.to);
        queue.push(e.to);
      }
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** A year of milliseconds: no lag of this test's jobs comes near it (their bounds are below a second). */
const SANE_LAG_MS = 365 * 24 * 3600_000;

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
    env
      .fromCollection(quotes(stop.signal))
      .name('quotes')
      .assignTimestampsAndWatermarks(fromZero(500))
      .name('quote time')
      .keyBy('symbol')
      .window(TumblingEventTimeWindows.of(1000))
      .minBy('price')
      .name('min quote per second')
      .collect();
    // Three trades per symbol at +0, +400 and +800 ms of a 500 ms boundary: two windows each.
    const opening = Math.floor(Date.now() / 500) * 500;
    env
      .fromCollection([0, 1, 2].flatMap((k) => SYMBOLS.map((symbol, i) => ({ symbol, price: 90 + i + k, ts: opening + k * 400 }))))
      .name('opening auction')
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Trade>(0).withTimestampAssigner((t) => t.ts))
      .name('auction time')
      .keyBy('symbol')
      .window(TumblingEventTimeWindows.of(500))
      .maxBy('price')
      .name('auction max per 500 ms')
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

      // Watermarks. Wait until the auction's windows fired (its input ended) and quotes flow.
      const op = (name: string) => env.metrics().operators.find((o) => o.name === name)!;
      await waitFor('the auction windows to fire and quotes to arrive', () =>
        op('auction max per 500 ms').recordsOut === SYMBOLS.length * 2 && op('quote time').recordsIn > 10 ? true : undefined,
      );
      const updates = Number(await page.evaluate('document.body.dataset.updates'));
      await page.waitForFunction(`Number(document.body.dataset.updates) >= ${updates + 2}`, undefined, { timeout: 10_000 });
      // Every node downstream of a watermark assigner shows its watermark (or that event time ended).
      const watermarks = await page.$$eval('.node[data-node-id]', (els) =>
        Object.fromEntries(els.map((e) => [e.getAttribute('data-node-id'), e.querySelector('[data-field="watermark"]')!.textContent ?? ''])),
      );
      for (const id of downstreamOfAssigners(graph)) {
        const name = graph.nodes.find((n) => n.id === id)!.name;
        expect(`${name}: ${watermarks[String(id)]}`).not.toMatch(/no watermark/);
      }
      expect(watermarks[String(graph.nodes.find((n) => n.name === 'auction max per 500 ms')!.id)]).toMatch(/event time ended/);
      // The lag chart drew points, none of them a "lag" measured from the epoch (~57 years).
      const series = JSON.parse((await page.getAttribute('[data-chart="Watermark lag"]', 'data-series'))!) as { label: string; points: number; max: number | null }[];
      const job = series.find((l) => l.label === 'job (slowest operator)')!;
      expect(job.points).toBeGreaterThan(0);
      for (const l of series) expect(`${l.label}: ${l.max ?? 'no point'}`).toBe(`${l.label}: ${l.max === null ? 'no point' : Math.min(l.max, SANE_LAG_MS)}`);
      expect(await page.textContent('#watermark-lag')).toMatch(/^\d+(\.\d+)? (ms|s)$/);

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
