/**
 * `--web <port>`: the run prints the dashboard's address, and that address serves the job
 * (graph of the stock pipeline, Prometheus text) while the job runs.
 */
import { describe, expect, it } from 'vitest';
import { parseCli } from './cli.js';
import { runStock } from './run.js';

describe('stock --web', () => {
  it('prints the dashboard address, which serves the running job', async () => {
    const parsed = parseCli(['--duration', '3', '--rate', '10', '--seed', '7', '--plain', '--web', '0']);
    if (!('options' in parsed)) throw new Error('parse failed');
    let stdout = '';
    let stderr = '';
    let served: { nodes: number; jobName: string; metrics: string; page: number } | undefined;
    let probe: Promise<void> | undefined;
    const io = {
      stdout: {
        write: (s: string) => {
          stdout += s;
          const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(s);
          if (m && !probe) probe = read(m[1]!);
          return true;
        },
      },
      stderr: { write: (s: string) => ((stderr += s), true) },
    };
    async function read(url: string): Promise<void> {
      const job = (await (await fetch(`${url}api/job`)).json()) as { jobName: string; graph: { nodes: unknown[] } };
      const metrics = await (await fetch(`${url}metrics`)).text();
      const page = (await fetch(url)).status;
      served = { nodes: job.graph.nodes.length, jobName: job.jobName, metrics, page };
    }
    const code = await runStock(parsed.options, io);
    await probe;
    expect(code, stderr).toBe(0);
    expect(stdout.match(/dashboard: http/g)).toHaveLength(1); // once, not also through the logger
    expect(served).toBeDefined();
    expect(served!.jobName).toBe('stock prices');
    expect(served!.nodes).toBeGreaterThan(30);
    expect(served!.page).toBe(200);
    expect(served!.metrics).toContain('weir_operator_records_in_total{operator="SPX watermarks"');
  });
});
