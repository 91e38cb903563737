/**
 * The job every instance runs: clicks from a Redis stream of 8 partitions (partitioned by user)
 * become
 * - sessions per user (30 s of inactivity ends one): keyed by the partitioning key, so this part
 *   runs in the tasks of the source partitions, no data crosses processes;
 * - page views per page and 10 s window: keyed by page, another key, so the records go through a
 *   repartition stream in Redis to the tasks that own each page's key group.
 */
import { EventTimeSessionWindows, StreamEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '@weir/core';
import { RedisStreamSink, RedisStreamSource } from '@weir/connectors';

/** One click, as the producer writes it. */
export interface Click {
  readonly user: string;
  readonly page: string;
  readonly ts: number;
}

/** A session of one user. */
export interface Session {
  readonly user: string;
  readonly start: number;
  readonly end: number;
  readonly clicks: number;
  readonly pages: number;
}

/** Views of one page in one 10 s window. */
export interface PageViews {
  readonly page: string;
  readonly start: number;
  readonly views: number;
}

export const PARTITIONS = 8;
export const byUser = (c: Click) => c.user;

/** The sessionizer's plan (the same in every instance). */
export function sessionizer(redis: string, checkpoints: string): StreamEnvironment {
  const env = StreamEnvironment.create({
    checkpointing: { intervalMs: 1000, dir: checkpoints },
    logger: { info: (m) => console.log(m), warn: (m) => console.warn(m) },
  });
  const clicks = env
    .fromSource(new RedisStreamSource<Click>({ redis, stream: 'clicks', partitions: PARTITIONS, group: 'sessionizer', partitionKey: byUser }))
    .uid('clicks')
    .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Click>(2000).withTimestampAssigner((c) => c.ts))
    .uid('event-time');
  clicks
    .keyBy(byUser)
    .window(EventTimeSessionWindows.withGap(30_000))
    .aggregate(
      {
        createAccumulator: () => ({ clicks: 0, pages: new Set<string>() }),
        add: (c: Click, a: { clicks: number; pages: Set<string> }) => ({ clicks: a.clicks + 1, pages: new Set(a.pages).add(c.page) }),
        getResult: (a) => ({ clicks: a.clicks, pages: a.pages.size }),
        merge: (a, b) => ({ clicks: a.clicks + b.clicks, pages: new Set([...a.pages, ...b.pages]) }),
      },
      (user: string, ctx, results, out) => {
        for (const r of results) out.collect({ user, start: ctx.window.start, end: ctx.window.end, ...r });
      },
    )
    .uid('sessions')
    .sinkTo(new RedisStreamSink<Session>({ redis, stream: 'sessions', routingKey: (s) => s.user, sinkId: 'sessionizer-sessions' }))
    .uid('sessions-out');
  clicks
    .keyBy((c) => c.page)
    .window(TumblingEventTimeWindows.of(10_000))
    .aggregate(
      { createAccumulator: () => 0, add: (_c: Click, n: number) => n + 1, getResult: (n) => n, merge: (a, b) => a + b },
      (page: string, ctx, counts, out) => {
        for (const views of counts) out.collect({ page, start: ctx.window.start, views });
      },
    )
    .uid('page-views')
    .sinkTo(new RedisStreamSink<PageViews>({ redis, stream: 'page-views', routingKey: (p) => p.page, sinkId: 'sessionizer-pages' }))
    .uid('page-views-out');
  return env;
}
