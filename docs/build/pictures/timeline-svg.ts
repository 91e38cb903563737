/**
 * Window timelines: which elements landed in which window, drawn from what a real weir job
 * emitted. The top row is the input on an event-time axis (one dot per element, its label
 * above); below it one bar per window firing, in lanes so that overlapping windows (sliding,
 * sessions) do not cover each other, with the window's own elements as dots on the bar.
 *
 * Time windows are drawn from `start` to `end` (end exclusive, so the bar stops where the next
 * window starts); global windows (count, delta) have no bounds, so their bar spans their first
 * to last element.
 */
import { el, PALETTE, svgDocument, text, textWidth } from './svg.js';

/** One input element of a timeline. */
export interface TimelineElement {
  readonly label: string;
  readonly ts: number;
}

/** One window firing as the job emitted it. */
export interface TimelineWindow {
  /** Bounds of a time window (ms); absent for a global window. */
  readonly start?: number;
  readonly end?: number;
  readonly elements: readonly TimelineElement[];
  /** Text after the bar, e.g. the window's result. */
  readonly note?: string;
}

const LEFT = 16;
const RIGHT_NOTE = 16;
const AXIS_Y = 70;
const LANE_H = 30;
const TOP_LANE = AXIS_Y + 34;

/** SVG of elements and the windows they landed in; `msPerPx` scales time to pixels. */
export function timelineSvg(
  title: string,
  elements: readonly TimelineElement[],
  windows: readonly TimelineWindow[],
  options: { from: number; to: number; tickMs: number; pxPerSecond?: number; unit?: string } = { from: 0, to: 10_000, tickMs: 1000 },
): string {
  const pps = options.pxPerSecond ?? 60;
  // Windows may start before the first element (sliding windows): the axis starts with them.
  const from = Math.min(options.from, ...windows.map((w) => w.start ?? options.from));
  const x = (ts: number) => LEFT + 8 + ((ts - from) / 1000) * pps;
  const axisEnd = x(options.to);
  const lanes = assignLanes(windows, x);
  const laneCount = Math.max(1, ...lanes.map((l) => l + 1));
  const notes = windows.map((w) => w.note ?? '');
  const width = Math.ceil(Math.max(axisEnd + 12, textWidth(title, 13) + LEFT, ...windows.map((w, i) => barEnd(w, x) + 8 + textWidth(notes[i]!, 11))) + RIGHT_NOTE);
  const height = TOP_LANE + laneCount * LANE_H + 10;
  const parts: string[] = [];

  // Axis with ticks.
  parts.push(el('line', { x1: LEFT, y1: AXIS_Y, x2: axisEnd + 8, y2: AXIS_Y, stroke: '#8c959f' }));
  for (let t = from; t <= options.to; t += options.tickMs) {
    parts.push(el('line', { x1: x(t), y1: AXIS_Y - 3, x2: x(t), y2: AXIS_Y + 3, stroke: '#8c959f' }));
    parts.push(text(x(t), AXIS_Y + 15, `${t / 1000}${options.unit ?? 's'}`, { 'text-anchor': 'middle', class: 'small muted' }));
    // Faint guide through the lanes, so a reader can see where a bar starts and ends.
    parts.push(el('line', { x1: x(t), y1: AXIS_Y + 20, x2: x(t), y2: height - 6, stroke: '#eaeef2' }));
  }
  parts.push(text(LEFT, 16, title, { class: 'mono' }));
  parts.push(text(LEFT, 32, 'input (event time); below: the windows the job fired, in order, with their elements', { class: 'small muted' }));

  // Input elements, with labels staggered when two are close.
  let lastX = -Infinity;
  let up = false;
  for (const e of elements) {
    const ex = x(e.ts);
    up = ex - lastX < 14 ? !up : false;
    lastX = ex;
    parts.push(el('circle', { cx: ex, cy: AXIS_Y, r: 4.5, fill: '#1f2328' }));
    parts.push(text(ex, up ? AXIS_Y - 24 : AXIS_Y - 10, e.label, { 'text-anchor': 'middle', class: 'mono' }));
  }

  // Windows.
  windows.forEach((w, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const y = TOP_LANE + lanes[i]! * LANE_H;
    const x0 = barStart(w, x);
    const x1 = barEnd(w, x);
    parts.push(el('rect', { x: x0, y: y - 9, width: Math.max(6, x1 - x0), height: 18, rx: 4, fill: colour, 'fill-opacity': 0.16, stroke: colour }));
    for (const e of w.elements) {
      parts.push(el('circle', { cx: x(e.ts), cy: y, r: 4, fill: colour }));
      parts.push(el('line', { x1: x(e.ts), y1: AXIS_Y + 5, x2: x(e.ts), y2: y - 5, stroke: colour, 'stroke-opacity': 0.35, 'stroke-dasharray': '2 3' }));
    }
    if (notes[i]) parts.push(text(x1 + 8, y + 4, notes[i]!, { class: 'small mono' }));
  });
  return svgDocument(width, height, title, parts.join(''));
}

function barStart(w: TimelineWindow, x: (ts: number) => number): number {
  return w.start !== undefined ? x(w.start) : x(Math.min(...w.elements.map((e) => e.ts))) - 8;
}

function barEnd(w: TimelineWindow, x: (ts: number) => number): number {
  return w.end !== undefined ? x(w.end) : x(Math.max(...w.elements.map((e) => e.ts))) + 8;
}

/** Greedy interval colouring: each window takes the first lane whose last bar (and note) ended before it starts. */
function assignLanes(windows: readonly TimelineWindow[], x: (ts: number) => number): number[] {
  const laneEnds: number[] = [];
  return windows.map((w) => {
    const start = barStart(w, x);
    const end = barEnd(w, x) + 10 + textWidth(w.note ?? '', 11);
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = end;
    return lane;
  });
}
