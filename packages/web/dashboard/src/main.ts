/**
 * The dashboard page: reads `/api/job` once (graph and first snapshot), builds the panels, then
 * follows `/api/events` (Server-Sent Events): `history` seeds the charts, `metrics` arrives
 * about once a second, `end` carries the final snapshot when the job is over. URLs are relative,
 * so the page also works behind a reverse proxy under a path prefix.
 */
import 'uplot/dist/uPlot.min.css';
import '../style.css';
import type { MetricsSnapshot } from '@weir/core';
import { historySample, type HistorySample } from '../../src/history-sample.js';
import type { JobDocument } from '../../src/job-document.js';
import { lagChart, throughputChart } from './charts.js';
import { h, replaceChildren } from './dom.js';
import { GraphView } from './graph-view.js';
import { CheckpointTable, Header, ProblemsPanel, SummaryCards } from './panels.js';
import { scaleOutOf, TasksPanel } from './tasks-panel.js';

async function main(): Promise<void> {
  const app = document.getElementById('app')!;
  let doc: JobDocument;
  try {
    const res = await fetch('api/job', { cache: 'no-store' });
    if (!res.ok) throw new Error(`GET api/job: HTTP ${res.status}`);
    doc = (await res.json()) as JobDocument;
  } catch (e) {
    replaceChildren(app, h('p', { class: 'loading error' }, `Cannot reach the job: ${e instanceof Error ? e.message : String(e)}. Has it ended?`));
    return;
  }
  document.title = `${doc.jobName} · weir`;
  const header = new Header(doc.jobName);
  const cards = new SummaryCards();
  const graph = new GraphView(doc);
  const throughput = throughputChart(doc.graph.nodes);
  const lag = lagChart(doc.graph.nodes, doc.graph.edges);
  const checkpoints = new CheckpointTable();
  const problems = new ProblemsPanel();
  // An instance of a scaled-out job: its tasks get a panel of their own.
  const tasks = scaleOutOf(doc.metrics) ? new TasksPanel() : undefined;
  replaceChildren(
    app,
    header.element,
    h(
      'main',
      {},
      cards.element,
      h('section', { class: 'panel graph-panel' }, h('h2', {}, 'Job graph', h('span', { class: 'unit' }, `${doc.graph.nodes.length} nodes · ${doc.graph.edges.length} edges · left to right as the data flows`)), graph.element),
      tasks ? tasks.element : null,
      h('div', { class: 'row two' }, throughput.element, lag.element),
      h('div', { class: 'row wide-narrow' }, checkpoints.element, problems.element),
    ),
  );

  const show = (s: MetricsSnapshot) => {
    header.update(s);
    cards.update(s);
    graph.update(s);
    checkpoints.update(s);
    problems.update(s);
    tasks?.update(s);
    document.body.dataset['updates'] = String(Number(document.body.dataset['updates'] ?? '0') + 1);
  };
  const chart = (p: HistorySample) => {
    throughput.push(p);
    lag.push(p);
  };
  show(doc.metrics);

  let ended = false;
  const events = new EventSource('api/events');
  events.addEventListener('open', () => header.connection('live'));
  events.addEventListener('history', (e) => {
    for (const p of JSON.parse((e as MessageEvent<string>).data) as HistorySample[]) chart(p);
  });
  events.addEventListener('metrics', (e) => {
    const s = JSON.parse((e as MessageEvent<string>).data) as MetricsSnapshot;
    show(s);
    chart(historySample(s, Date.now()));
    header.connection('live');
  });
  events.addEventListener('end', (e) => {
    ended = true;
    events.close();
    show(JSON.parse((e as MessageEvent<string>).data) as MetricsSnapshot);
    header.connection('ended');
  });
  events.addEventListener('error', () => {
    if (!ended) header.connection('reconnecting');
  });
}

void main();
