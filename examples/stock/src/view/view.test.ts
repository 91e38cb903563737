import { describe, expect, it } from 'vitest';
import { MARKET_OPEN } from '../domain.js';
import type { StockResult } from '../results.js';
import { VirtualTerminal } from '../testing/virtual-terminal.js';
import { ResultPrinter } from './printer.js';
import { clockTime, formatCorrelation, renderCounts, renderTable } from './render.js';
import { bySymbolOrder, ViewState } from './view-state.js';

const T = MARKET_OPEN;
const w10 = (endS: number) => ({ start: T + (endS - 10) * 1000, end: T + endS * 1000 });
const w30 = (endS: number) => ({ start: T + (endS - 30) * 1000, end: T + endS * 1000 });

const window20: StockResult[] = [
  { kind: 'lowest', ...w10(20), symbol: 'DJI', price: 589.8 },
  { kind: 'max', ...w10(20), symbol: 'SPX', price: 1120.01 },
  { kind: 'min', ...w10(20), symbol: 'SPX', price: 890.29 },
  { kind: 'mean', ...w10(20), symbol: 'SPX', price: 993.97 },
  { kind: 'min', ...w10(20), symbol: 'DJI', price: 589.8 },
];
const counts30: StockResult[] = [
  { kind: 'warnings', ...w30(30), symbol: 'SPX', count: 11 },
  { kind: 'tweets', ...w30(30), symbol: 'SPX', count: 59 },
  { kind: 'tweets', ...w30(30), symbol: 'GOOG', count: 61 },
  { kind: 'pair', ...w30(30), symbol: 'SPX', warnings: 11, tweets: 59 },
  { kind: 'correlation', ...w30(30), correlation: Number.NaN },
];

class Screen {
  text = '';
  readonly columns = 100;
  write(s: string) {
    this.text += s;
  }
}

describe('ViewState', () => {
  it('completes windows when the watermark passes their end, counts before stats', () => {
    const s = new ViewState();
    for (const r of [...window20, ...counts30, { kind: 'max', ...w10(30), symbol: 'SPX', price: 1 } as StockResult]) expect(s.accept(r)).toEqual([]);
    expect(s.watermark(T + 19_998)).toEqual([]);
    expect(s.watermark(T + 19_999).map((e) => [e.type, e.window.end])).toEqual([['stats', T + 20_000]]);
    expect(s.lastStats?.rows.get('SPX')).toEqual({ max: 1120.01, min: 890.29, mean: 993.97 });
    expect(s.watermark(T + 40_000).map((e) => [e.type, e.window.end])).toEqual([
      ['counts', T + 30_000],
      ['stats', T + 30_000],
    ]);
    expect(s.finish()).toEqual([]);
  });

  it('with a lag (processing time) completes later; a late correlation updates its window', () => {
    const s = new ViewState(1000);
    for (const r of counts30.slice(0, 3)) s.accept(r);
    expect(s.watermark(T + 30_000)).toEqual([]);
    expect(s.watermark(T + 31_000).map((e) => e.type)).toEqual(['counts']);
    const late = s.accept({ kind: 'correlation', ...w30(30), correlation: 0.25 });
    expect(late.map((e) => e.type)).toEqual(['late-correlation']);
    expect(s.lastCounts?.correlation).toBe(0.25);
  });

  it('counts warnings and keeps the last three dead letters', () => {
    const s = new ViewState();
    s.accept({ kind: 'warning', time: T, symbol: 'DJI' });
    for (const input of ['a', 'b', 'c', 'd']) s.accept({ kind: 'dead-letter', time: T, source: 'parse', reason: 'bad', input });
    expect(s.warnings).toBe(1);
    expect(s.deadLetters).toBe(4);
    expect(s.recentDeadLetters.map((d) => d.input)).toEqual(['b', 'c', 'd']);
  });

  it('orders symbols as the seed lists them, others after', () => {
    expect(['ACME', 'GOOG', 'SPX', 'BRK', 'DJI'].sort(bySymbolOrder)).toEqual(['SPX', 'DJI', 'GOOG', 'ACME', 'BRK']);
  });
});

describe('rendering', () => {
  it('renders a window table with counts and the lowest price marked', () => {
    const s = new ViewState();
    for (const r of [...window20, ...counts30]) s.accept(r);
    s.finish();
    expect(renderTable(s.lastStats, s.lastCounts)).toEqual([
      '09:00:10-09:00:20 (10 s, every 5 s)         counts 09:00:00-09:00:30',
      'symbol       min       max      mean  warnings    tweets',
      'SPX       890.29   1120.01    993.97        11        59',
      'DJI       589.80         -         -         0         0  <- lowest',
      'GOOG           -         -         -         0        61',
      'lowest: DJI 589.80',
    ]);
    expect(renderCounts(s.lastCounts!)).toBe('09:00:00-09:00:30 correlation NaN · warnings/tweets SPX 11/59');
  });

  it('formats times and correlations', () => {
    expect(clockTime(T + 3_723_000)).toBe('10:02:03');
    expect(formatCorrelation(-0.67240570)).toBe('-0.672');
    expect(formatCorrelation(Number.NaN)).toBe('NaN');
  });
});

describe('ResultPrinter', () => {
  const status = () => ({ title: 'title', marketNow: T, progress: 0.5, notes: [] });

  it('plain: prints each completed window once, in order, and dead letters at once', () => {
    const out = new Screen();
    const p = new ResultPrinter(out, 'plain', status);
    for (const r of window20) p.result(r);
    p.result({ kind: 'dead-letter', time: T, source: 'parse SYMBOL,PRICE', reason: 'price is missing', input: 'SPX,' });
    p.watermark(T + 20_000);
    p.watermark(T + 20_001);
    p.finish();
    expect(out.text).not.toContain('\u001b');
    expect(out.text.match(/09:00:10-09:00:20 \(10 s/g)).toHaveLength(1);
    expect(out.text).toContain('dead letter (parse SYMBOL,PRICE): price is missing: "SPX,"');
    expect(out.text.indexOf('dead letter')).toBeLessThan(out.text.indexOf('09:00:10-09:00:20'));
  });

  it('json: one parseable object per result line, NaN as "NaN"', () => {
    const out = new Screen();
    const p = new ResultPrinter(out, 'json', status);
    for (const r of counts30) p.result(r);
    p.finish();
    const lines = out.text.trim().split('\n');
    expect(lines).toHaveLength(counts30.length);
    expect(lines.map((l) => JSON.parse(l).kind)).toEqual(counts30.map((r) => r.kind));
    expect(JSON.parse(lines[4]!).correlation).toBe('NaN');
  });

  it('live: redraws the screen in place (cursor up over the previous frame, draw over it, clear below)', () => {
    const out = new Screen();
    const p = new ResultPrinter(out, 'live', status);
    for (const r of window20) p.result(r);
    p.refresh();
    const first = out.text;
    expect(first.startsWith('\u001b[?25l')).toBe(true); // cursor hidden while drawing
    const frameLines = first.split('\n').length - 1;
    p.watermark(T + 20_000);
    p.refresh();
    const second = out.text.slice(first.length);
    expect(second.startsWith(`\u001b[${frameLines}F`)).toBe(true);
    expect(second.endsWith('\n\u001b[J')).toBe(true); // below the frame: cleared
    expect(second).toContain('09:00:10-09:00:20 (10 s, every 5 s)');
    p.finish();
    expect(out.text.endsWith('\u001b[?25h')).toBe(true); // cursor shown again
  });

  it('live: log messages replace each other in the status line; only the last three notes stay', () => {
    const screen = new VirtualTerminal(100, 40);
    const p = new ResultPrinter(screen, 'live', status);
    for (const r of window20) p.result(r);
    for (const n of ['note 1', 'note 2', 'note 3', 'note 4', 'note 5']) p.note(n);
    p.log("job 'stock prices' started");
    p.refresh();
    p.log('checkpoint 1 completed');
    p.refresh();
    p.log('checkpoint 2 completed');
    p.refresh();
    const lines = screen.text();
    expect(lines.at(-1)).toBe('log: checkpoint 2 completed');
    expect(lines.filter((l) => l.startsWith('log: ') || /checkpoint|started/.test(l))).toEqual(['log: checkpoint 2 completed']);
    expect(lines.filter((l) => l.startsWith('note '))).toEqual(['note 3', 'note 4', 'note 5']);
    expect(screen.scrolledOff).toEqual([]);
    p.finish();
  });

  it('live: on a terminal shorter than the frame, the frame is cut to fit and still redraws in place', () => {
    const screen = new VirtualTerminal(100, 10);
    const p = new ResultPrinter(screen, 'live', status);
    for (const r of [...window20, ...counts30]) p.result(r);
    p.watermark(T + 40_000);
    p.log('checkpoint 7 completed');
    for (let i = 0; i < 5; i++) p.refresh();
    // Nothing scrolled: had the frame been taller than the screen, each redraw would have pushed
    // its top off the screen (the cursor cannot go back above the first line).
    expect(screen.scrolledOff).toEqual([]);
    const lines = screen.text();
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('title');
    expect(lines.at(-1)).toBe('log: checkpoint 7 completed');
    p.finish();
  });
});
