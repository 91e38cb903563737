/**
 * Server-Sent Events for the dashboard (`GET /api/events`): every second each connected page
 * gets a `metrics` event with the whole snapshot, and on connect a `history` event with the
 * samples of the last minutes, so its charts start filled. When the job ends the server sends
 * `end` with the final snapshot and closes the streams (an open SSE response would otherwise
 * keep `server.close()` waiting forever).
 *
 * The timer runs only while a page is connected, and reads one snapshot per tick for all pages,
 * so the job pays nothing when nobody watches and the same small cost for ten tabs as for one.
 */
import type { ServerResponse } from 'node:http';
import type { MetricsSnapshot } from '@weir/core';
import { type HistorySample, historySample } from './history-sample.js';
import { toJson } from './job-document.js';

/**
 * The open event streams of one web server.
 *
 * @example
 * ```ts
 * const hub = new EventHub(() => env.metrics(), 1000);
 * // in a request handler: hub.connect(res);
 * hub.end(finalSnapshot);
 * ```
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly history: HistorySample[] = [];
  private timer: NodeJS.Timeout | undefined = undefined;
  private sampler: NodeJS.Timeout;

  constructor(
    private readonly read: () => MetricsSnapshot,
    private readonly intervalMs = 1000,
    private readonly historySize = 300,
  ) {
    // History is kept while nobody watches too (one small object a second), so a page opened
    // late still draws the last minutes.
    this.sampler = setInterval(() => this.remember(this.read()), intervalMs);
    this.sampler.unref();
  }

  /** Takes over `res` as an event stream. */
  connect(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n`);
    res.write(event('history', toJson(this.history)));
    res.write(event('metrics', toJson(this.read())));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Number of connected pages. */
  get size(): number {
    return this.clients.size;
  }

  /** Sends the final snapshot and closes every stream. */
  end(final: MetricsSnapshot): void {
    clearInterval(this.sampler);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const data = event('end', toJson(final));
    for (const res of this.clients) res.end(data);
    this.clients.clear();
  }

  private tick(): void {
    if (this.clients.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const data = event('metrics', toJson(this.read()));
    for (const res of this.clients) res.write(data);
  }

  private remember(s: MetricsSnapshot): void {
    this.history.push(historySample(s, Date.now()));
    if (this.history.length > this.historySize) this.history.shift();
  }
}

function event(name: string, json: string): string {
  return `event: ${name}\ndata: ${json}\n\n`;
}
