/**
 * The watermark picture: elements in arrival order (left to right) at their event time (bottom to
 * top), the watermark after each element as a step line, tumbling 5 s windows as bands with
 * their last timestamp (`end - 1`) dashed, and where each window fired. Everything drawn comes
 * from a real job: the watermark each element met (`ctx.currentWatermark()` in a process
 * function), the windows' firings and contents, and the late side output.
 *
 * The elements are out of order by up to 2 s (`forBoundedOutOfOrderness(2000)`), and three of
 * them are later than that: `h` (4.4 s after the 0-5 s window fired), `k` (3 s, long after),
 * `l` (7 s: behind the watermark, but its window has not fired yet, so it still counts).
 */
import { OutputTag, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time, TumblingEventTimeWindows } from '@weir/windows';
import type { Ev } from './run-windows.js';
import { el, PALETTE, svgDocument, text } from './svg.js';

/** Arrival order; timestamps in ms. */
export const WATERMARK_EVENTS: readonly Ev[] = [
  ['a', 1000], ['b', 2500], ['c', 1800], ['d', 4600], ['e', 3900], ['f', 6100], ['g', 7400],
  ['h', 4400], ['i', 8200], ['j', 9900], ['k', 3000], ['l', 7000], ['m', 12600], ['n', 11200],
].map(([label, ts]) => ({ label: label as string, ts: ts as number, value: 1 }));

interface Fired { start: number; end: number; labels: string[]; watermark: number }

/** Runs the job with the given allowed lateness and records what the picture needs. */
export async function runWatermarkJob(allowedLatenessMs: number) {
  const env = StreamEnvironment.create({ perElementWatermarks: true });
  const late = new OutputTag<Ev>('late');
  const stream = env
    .fromCollection(WATERMARK_EVENTS)
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(2000).withTimestampAssigner((e) => e.ts));
  const seen = stream.process<{ label: string; watermark: number }>((e, ctx, out) => out.collect({ label: e.label, watermark: ctx.currentWatermark() })).collect();
  const windowed = stream
    .keyBy(() => 'k')
    .window(TumblingEventTimeWindows.of(Time.seconds(5)))
    .allowedLateness(allowedLatenessMs)
    .sideOutputLateData(late)
    .process<Fired>((_k, ctx, elements, out) =>
      out.collect({ start: ctx.window.start, end: ctx.window.end, labels: elements.map((e) => e.label), watermark: ctx.currentWatermark }));
  const fired = windowed.collect();
  const lateOut = windowed.getSideOutput(late).collect();
  await env.execute('docs watermark picture');
  return { seen: seen.items(), fired: fired.items(), late: lateOut.items().map((e) => e.label) };
}

const X0 = 70;
const DX = 46;
const Y0 = 40;
const PX_PER_S = 22;
const T_MAX = 15_000;

/** SVG of the watermark picture. */
export async function watermarkFigure(allowedLatenessMs: number): Promise<string> {
  const { seen, fired, late } = await runWatermarkJob(allowedLatenessMs);
  const n = WATERMARK_EVENTS.length;
  const x = (i: number) => X0 + i * DX;
  const y = (ts: number) => Y0 + ((T_MAX - Math.max(-500, Math.min(T_MAX, ts))) / 1000) * PX_PER_S;
  // The watermark after element i is the one element i + 1 met; after the last, +Infinity.
  const after = WATERMARK_EVENTS.map((_, i) => seen[i + 1]?.watermark ?? Infinity);
  const index = new Map(WATERMARK_EVENTS.map((e, i) => [e.label, i]));
  const parts: string[] = [];
  const plotRight = x(n) + 10;

  // Window bands and their last timestamps.
  for (let s = 0; s < T_MAX; s += 5000) {
    const band = (s / 5000) % 2 === 0 ? '#f6f8fa' : '#ffffff';
    parts.push(el('rect', { x: X0 - 20, y: y(s + 5000), width: plotRight - X0 + 20, height: 5 * PX_PER_S, fill: band }));
    parts.push(el('line', { x1: X0 - 20, y1: y(s + 4999), x2: plotRight, y2: y(s + 4999), stroke: '#8c959f', 'stroke-dasharray': '4 4' }));
    parts.push(text(X0 - 24, y(s + 2500) + 4, `[${s / 1000}s, ${(s + 5000) / 1000}s)`, { 'text-anchor': 'end', class: 'small muted' }));
  }
  parts.push(text(X0 - 20, Y0 - 22, 'event time ↑   arrival order →', { class: 'small muted' }));

  // The watermark: a step after each element.
  let d = '';
  WATERMARK_EVENTS.forEach((_, i) => {
    const wm = after[i]!;
    const yy = Number.isFinite(wm) ? y(wm) : Y0 - 6;
    d += i === 0 ? `M${x(i)},${yy}` : `L${x(i)},${yy}`;
    d += `L${x(i + 1)},${yy}`;
  });
  parts.push(el('path', { d, fill: 'none', stroke: '#0072B2', 'stroke-width': 2 }));

  // Firings: a numbered marker where the window fired (on the window's last timestamp), listed at the right.
  const listX = plotRight + 24;
  parts.push(text(listX, Y0 - 10, 'window results, in order', { class: 'small muted' }));
  fired.forEach((f, k) => {
    const lastIn = Math.max(...f.labels.map((l) => index.get(l)!));
    const byWatermark = after.findIndex((wm) => wm >= f.end - 1);
    const at = Math.max(lastIn, byWatermark < 0 ? n - 1 : byWatermark);
    const colour = PALETTE[k % PALETTE.length]!;
    const fx = x(at) + DX / 2;
    parts.push(el('circle', { cx: fx, cy: y(f.end - 1), r: 8, fill: '#ffffff', stroke: colour, 'stroke-width': 2 }));
    parts.push(text(fx, y(f.end - 1) + 4, String(k + 1), { 'text-anchor': 'middle', class: 'small', fill: colour }));
    const cause = byWatermark >= 0 && byWatermark < lastIn ? `${WATERMARK_EVENTS[lastIn]!.label} arrives (late firing)` : Number.isFinite(after[at]!) ? `watermark ${after[at]! / 1000}s` : 'end of input';
    const again = fired.slice(0, k).some((p) => p.start === f.start);
    parts.push(text(listX, Y0 + 10 + k * 34, `${k + 1}. [${f.start / 1000}s, ${f.end / 1000}s)${again ? ' again' : ''}: ${f.labels.join(' ')}`, { class: 'mono', fill: colour }));
    parts.push(text(listX + 14, Y0 + 24 + k * 34, `fired by: ${cause}`, { class: 'small muted' }));
  });
  if (late.length) parts.push(text(listX, Y0 + 10 + fired.length * 34, `late side output: ${late.join(' ')}`, { class: 'mono', fill: '#D55E00' }));

  // Elements.
  WATERMARK_EVENTS.forEach((e, i) => {
    const met = seen[i]!.watermark;
    const isLate = late.includes(e.label);
    const behind = e.ts <= met;
    const fill = isLate ? '#D55E00' : behind ? '#E69F00' : '#1f2328';
    if (isLate) {
      parts.push(el('path', { d: `M${x(i) - 5},${y(e.ts) - 5}L${x(i) + 5},${y(e.ts) + 5}M${x(i) - 5},${y(e.ts) + 5}L${x(i) + 5},${y(e.ts) - 5}`, stroke: fill, 'stroke-width': 2.5 }));
    } else {
      parts.push(el('circle', { cx: x(i), cy: y(e.ts), r: 4.5, fill }));
    }
    parts.push(text(x(i), y(e.ts) + 16, e.label, { 'text-anchor': 'middle', class: 'mono', fill }));
    parts.push(text(x(i), y(-500) + 16, `${e.ts / 1000}s`, { 'text-anchor': 'middle', class: 'small muted' }));
  });

  // Legend.
  const ly = y(-500) + 40;
  const legend: Array<[string, string]> = [
    ['#1f2328', 'on time'],
    ['#E69F00', 'behind the watermark, window still open: counted'],
    ['#D55E00', `late: to the side output${allowedLatenessMs ? '' : ' (window already fired)'}`],
  ];
  legend.forEach(([c, label], i) => {
    parts.push(el('circle', { cx: X0, cy: ly - 4 + i * 16, r: 4.5, fill: c }));
    parts.push(text(X0 + 10, ly + i * 16, label, { class: 'small' }));
  });
  parts.push(el('line', { x1: X0 - 6, y1: ly - 4 + 48, x2: X0 + 6, y2: ly - 4 + 48, stroke: '#0072B2', 'stroke-width': 2 }));
  parts.push(text(X0 + 10, ly + 48, 'watermark after each element: max timestamp - 2000 - 1', { class: 'small' }));
  const title = `forBoundedOutOfOrderness(2000), tumbling 5 s windows, allowedLateness(${allowedLatenessMs})`;
  parts.push(text(X0 - 20, ly + 72, title, { class: 'small muted mono' }));
  return svgDocument(plotRight + 280, ly + 84, title, parts.join(''));
}
