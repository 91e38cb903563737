/**
 * A source's own watermarks (`SourceOutput.emitWatermark`, what repartition sources carry across
 * processes): they take effect in order with the source's records, so a window fires at the
 * watermark and a record behind it is late, exactly as if a timestamps operator had emitted it.
 */
import { describe, expect, it } from 'vitest';
import { StreamEnvironment } from '../../api/stream-environment.js';
import { PollStatus, type Source, type SourceOutput } from '../../contract/source.js';
import { TumblingEventTimeWindows } from '../../windows/assigners/tumbling-event-time-windows.js';

type Item = { ts: number } | { watermark: number };

/** Emits records and watermarks in the given order. */
function scripted(items: Item[]): Source<number> {
  return {
    bounded: true,
    name: 'scripted',
    createReader: () => {
      let i = 0;
      return {
        pollNext(out: SourceOutput<number>) {
          const item = items[i++];
          if (item === undefined) return PollStatus.END_OF_INPUT;
          if ('ts' in item) out.collect(item.ts, item.ts);
          else out.emitWatermark?.(item.watermark);
          return PollStatus.MORE_AVAILABLE;
        },
        isAvailable: () => Promise.resolve(),
      };
    },
  };
}

describe('SourceOutput.emitWatermark', () => {
  it('fires windows at the source watermark and makes records behind it late', async () => {
    const env = StreamEnvironment.create();
    const fired: Array<{ sum: number; at: number }> = [];
    const late = env
      .fromSource(scripted([{ ts: 1 }, { ts: 2 }, { ts: 12 }, { watermark: 10 }, { ts: 3 }, { ts: 13 }, { watermark: 5 }]))
      .keyBy(() => 'k')
      .window(TumblingEventTimeWindows.of(10))
      .reduce((a, b) => a + b, (key, ctx, sums, out) => {
        for (const s of sums) {
          fired.push({ sum: s, at: ctx.window.end });
          out.collect(s);
        }
      });
    const out = late.collect();
    await env.execute();
    // [0, 10) fired at watermark 10 with 1 + 2 (the 3 after it was late); [10, 20) at the end with 12 + 13.
    expect(fired).toEqual([
      { sum: 3, at: 10 },
      { sum: 25, at: 20 },
    ]);
    expect(out.items()).toEqual([3, 25]);
    const windowMetrics = env.metrics().operators.find((o) => o.kind === 'window')!;
    expect(windowMetrics.lateRecordsDropped).toBe(1);
  });
});
