/**
 * `/metrics` of a running job: the text parses as Prometheus exposition format (checked by our
 * own parser, written from the format's specification), carries the family names with
 * the `job` and `operator` labels, and its values equal an independent count over the job's
 * input — taken while the job is still running, held open by a gated source on a manual clock.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEAD_LETTERS, ManualClock, type MetricsSnapshot, OutputTag, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { TumblingEventTimeWindows } from '@weir/windows';
import { PROMETHEUS_FAMILIES, PrometheusExporter } from '../../packages/web/src/prometheus.js';
import { parsePrometheusText, sampleValue } from './support/prom-text.js';
import { gate, getJson, waitFor } from './support/wait.js';

interface Ev { k: string; v: number; ts: number }

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function input(): Ev[] {
  const events: Ev[] = [];
  for (let i = 0; i < 600; i++) events.push({ k: `k${i % 5}`, v: i, ts: i * 10 });
  for (let i = 0; i < 15; i++) events.push({ k: 'late', v: i, ts: i }); // behind the watermark (5989)
  for (let i = 0; i < 4; i++) events.push({ k: 'bad', v: 1, ts: Number.NaN }); // dead letters
  events.push({ k: 'flush', v: 1, ts: 100_000 }); // moves the watermark past every earlier window
  return events;
}

describe('GET /metrics', () => {
  it('parses as Prometheus text and equals an independent count while the job runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-prom-'));
    dirs.push(dir);
    const events = input();
    const clock = new ManualClock(0);
    const hold = gate();
    let env!: StreamEnvironment;
    async function* source() {
      for (let i = 0; i < events.length; i++) {
        clock.advance(7); // a checkpoint falls due every ~70 elements
        yield events[i]!;
        await new Promise((r) => setImmediate(r));
        // Every 100 elements, let the checkpoint that fell due complete, so that several do.
        if (i % 100 === 99) await waitFor('a checkpoint', () => (env.metrics().checkpoints.completed >= (i + 1) / 100 ? true : undefined));
      }
      await hold.wait;
    }
    env = StreamEnvironment.create({ clock, checkpointing: { intervalMs: 500, dir, retain: 10_000 }, web: { port: 0 } });
    const lateTag = new OutputTag<Ev>('late');
    const timed = env
      .fromCollection(source())
      .name('events')
      .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Ev>(0).withTimestampAssigner((e) => e.ts))
      .name('stamped');
    timed.getSideOutput(DEAD_LETTERS).collect();
    const sums = timed
      .filter((e) => e.v % 3 !== 0)
      .name('not multiples of 3')
      .keyBy('k')
      .window(TumblingEventTimeWindows.of(1000))
      .sideOutputLateData(lateTag)
      .sum('v')
      .name('sums');
    sums.getSideOutput(lateTag).collect();
    sums.collect();

    // Independent counts over the input.
    const valid = events.filter((e) => Number.isFinite(e.ts));
    const kept = valid.filter((e) => e.v % 3 !== 0);
    const late = kept.filter((e) => e.k === 'late');
    const fired = new Set(kept.filter((e) => e.k !== 'late' && e.k !== 'flush').map((e) => `${e.k}/${Math.floor(e.ts / 1000)}`));

    let url = '';
    const running = env.execute({ jobName: 'prom test', onWebServer: (u) => (url = u) });
    const chk = () => readdirSync(dir).filter((n) => /^chk-\d+$/.test(n)).length;
    try {
      // Wait until the flush element went through and the last checkpoint finished (the clock
      // stands still while the source waits at the gate, so no further checkpoint starts).
      await waitFor('the input to be processed', async () => {
        if (!url) return undefined;
        const { metrics } = await getJson<{ metrics: MetricsSnapshot }>(`${url}api/job`);
        const window = metrics.operators.find((o) => o.name === 'sums');
        const done = window?.watermark === 99_999 && window.recordsOut === fired.size;
        return done && metrics.checkpoints.completed === chk() && chk() > 0 ? true : undefined;
      });
      const res = await fetch(`${url}metrics`);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      const families = parsePrometheusText(text);

      for (const name of PROMETHEUS_FAMILIES) expect(families.has(name), name).toBe(true);
      for (const f of families.values()) {
        expect(f.name).toMatch(/^weir_/);
        for (const s of f.samples) expect(s.labels['job']).toBe('prom test');
      }
      const op = (operator: string) => ({ operator });
      const v = (family: string, labels: Record<string, string>) => sampleValue(families, family, labels);

      expect(v('weir_source_records_out_total', { source: 'events' })).toBe(events.length);
      expect(v('weir_operator_records_in_total', op('stamped'))).toBe(events.length);
      expect(v('weir_operator_records_out_total', op('stamped'))).toBe(valid.length);
      expect(v('weir_dead_letters_total', op('stamped'))).toBe(events.length - valid.length);
      expect(v('weir_operator_side_output_records_total', { ...op('stamped'), tag: DEAD_LETTERS.id })).toBe(events.length - valid.length);
      expect(v('weir_operator_records_in_total', op('not multiples of 3'))).toBe(valid.length);
      expect(v('weir_operator_records_out_total', op('not multiples of 3'))).toBe(kept.length);
      expect(v('weir_operator_records_in_total', op('sums'))).toBe(kept.length);
      expect(v('weir_operator_records_out_total', op('sums'))).toBe(fired.size);
      expect(v('weir_late_records_total', { ...op('sums'), handling: 'side_output' })).toBe(late.length);
      expect(v('weir_late_records_total', { ...op('sums'), handling: 'dropped' })).toBe(0);
      expect(v('weir_operator_watermark_ms', op('sums'))).toBe(100_000 - 1);
      expect(v('weir_operator_live_windows', op('sums'))).toBe(1); // the flush element's window
      expect(v('weir_checkpoints_completed_total', {})).toBe(chk());
      expect(chk()).toBeGreaterThanOrEqual(6);
      expect(v('weir_checkpoints_failed_total', {})).toBe(0);
      expect(v('weir_checkpoint_duration_ms', {})).toBeGreaterThanOrEqual(0);
      expect(v('weir_job_status', { status: 'running' })).toBe(1);
      expect(v('weir_job_restarts_total', {})).toBe(0);
      // Every operator of the graph has its records-in series, labelled with its name and uid.
      const graph = env.explain();
      const ops = graph.nodes.filter((n) => n.kind !== 'source');
      expect(families.get('weir_operator_records_in_total')!.samples.map((s) => s.labels['uid']).sort()).toEqual(ops.map((n) => n.uid).sort());
    } finally {
      hold.open();
    }
    const result = await running;
    expect(result.metrics.status).toBe('finished');
    // The endpoint closes with the job.
    await expect(fetch(`${url}metrics`)).rejects.toThrow();
  });

  it('renders a finished job: status, and no watermark series once event time has ended', async () => {
    const env = StreamEnvironment.create();
    env.fromElements(1, 2, 3).map((x) => x + 1).name('plus one').collect();
    const result = await env.execute('small');
    const text = await new PrometheusExporter('small "quoted"\njob', () => result.metrics).scrape();
    const families = parsePrometheusText(text);
    expect(sampleValue(families, 'weir_job_status', { status: 'finished' })).toBe(1);
    expect(sampleValue(families, 'weir_operator_records_out_total', { operator: 'plus one' })).toBe(3);
    // A job label with a quote and a newline survives the escaping.
    expect(families.get('weir_job_status')!.samples[0]!.labels['job']).toBe('small "quoted"\njob');
    // The final watermark is +Infinity: not a number Prometheus should store as a time.
    expect(families.get('weir_operator_watermark_ms')!.samples).toEqual([]);
  });
});

describe('the Prometheus text checker', () => {
  it('rejects what the format forbids', () => {
    const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n';
    expect(() => parsePrometheusText(ok)).not.toThrow();
    expect(() => parsePrometheusText('a_total 1\n')).toThrow(/before its TYPE/);
    expect(() => parsePrometheusText(ok.replace('3\n', '3'))).toThrow(/newline/);
    expect(() => parsePrometheusText(ok.replace('"1"', '1'))).toThrow(/not quoted/);
    expect(() => parsePrometheusText(ok.replace(' 3', ' three'))).toThrow(/bad value/);
    expect(() => parsePrometheusText(ok.replace(' 3', ' -3'))).toThrow(/counter/);
    expect(() => parsePrometheusText(`${ok}a_total{x="1"} 4\n`)).toThrow(/duplicate/);
    expect(() => parsePrometheusText(`${ok}# TYPE b gauge\nb 1\na_total{x="2"} 1\n`)).toThrow(/not together/);
  });
});
