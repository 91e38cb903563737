/**
 * Live charts (uPlot): throughput per source (records read per second, with the total when there
 * are several sources) and watermark lag (per source, and the job's: the largest lag of any
 * operator, i.e. how far behind the slowest event time is). Points come from the server's
 * history on connect, then one per update; the last five minutes are kept.
 */
import uPlot from 'uplot';
import type { HistorySample } from '../../src/history-sample.js';
import type { GraphEdgeView, GraphNodeView } from '../../src/job-document.js';
import { h } from './dom.js';
import { formatDuration, formatRate } from './format.js';

const PALETTE = ['#4f7cff', '#12b886', '#f59f00', '#e64980', '#7950f2', '#fa5252', '#15aabf', '#82c91e'];
const KEEP_MS = 5 * 60_000;
const MAX_SERIES = 8;

interface Line {
  readonly label: string;
  readonly value: (s: HistorySample) => number | null;
}

/**
 * One chart of the dashboard.
 *
 * @example
 * ```ts
 * const chart = new LiveChart('Throughput', 'records/s', lines, formatRate);
 * panel.append(chart.element);
 * chart.push(sample);
 * ```
 */
export class LiveChart {
  readonly element: HTMLElement;
  private readonly data: (number | null)[][];
  private plot: uPlot | undefined;
  private readonly host: HTMLElement;

  constructor(
    readonly title: string,
    unit: string,
    private readonly lines: readonly Line[],
    private readonly format: (v: number) => string,
  ) {
    this.data = [[], ...lines.map(() => [])];
    this.host = h('div', { class: 'chart-host' });
    this.element = h('section', { class: 'panel chart', 'data-chart': title }, h('h2', {}, title, h('span', { class: 'unit' }, unit)), this.host);
    new ResizeObserver(() => this.resize()).observe(this.host);
  }

  /** Adds a point (and drops points older than five minutes). */
  push(s: HistorySample): void {
    const xs = this.data[0]!;
    const t = s.t / 1000;
    if (xs.length > 0 && t <= xs.at(-1)!) return; // the history and the live stream may overlap
    xs.push(t);
    // A value that is not a finite number is no point (never a bar to the top of the chart).
    this.lines.forEach((l, i) => {
      const v = l.value(s);
      this.data[i + 1]!.push(v !== null && Number.isFinite(v) ? v : null);
    });
    while (xs.length > 2 && (t - xs[0]!) * 1000 > KEEP_MS) for (const col of this.data) col.shift();
    this.plot?.setData(this.data as uPlot.AlignedData);
    this.element.dataset['series'] = JSON.stringify(this.summary());
  }

  /** Per line: how many points it has drawn and the largest value (what a reader or a test checks). */
  summary(): { label: string; points: number; max: number | null }[] {
    return this.lines.map((l, i) => {
      const values = this.data[i + 1]!.filter((v): v is number => v !== null);
      return { label: l.label, points: values.length, max: values.length > 0 ? Math.max(...values) : null };
    });
  }

  private resize(): void {
    const width = this.host.clientWidth;
    if (width <= 0) return;
    const height = 220;
    if (this.plot) {
      this.plot.setSize({ width, height });
      return;
    }
    const fmt = this.format;
    this.plot = new uPlot(
      {
        width,
        height,
        cursor: { drag: { x: false, y: false } },
        legend: { live: false },
        scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 1) * 1.1)] } },
        axes: [
          { stroke: '#66708a', grid: { stroke: '#eef0f5' }, ticks: { stroke: '#eef0f5' } },
          { stroke: '#66708a', grid: { stroke: '#eef0f5' }, ticks: { stroke: '#eef0f5' }, size: 64, values: (_u, vals) => vals.map((v) => fmt(v)) },
        ],
        series: [
          {},
          ...this.lines.map((l, i) => ({
            label: l.label,
            stroke: PALETTE[i % PALETTE.length]!,
            width: i === 0 && l.label === 'total' ? 2.5 : 1.75,
            fill: i === 0 ? `${PALETTE[0]}14` : undefined,
            spanGaps: false,
            points: { show: false },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)),
          })),
        ],
      },
      this.data as uPlot.AlignedData,
      this.host,
    );
  }
}

/**
 * The throughput chart: records read per second by each source, plus the total.
 *
 * @example
 * ```ts
 * const chart = throughputChart(doc.graph.nodes);
 * ```
 */
export function throughputChart(nodes: readonly GraphNodeView[]): LiveChart {
  const sources = nodes.filter((n) => n.kind === 'source').slice(0, MAX_SERIES - 1);
  const lines: Line[] = sources.map((n) => ({ label: n.name, value: (s) => s.rates[n.uid] ?? null }));
  if (sources.length > 1) {
    const all = nodes.filter((n) => n.kind === 'source');
    lines.unshift({ label: 'total', value: (s) => all.reduce((sum, n) => sum + (s.rates[n.uid] ?? 0), 0) });
  }
  return new LiveChart('Throughput', 'records/s', lines, formatRate);
}

/**
 * The watermark-lag chart: the job's lag (largest operator lag) and each source's (or, for a
 * source without watermarks, that of the timestamp assigner right after it). A node without a
 * watermark yet, or whose event time ended, adds no point (the samples hold null for it, see
 * `chartedLag`).
 *
 * @example
 * ```ts
 * const chart = lagChart(doc.graph.nodes, doc.graph.edges);
 * ```
 */
export function lagChart(nodes: readonly GraphNodeView[], edges: readonly GraphEdgeView[] = []): LiveChart {
  const operators = nodes.filter((n) => n.kind !== 'source');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A source without a watermark strategy has its event time assigned right after it: chart
  // that node's lag under the source's name.
  const timeOf = (source: GraphNodeView) => {
    const next = edges.filter((e) => e.from === source.id && !e.sideOutput).map((e) => byId.get(e.to));
    return [source.uid, ...next.filter((n) => n?.kind === 'timestamps').map((n) => n!.uid)];
  };
  const sources = nodes.filter((n) => n.kind === 'source').slice(0, MAX_SERIES - 1);
  const lines: Line[] = [
    {
      label: 'job (slowest operator)',
      value: (s) => {
        let max: number | null = null;
        for (const n of operators) {
          const lag = s.lags[n.uid];
          if (lag !== null && lag !== undefined && (max === null || lag > max)) max = lag;
        }
        return max;
      },
    },
    ...sources.map((n) => {
      const uids = timeOf(n);
      return { label: n.name, value: (s: HistorySample) => uids.map((u) => s.lags[u]).find((l) => l !== null && l !== undefined) ?? null };
    }),
  ];
  return new LiveChart('Watermark lag', 'ms', lines, (v) => formatDuration(v));
}
