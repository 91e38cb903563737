/**
 * The job graph: laid out once by dagre (ranks left to right, as the data flows), drawn as
 * HTML node cards over an SVG layer of edges, and refreshed every second with each node's
 * figures (records, rate, watermark and lag, live windows, timers, late records).
 *
 * Cards are HTML rather than SVG text so that long operator names ellipsize and wrap with CSS.
 * Zoom is a CSS transform on the canvas; the panel scrolls when the graph is larger than it.
 */
import dagre from '@dagrejs/dagre';
import type { OperatorMetrics, SourceMetrics, MetricsSnapshot } from '@weir/core';
import type { GraphEdgeView, GraphNodeView, JobDocument } from '../../src/job-document.js';
import { h, setText, svg } from './dom.js';
import { formatCount, formatDuration, formatRate, formatTimestamp, shorten } from './format.js';

const NODE_W = 232;
const NODE_H = 104;

/** Colour family of a node kind. */
export function kindClass(kind: string): string {
  if (kind === 'source') return 'k-source';
  if (kind === 'sink') return 'k-sink';
  if (kind === 'timestamps') return 'k-time';
  if (kind === 'window' || kind === 'keyedReduce' || kind === 'keyedProcess') return 'k-state';
  if (kind === 'union' || kind === 'coProcess' || kind === 'iterationHead') return 'k-route';
  return 'k-fn';
}

interface NodeCard {
  readonly el: HTMLElement;
  readonly counts: HTMLElement;
  readonly rate: HTMLElement;
  readonly time: HTMLElement;
  readonly state: HTMLElement;
}

/**
 * The graph panel.
 *
 * @example
 * ```ts
 * const view = new GraphView(doc);
 * panel.append(view.element);
 * view.update(snapshot);
 * ```
 */
export class GraphView {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly cards = new Map<number, NodeCard>();
  private readonly width: number;
  private readonly height: number;
  private scale = 1;
  private fitted = false;

  constructor(doc: JobDocument) {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 26, ranksep: 64, edgesep: 14, marginx: 16, marginy: 16 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of doc.graph.nodes) g.setNode(String(n.id), { width: NODE_W, height: NODE_H });
    doc.graph.edges.forEach((e, i) => {
      const label = edgeLabel(e);
      // A labelled edge reserves room for its label in the layout, so labels never sit on cards.
      const size = label ? { width: labelWidth(label), height: 16, labelpos: 'c' as const } : {};
      g.setEdge(String(e.from), String(e.to), { minlen: 1, weight: e.feedback ? 0 : 1, ...size }, `e${i}`);
    });
    dagre.layout(g);
    const graphLabel = g.graph();
    this.width = Math.ceil(graphLabel.width ?? NODE_W);
    this.height = Math.ceil(graphLabel.height ?? NODE_H);

    const edges = svg('svg', { class: 'edges', width: this.width, height: this.height, viewBox: `0 0 ${this.width} ${this.height}` });
    edges.append(
      svg(
        'defs',
        {},
        svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0 0L10 5L0 10z', class: 'arrow' })),
      ),
    );
    doc.graph.edges.forEach((e, i) => {
      const laid = g.edge({ v: String(e.from), w: String(e.to), name: `e${i}` });
      edges.append(drawEdge(e, laid?.points ?? [], laid?.x, laid?.y));
    });

    this.canvas = h('div', { class: 'graph-canvas', style: `width:${this.width}px;height:${this.height}px` }, edges);
    for (const n of doc.graph.nodes) {
      const pos = g.node(String(n.id));
      const card = nodeCard(n);
      card.el.style.left = `${(pos.x ?? 0) - NODE_W / 2}px`;
      card.el.style.top = `${(pos.y ?? 0) - NODE_H / 2}px`;
      this.canvas.append(card.el);
      this.cards.set(n.id, card);
    }
    const viewport = h('div', { class: 'graph-viewport' }, h('div', { class: 'graph-sizer' }, this.canvas));
    const tools = h(
      'div',
      { class: 'graph-tools' },
      button('−', 'Zoom out', () => this.zoom(this.scale / 1.25)),
      button('Fit', 'Fit the graph to the panel', () => this.fit()),
      button('+', 'Zoom in', () => this.zoom(this.scale * 1.25)),
    );
    this.element = h('div', { class: 'graph' }, tools, viewport);
    new ResizeObserver(() => {
      if (!this.fitted && viewport.clientWidth > 0) this.fit();
    }).observe(viewport);
  }

  /** Updates every card from a snapshot. */
  update(s: MetricsSnapshot): void {
    const now = Date.now();
    for (const o of s.sources) this.updateSource(o, now);
    for (const o of s.operators) this.updateOperator(o, now);
  }

  /** Scales the graph to the panel's width (never above 100 %, never below a readable 55 %). */
  fit(): void {
    const viewport = this.element.querySelector<HTMLElement>('.graph-viewport')!;
    const avail = viewport.clientWidth - 8;
    if (avail <= 0) return;
    this.fitted = true;
    this.zoom(Math.max(0.55, Math.min(1, avail / this.width)));
  }

  private zoom(scale: number): void {
    this.scale = Math.max(0.25, Math.min(2, scale));
    this.canvas.style.transform = `scale(${this.scale})`;
    const sizer = this.canvas.parentElement!;
    sizer.style.width = `${this.width * this.scale}px`;
    sizer.style.height = `${this.height * this.scale}px`;
  }

  private updateSource(o: SourceMetrics, now: number): void {
    const c = this.cards.get(o.id);
    if (!c) return;
    setText(c.counts, `${formatCount(o.recordsOut)} read`);
    setText(c.rate, `${formatRate(o.recordsOutPerSecond)}/s`);
    setText(c.time, o.watermark === null ? 'no watermark' : watermarkText(o.watermark, o.watermarkLagMs, now));
    const parts = [o.ended ? 'ended' : positionText(o.position)];
    if (o.deadLetters > 0) parts.push(`${formatCount(o.deadLetters)} dead letters`);
    setText(c.state, parts.filter(Boolean).join(' · '));
    c.el.classList.toggle('ended', o.ended);
    c.el.classList.toggle('warn', o.deadLetters > 0);
    c.el.classList.toggle('busy', o.recordsOutPerSecond > 0);
  }

  private updateOperator(o: OperatorMetrics, now: number): void {
    const c = this.cards.get(o.id);
    if (!c) return;
    setText(c.counts, o.kind === 'sink' ? `${formatCount(o.recordsIn)} in` : `${formatCount(o.recordsIn)} in · ${formatCount(o.recordsOut)} out`);
    setText(c.rate, `${formatRate(o.recordsInPerSecond)}/s`);
    setText(c.time, o.eventTimeEnded ? 'wm ∞ · event time ended' : o.watermark === null ? 'no watermark yet' : watermarkText(o.watermark, o.watermarkLagMs, now));
    const late = o.lateRecordsDropped + o.lateRecordsSideOutput;
    const parts: string[] = [];
    if (o.kind === 'window') parts.push(`${formatCount(o.liveWindows)} windows`);
    if (o.stateEntries > 0 && o.kind !== 'window') parts.push(`${formatCount(o.stateEntries)} keys`);
    if (o.timers > 0) parts.push(`${formatCount(o.timers)} timers`);
    if (late > 0) parts.push(`${formatCount(late)} late`);
    if (o.deadLetters > 0) parts.push(`${formatCount(o.deadLetters)} dead`);
    setText(c.state, parts.join(' · ') || (o.kind === 'window' ? '0 windows' : ' '));
    c.el.classList.toggle('warn', late > 0 || o.deadLetters > 0);
    c.el.classList.toggle('busy', o.recordsInPerSecond > 0);
  }
}

function watermarkText(wm: number, lag: number | null, now: number): string {
  // The job's clock may not be the wall clock (a replay, a manual clock): watermark + lag is the
  // job's now, and the date is shown only when the watermark is on another day than that.
  const jobNow = lag === null ? now : wm + lag;
  // At or before the epoch: a generator's starting value, not an event's time; no lag from it.
  if (wm <= 0) return `wm ${formatTimestamp(wm, jobNow)} · no event time yet`;
  return `wm ${formatTimestamp(wm, jobNow)}${lag === null ? '' : ` · lag ${formatDuration(lag)}`}`;
}

function positionText(position: unknown): string {
  if (position === undefined || position === null) return '';
  if (typeof position === 'number' || typeof position === 'string') return `at ${typeof position === 'number' ? formatCount(position) : shorten(position, 18)}`;
  return '';
}

function nodeCard(n: GraphNodeView): NodeCard {
  const counts = h('div', { class: 'n-counts', 'data-field': 'records' }, '—');
  const rate = h('span', { class: 'n-rate', 'data-field': 'rate' }, '0/s');
  const time = h('div', { class: 'n-time', 'data-field': 'watermark' }, 'no watermark');
  const state = h('div', { class: 'n-state', 'data-field': 'state' }, ' ');
  const el = h(
    'div',
    { class: `node ${kindClass(n.kind)}`, 'data-node-id': n.id, 'data-uid': n.uid, title: `${n.name}\nuid ${n.uid} · ${n.kind} #${n.id}` },
    h('div', { class: 'n-head' }, h('span', { class: 'n-kind' }, n.kind, h('span', { class: 'n-uid' }, n.uid)), rate),
    h('div', { class: 'n-name' }, shorten(n.name, 60)),
    counts,
    time,
    state,
  );
  return { el, counts, rate, time, state };
}

/** The text on an edge: a side output's tag, or a partitioning other than forward. */
function edgeLabel(e: GraphEdgeView): string | undefined {
  if (e.sideOutput !== undefined) return shorten(e.sideOutput === 'weir.dead-letters' ? 'dead letters' : e.sideOutput, 22);
  if (e.feedback) return 'feedback';
  return e.partitioning === 'forward' ? undefined : e.partitioning;
}

const labelWidth = (text: string) => Math.ceil(text.length * 6.4 + 12);

function drawEdge(e: GraphEdgeView, points: readonly { x: number; y: number }[], x?: number, y?: number): SVGGElement {
  const cls = ['edge', e.partitioning === 'hash' ? 'hash' : '', e.partitioning === 'broadcast' ? 'broadcast' : '', e.sideOutput ? 'side' : '', e.feedback ? 'feedback' : '']
    .filter(Boolean)
    .join(' ');
  const group = svg('g', { class: cls, 'data-edge': `${e.from}-${e.to}` }, svg('path', { d: smoothPath(points), 'marker-end': 'url(#arrow)' }));
  const text = edgeLabel(e);
  if (text && x !== undefined && y !== undefined) {
    const w = labelWidth(text);
    group.append(
      svg('rect', { class: 'edge-label-bg', x: x - w / 2, y: y - 8, width: w, height: 16, rx: 8 }),
      svg('text', { class: 'edge-label', x, y: y + 3.5, 'text-anchor': 'middle' }, text),
    );
  }
  return group;
}

/** A path through dagre's points, with the corners rounded by quadratic curves. */
function smoothPath(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const next = rest[i + 1]!;
    d += `Q${p.x},${p.y} ${(p.x + next.x) / 2},${(p.y + next.y) / 2}`;
  }
  const last = rest.at(-1);
  if (last) d += `L${last.x},${last.y}`;
  return d;
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', title }, label);
  b.addEventListener('click', onClick);
  return b;
}
