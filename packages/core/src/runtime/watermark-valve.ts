/**
 * Combines the watermarks of an operator's input channels (Flink's `StatusWatermarkValve`).
 *
 * Output = min over active, aligned channels, emitted when it rises. A channel that ended counts
 * as +Infinity. An idle channel is left out; when it becomes active again it rejoins the min only
 * once its watermark has caught up with the last output. When every channel is idle, the max
 * channel watermark is flushed and the operator is told it is idle.
 *
 * Worked example, two channels: wm(a)=5 -> nothing (b has not reported, -Infinity);
 * wm(b)=3 -> emit 3; wm(b)=8 -> emit 5; a idle -> emit 8.
 * @internal
 */
import type { Downstream } from '../contract/downstream.js';

interface Channel {
  watermark: number;
  idle: boolean;
  aligned: boolean;
  ended: boolean;
}

export class WatermarkValve {
  private readonly channels: Channel[] = [];
  private lastOutput = Number.NEGATIVE_INFINITY;
  private outputIdle = false;
  private endedCount = 0;

  constructor(
    channelCount: number,
    private readonly target: Downstream<unknown>,
  ) {
    for (let i = 0; i < channelCount; i++) this.channels.push({ watermark: Number.NEGATIVE_INFINITY, idle: false, aligned: true, ended: false });
  }

  watermark(channel: number, watermark: number): void {
    const c = this.channels[channel]!;
    if (c.ended) return;
    if (c.idle) this.idle(channel, false);
    if (watermark <= c.watermark) return;
    c.watermark = watermark;
    if (!c.aligned && watermark >= this.lastOutput) c.aligned = true;
    this.emitMin();
  }

  idle(channel: number, idle: boolean): void {
    const c = this.channels[channel]!;
    if (c.ended || c.idle === idle) return;
    c.idle = idle;
    if (idle) {
      c.aligned = false;
      if (this.channels.every((x) => x.idle || x.ended)) {
        let max = Number.NEGATIVE_INFINITY;
        for (const x of this.channels) if (!x.ended && x.watermark > max) max = x.watermark;
        if (max > this.lastOutput) this.output(max);
        if (!this.outputIdle) {
          this.outputIdle = true;
          this.target.processIdle(true);
        }
      } else this.emitMin();
    } else {
      c.aligned = c.watermark >= this.lastOutput;
      if (this.outputIdle) {
        this.outputIdle = false;
        this.target.processIdle(false);
      }
    }
  }

  /** Returns true when every channel has ended. */
  end(channel: number): boolean {
    const c = this.channels[channel]!;
    if (c.ended) return this.endedCount === this.channels.length;
    c.ended = true;
    c.idle = false;
    c.aligned = true;
    c.watermark = Number.POSITIVE_INFINITY;
    this.endedCount++;
    if (this.endedCount < this.channels.length) this.emitMin();
    return this.endedCount === this.channels.length;
  }

  private emitMin(): void {
    let min = Number.POSITIVE_INFINITY;
    let any = false;
    for (const c of this.channels) {
      if (c.idle || !c.aligned) continue;
      any = true;
      if (c.watermark < min) min = c.watermark;
    }
    // +Infinity means every active channel has ended. While channels that have not ended remain
    // (idle ones), Flink's valve still emits it (the max over channels); with no idle channel
    // left it is the end of input, delivered through endInput once all channels ended.
    if (!any || min <= this.lastOutput) return;
    if (min === Number.POSITIVE_INFINITY && !this.channels.some((c) => c.idle && !c.ended)) return;
    this.output(min);
  }

  private output(watermark: number): void {
    this.lastOutput = watermark;
    if (this.outputIdle) {
      this.outputIdle = false;
      this.target.processIdle(false);
    }
    this.target.processWatermark(watermark);
  }
}
