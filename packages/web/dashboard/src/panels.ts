/**
 * The dashboard's panels besides the graph and the charts: the header, the summary cards, the
 * checkpoint history, late data and dead letters per operator, and the last exception. Each
 * panel is built once and updated in place from every snapshot.
 */
import type { CheckpointRecord, MetricsSnapshot } from '@weir/core';
import { chartedLag } from '../../src/history-sample.js';
import { h, replaceChildren, setText } from './dom.js';
import { formatBytes, formatCount, formatDuration, formatRate, formatTimestamp, shorten } from './format.js';

/**
 * Job-wide figures computed from a snapshot.
 *
 * @example
 * ```ts
 * totals(snapshot).recordsRead; // records read by all sources
 * ```
 */
export function totals(s: MetricsSnapshot) {
  let recordsRead = 0;
  let readRate = 0;
  let deadLetters = 0;
  let late = 0;
  let lag: number | null = null;
  for (const o of s.sources) {
    recordsRead += o.recordsOut;
    readRate += o.recordsOutPerSecond;
    deadLetters += o.deadLetters;
  }
  for (const o of s.operators) {
    deadLetters += o.deadLetters;
    late += o.lateRecordsDropped + o.lateRecordsSideOutput;
    const l = chartedLag(o);
    if (l !== null && (lag === null || l > lag)) lag = l;
  }
  return { recordsRead, readRate, deadLetters, late, lag };
}

/**
 * The header: job name, status, uptime and the connection state.
 *
 * @example
 * ```ts
 * const header = new Header('stock prices'); header.update(snapshot);
 * ```
 */
export class Header {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly uptime: HTMLElement;
  private readonly link: HTMLElement;

  constructor(jobName: string) {
    this.status = h('span', { class: 'status s-created', id: 'job-status' }, 'created');
    this.uptime = h('span', { class: 'uptime' });
    this.link = h('span', { class: 'link', id: 'connection' }, 'connecting');
    this.element = h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'weir'),
      h('h1', { id: 'job-name' }, jobName),
      this.status,
      this.uptime,
      h('span', { class: 'spacer' }),
      h('a', { href: 'metrics', class: 'raw' }, '/metrics'),
      h('a', { href: 'api/job', class: 'raw' }, '/api/job'),
      this.link,
    );
  }

  update(s: MetricsSnapshot): void {
    setText(this.status, s.status);
    this.status.className = `status s-${s.status}`;
    setText(this.uptime, s.startedAt > 0 ? `up ${formatDuration(Date.now() - s.startedAt)} · started ${formatTimestamp(s.startedAt)}` : '');
  }

  connection(state: 'live' | 'reconnecting' | 'ended'): void {
    setText(this.link, state === 'live' ? 'live' : state === 'ended' ? 'job ended' : 'reconnecting…');
    this.link.className = `link l-${state}`;
  }
}

interface Card {
  readonly value: HTMLElement;
  readonly sub: HTMLElement;
  readonly el: HTMLElement;
}

function card(id: string, label: string): Card {
  const value = h('div', { class: 'value', id }, '—');
  const sub = h('div', { class: 'sub' }, ' ');
  return { value, sub, el: h('div', { class: 'card', 'data-card': id }, h('div', { class: 'label' }, label), value, sub) };
}

/**
 * The row of summary cards.
 *
 * @example
 * ```ts
 * const cards = new SummaryCards(); cards.update(snapshot);
 * ```
 */
export class SummaryCards {
  readonly element: HTMLElement;
  private readonly throughput = card('throughput', 'Throughput');
  private readonly records = card('records-total', 'Records read');
  private readonly lag = card('watermark-lag', 'Watermark lag');
  private readonly late = card('late-total', 'Late records');
  private readonly dead = card('dead-letters-total', 'Dead letters');
  private readonly checkpoints = card('checkpoints-total', 'Checkpoints');
  private readonly restarts = card('restarts', 'Restarts');

  constructor() {
    this.element = h(
      'div',
      { class: 'cards' },
      ...[this.throughput, this.records, this.lag, this.late, this.dead, this.checkpoints, this.restarts].map((c) => c.el),
    );
  }

  update(s: MetricsSnapshot): void {
    const t = totals(s);
    setText(this.throughput.value, `${formatRate(t.readRate)}/s`);
    setText(this.throughput.sub, 'records read per second');
    setText(this.records.value, formatCount(t.recordsRead));
    setText(this.records.sub, `by ${s.sources.length} source${s.sources.length === 1 ? '' : 's'}`);
    setText(this.lag.value, t.lag === null ? '—' : formatDuration(t.lag));
    setText(this.lag.sub, 'slowest operator');
    setText(this.late.value, formatCount(t.late));
    setText(this.late.sub, 'dropped or side output');
    this.late.el.classList.toggle('alert', t.late > 0);
    setText(this.dead.value, formatCount(t.deadLetters));
    setText(this.dead.sub, 'bad records set aside');
    this.dead.el.classList.toggle('alert', t.deadLetters > 0);
    const cp = s.checkpoints;
    setText(this.checkpoints.value, formatCount(cp.completed));
    setText(this.checkpoints.sub, cp.failed > 0 ? `${formatCount(cp.failed)} failed · last #${cp.lastCheckpointId}` : cp.completed > 0 ? `last #${cp.lastCheckpointId}` : 'none yet');
    this.checkpoints.el.classList.toggle('alert', cp.failed > 0);
    setText(this.restarts.value, formatCount(s.restarts));
    setText(this.restarts.sub, s.restarts > 0 ? 'after failures' : 'no failures');
    this.restarts.el.classList.toggle('alert', s.restarts > 0);
  }
}

/**
 * The checkpoint history, newest first.
 *
 * @example
 * ```ts
 * const table = new CheckpointTable(); table.update(snapshot);
 * ```
 */
export class CheckpointTable {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly empty: HTMLElement;
  private lastKey = '';

  constructor() {
    this.body = h('tbody');
    this.empty = h('p', { class: 'empty' }, 'No checkpoint yet (checkpointing is set with the environment\u2019s checkpointing option).');
    this.element = h(
      'section',
      { class: 'panel checkpoints' },
      h('h2', {}, 'Checkpoints'),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'checkpoint-table' },
          h('thead', {}, h('tr', {}, ...['#', 'Status', 'Started', 'Duration', 'Sync pause', 'Size', 'Operators'].map((c) => h('th', {}, c)))),
          this.body,
        ),
      ),
      this.empty,
    );
  }

  update(s: MetricsSnapshot): void {
    const history = s.checkpoints.history;
    const key = history.map((c) => `${c.id}:${c.status}`).join(',');
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.empty.hidden = history.length > 0;
    replaceChildren(this.body, ...[...history].reverse().map((c) => row(c)));
  }
}

function row(c: CheckpointRecord): HTMLTableRowElement {
  const ops = Object.keys(c.operators).length;
  return h(
    'tr',
    { 'data-checkpoint-id': c.id, class: c.status },
    h('td', { class: 'num' }, String(c.id)),
    h('td', {}, h('span', { class: `pill p-${c.status}`, title: c.reason }, c.status), c.reason ? h('span', { class: 'reason' }, shorten(c.reason, 80)) : null),
    h('td', {}, formatTimestamp(c.startedAt)),
    h('td', { class: 'num' }, formatDuration(c.durationMs)),
    h('td', { class: 'num' }, formatDuration(c.syncPauseMs)),
    h('td', { class: 'num' }, c.status === 'completed' ? formatBytes(c.bytes) : '—'),
    h('td', { class: 'num', title: Object.entries(c.operators).map(([uid, b]) => `${uid}: ${formatBytes(b)}`).join('\n') }, String(ops)),
  );
}

/**
 * Late records and dead letters per operator (only those that have any), and the last exception.
 *
 * @example
 * ```ts
 * const problems = new ProblemsPanel(); problems.update(snapshot);
 * ```
 */
export class ProblemsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly empty: HTMLElement;
  private readonly exception: HTMLElement;
  private lastKey = '';

  constructor() {
    this.body = h('tbody');
    this.empty = h('p', { class: 'empty' }, 'No late records and no dead letters.');
    this.exception = h('div', { class: 'exception none', id: 'last-exception' }, 'No failure.');
    this.element = h(
      'section',
      { class: 'panel problems' },
      h('h2', {}, 'Late data & dead letters'),
      h(
        'table',
        { id: 'problems-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Operator'), h('th', { class: 'num' }, 'Late dropped'), h('th', { class: 'num' }, 'Late to side output'), h('th', { class: 'num' }, 'Dead letters'))),
        this.body,
      ),
      this.empty,
      h('h2', { class: 'sub-head' }, 'Last exception'),
      this.exception,
    );
  }

  update(s: MetricsSnapshot): void {
    const rows = [
      ...s.sources.filter((o) => o.deadLetters > 0).map((o) => ({ name: o.name, uid: o.uid, dropped: 0, side: 0, dead: o.deadLetters })),
      ...s.operators
        .filter((o) => o.lateRecordsDropped + o.lateRecordsSideOutput + o.deadLetters > 0)
        .map((o) => ({ name: o.name, uid: o.uid, dropped: o.lateRecordsDropped, side: o.lateRecordsSideOutput, dead: o.deadLetters })),
    ];
    const failure = s.lastFailure;
    const key = JSON.stringify([rows, failure?.at]);
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.empty.hidden = rows.length > 0;
    replaceChildren(
      this.body,
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-uid': r.uid },
          h('td', { title: r.name }, shorten(r.name, 48)),
          h('td', { class: 'num' }, formatCount(r.dropped)),
          h('td', { class: 'num' }, formatCount(r.side)),
          h('td', { class: 'num' }, formatCount(r.dead)),
        ),
      ),
    );
    if (failure) {
      this.exception.className = 'exception';
      replaceChildren(
        this.exception,
        h('div', { class: 'when' }, formatTimestamp(failure.at), failure.operator ? ` · operator ${failure.operator}` : '', failure.key !== undefined ? ` · key ${failure.key}` : ''),
        h('pre', {}, failure.message),
      );
    } else {
      this.exception.className = 'exception none';
      setText(this.exception, 'No failure.');
    }
  }
}
