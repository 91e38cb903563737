/**
 * The tasks of a scaled-out instance (shown only when the snapshot has `scaleOut`): one row per
 * task this instance runs, with its epoch, records in and their rate, the lag of its input
 * partitions, its state entries, how long its restore took and its last checkpoint; above the
 * table, the instance's id, the live instances and the rebalances so far.
 */
import type { InstanceMetrics, MetricsSnapshot, TaskMetrics } from '@weir/core';
import { h, replaceChildren, setText } from './dom.js';
import { formatCount, formatDuration, formatRate } from './format.js';

/** The instance metrics a snapshot carries, if it is an instance's. */
export function scaleOutOf(s: MetricsSnapshot): InstanceMetrics | undefined {
  return (s as MetricsSnapshot & { scaleOut?: InstanceMetrics }).scaleOut;
}

const totalLag = (t: TaskMetrics) => Object.values(t.lag).reduce((a, b) => a + b, 0);

/**
 * The tasks panel.
 *
 * @example
 * ```ts
 * const tasks = new TasksPanel(); tasks.update(snapshot);
 * ```
 */
export class TasksPanel {
  readonly element: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private lastKey = '';

  constructor() {
    this.summary = h('span', { class: 'unit', id: 'instance-summary' });
    this.body = h('tbody');
    this.element = h(
      'section',
      { class: 'panel tasks', id: 'tasks-panel' },
      h('h2', {}, 'Tasks of this instance', this.summary),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'tasks-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Task'),
              h('th', { class: 'num' }, 'Epoch'),
              h('th', { class: 'num' }, 'Records in'),
              h('th', { class: 'num' }, 'Rate'),
              h('th', { class: 'num' }, 'Lag'),
              h('th', { class: 'num' }, 'State entries'),
              h('th', { class: 'num' }, 'Restore'),
              h('th', { class: 'num' }, 'Checkpoint'),
            ),
          ),
          this.body,
        ),
      ),
    );
  }

  update(s: MetricsSnapshot): void {
    const m = scaleOutOf(s);
    if (m === undefined) return;
    const plural = (n: number, what: string) => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;
    setText(this.summary, `${m.instanceId} · ${plural(m.tasks.length, 'task')} · ${plural(m.members.length, 'instance')} · ${plural(m.rebalances, 'rebalance')}${m.fenced ? ` · last fenced: ${m.fenced}` : ''}`);
    const tasks = [...m.tasks].sort((a, b) => a.subtopology - b.subtopology || a.partition - b.partition);
    const key = JSON.stringify(tasks.map((t) => [t.taskId, t.epoch, t.recordsIn, totalLag(t), t.stateEntries, t.restoreMs, t.lastCheckpointId]));
    if (key === this.lastKey) return;
    this.lastKey = key;
    replaceChildren(
      this.body,
      ...tasks.map((t) =>
        h(
          'tr',
          { 'data-task': t.taskId },
          h('td', {}, t.taskId),
          h('td', { class: 'num' }, String(t.epoch)),
          h('td', { class: 'num' }, formatCount(t.recordsIn)),
          h('td', { class: 'num' }, formatRate(t.recordsInPerSecond)),
          h('td', { class: 'num', title: Object.entries(t.lag).map(([p, n]) => `${p}: ${n}`).join('\n') }, formatCount(totalLag(t))),
          h('td', { class: 'num' }, formatCount(t.stateEntries)),
          h('td', { class: 'num' }, t.restoreMs === null ? 'restoring' : formatDuration(t.restoreMs)),
          h('td', { class: 'num' }, t.lastCheckpointId === 0 ? '—' : String(t.lastCheckpointId)),
        ),
      ),
    );
  }
}
