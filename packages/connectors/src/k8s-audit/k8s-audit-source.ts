/**
 * `K8sAuditSource`: kube-apiserver's JSON audit log (`--audit-log-format=json`, one
 * `audit.k8s.io/v1` Event a line) as a stream of typed {@link AuditEvent}s whose element
 * timestamp is the Event's `stageTimestamp` (ms; use {@link auditEventMicros} where µs order
 * matters). Lines that are not audit Events go to the dead-letter output with the reason and
 * their position.
 *
 * Guarantee: exactly-once for a file path or a re-iterable collection (the position — byte offset
 * or line count — is checkpointed and replayed); at-most-once for an async iterable. The file is
 * read to its end as it is when the reader gets there; to follow a live log, use
 * `FileSource.lines(path, { follow: true })` and {@link parseK8sAuditEvents}.
 */
import { ConfigError, PollStatus, type Source, type SourceOutput, type SourceReader, type SourceReaderContext } from '@weir/core';
import type { AuditEvent } from './audit-event.js';
import { parseAuditLine } from './audit-parser.js';
import { AsyncIterableInput, FileInput, IterableInput, type LineInput } from './line-inputs.js';

/**
 * Options of {@link K8sAuditSource}.
 *
 * @example
 * ```ts
 * new K8sAuditSource('/var/log/kube-audit.log', { maxLineBytes: 8 << 20 });
 * ```
 */
export interface K8sAuditSourceOptions {
  /** Longer lines (file input) go to the dead-letter output. Default 4 MiB (RequestResponse events are large). */
  readonly maxLineBytes?: number;
}

class K8sAuditReader implements SourceReader<AuditEvent> {
  private position = 0;
  constructor(private readonly input: LineInput) {}

  restorePosition(position: unknown): void {
    this.position = position as number;
  }
  start(): Promise<void> | void {
    return this.input.start(this.position);
  }
  pollNext(output: SourceOutput<AuditEvent>, maxRecords: number): PollStatus {
    let drained = false;
    for (let n = 0; n < maxRecords; n++) {
      const line = this.input.take();
      if (line === undefined) {
        drained = true;
        break;
      }
      const at = { at: this.position };
      this.position = line.next;
      if (line.reject !== undefined) {
        output.deadLetter({ input: line.text, reason: line.reject, position: at });
        continue;
      }
      const r = parseAuditLine(line.text);
      if (r.ok) output.collect(r.event, r.timestamp);
      else output.deadLetter({ input: line.text, reason: r.reason, position: at });
    }
    if (this.input.ended) return PollStatus.END_OF_INPUT;
    return drained ? PollStatus.NOTHING_AVAILABLE : PollStatus.MORE_AVAILABLE;
  }
  isAvailable(): Promise<void> {
    return this.input.whenAvailable();
  }
  snapshotPosition(): number {
    return this.position;
  }
  close(): Promise<void> | void {
    return this.input.close();
  }
}

/**
 * A bounded source of audit Events from a JSON-lines audit log file or from lines.
 *
 * @example
 * ```ts
 * const events = env.fromSource(new K8sAuditSource('/var/log/kubernetes/audit.log'))
 *   .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<AuditEvent>(5_000));
 * events.filter((e) => e.objectRef?.resource === 'secrets').map((e) => `${e.user.username} ${e.verb}`).print();
 * events.getSideOutput(DEAD_LETTERS).print('not an audit event');
 * ```
 */
export class K8sAuditSource implements Source<AuditEvent> {
  readonly bounded = true;
  readonly replayable: boolean;
  readonly name: string;

  /** @param input a file path, or the lines themselves (an array, any iterable, or an async iterable). */
  constructor(
    private readonly input: string | Iterable<string> | AsyncIterable<string>,
    private readonly options: K8sAuditSourceOptions = {},
  ) {
    if (typeof input === 'string') {
      if (input.length === 0) throw new ConfigError('K8sAuditSource: the path must not be empty');
      this.name = `K8s Audit ${input}`;
      this.replayable = true;
    } else if (input != null && typeof (input as Iterable<string>)[Symbol.iterator] === 'function') {
      this.name = 'K8s Audit lines';
      this.replayable = true;
    } else if (input != null && typeof (input as AsyncIterable<string>)[Symbol.asyncIterator] === 'function') {
      this.name = 'K8s Audit async lines';
      this.replayable = false;
    } else throw new ConfigError('K8sAuditSource takes a file path, an iterable or an async iterable of lines');
  }

  /** @internal */
  createReader(_ctx: SourceReaderContext): SourceReader<AuditEvent> {
    const i = this.input;
    const input: LineInput =
      typeof i === 'string'
        ? new FileInput(i, this.options.maxLineBytes ?? 4 << 20)
        : typeof (i as Iterable<string>)[Symbol.iterator] === 'function'
          ? new IterableInput(i as Iterable<string>)
          : new AsyncIterableInput(i as AsyncIterable<string>);
    return new K8sAuditReader(input);
  }
}
