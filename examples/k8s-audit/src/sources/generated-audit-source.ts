/**
 * A replayable weir `Source` of generated audit events: emits the {@link AuditGenerator}'s
 * events whose stage time has come on the {@link Pacer}, up to `end` (exclusive, simulated ms),
 * with their stage time as timestamp. Its checkpointed position is the generator's state, so a
 * killed and restored run emits exactly the events the uninterrupted run would have.
 */
import type { AuditEvent } from '@weir/connectors';
import { PollStatus, type Source, type SourceOutput, type SourceReader } from '@weir/core';
import { AuditGenerator, type AuditGeneratorOptions, type AuditGeneratorState } from '../generator/audit-generator.js';
import type { Pacer } from './pacer.js';

interface Position {
  readonly generator: AuditGeneratorState;
  readonly last: number;
}

class GeneratedAuditReader implements SourceReader<AuditEvent> {
  private readonly generator: AuditGenerator;
  private last: number;

  constructor(
    options: AuditGeneratorOptions,
    private readonly end: number,
    private readonly pacer: Pacer,
    private readonly onEnd: () => void,
  ) {
    this.generator = new AuditGenerator(options);
    this.last = options.start;
  }

  pollNext(output: SourceOutput<AuditEvent>, maxRecords: number): PollStatus {
    const now = this.pacer.now();
    for (let n = 0; n < maxRecords; n++) {
      const t = this.generator.peekTimestamp();
      if (t >= this.end) return this.ended();
      if (t > now) return PollStatus.NOTHING_AVAILABLE;
      const { event, timestamp } = this.generator.next();
      this.last = timestamp;
      output.collect(event, timestamp);
    }
    return this.generator.peekTimestamp() >= this.end ? this.ended() : PollStatus.MORE_AVAILABLE;
  }

  private ended(): PollStatus {
    this.onEnd();
    return PollStatus.END_OF_INPUT;
  }

  isAvailable(): Promise<void> {
    return this.pacer.waitUntil(this.generator.peekTimestamp());
  }

  snapshotPosition(): Position {
    return { generator: this.generator.snapshot(), last: this.last };
  }

  restorePosition(position: unknown): void {
    const p = position as Position;
    this.generator.restore(p.generator);
    this.last = p.last;
    this.pacer.resumeAt(p.last);
  }
}

/**
 * @example
 * ```ts
 * const events = env.fromSource(new GeneratedAuditSource({ seed: 42, start, requestsPerSecond: 20 }, start + 600_000, new Pacer(20, start)));
 * ```
 */
export class GeneratedAuditSource implements Source<AuditEvent> {
  readonly bounded: boolean;
  readonly replayable = true;
  readonly name = 'Generated audit events';
  /** True once a reader reached `end` (a watched policy file stops with the input). */
  ended = false;

  constructor(
    private readonly options: AuditGeneratorOptions,
    private readonly end: number,
    private readonly pacer: Pacer,
  ) {
    this.bounded = Number.isFinite(end);
  }

  createReader(): SourceReader<AuditEvent> {
    this.ended = false;
    return new GeneratedAuditReader(this.options, this.end, this.pacer, () => (this.ended = true));
  }
}
