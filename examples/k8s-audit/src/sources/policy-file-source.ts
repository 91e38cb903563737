/**
 * The audit policy file as a stream: every time its content changes, one `PolicyUpdate` with the
 * new text. The job broadcasts it to the operator that applies the policy (live-policy.ts), which
 * parses it and either switches to it or refuses it and keeps the one it has.
 *
 * Watching is polling: the file's size and modification time are checked every `pollMs`, and the
 * text is read when they change (fs.watch misses renames by editors that write a new file and
 * move it over the old one, and differs between platforms). An update is emitted only when the
 * text differs from the last one emitted (or, before any, from the text the job started with).
 *
 * The source's checkpointed position is the version and text hash of the last update, so a
 * restored job emits the file's content again only if it changed while the job was down. It ends
 * when `endWhen()` says so (the generated input's end), and otherwise runs as long as the job.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { PollStatus, type Source, type SourceOutput, type SourceReader } from '@weir/core';

/**
 * A new text of the policy file.
 *
 * @example
 * ```ts
 * const u: PolicyUpdate = { version: 2, file: 'audit-policy.yaml', text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n' };
 * ```
 */
export interface PolicyUpdate {
  /** 1 for the first change after the start, then 2, 3... (the policy the job started with is version 0). */
  readonly version: number;
  readonly file: string;
  readonly text: string;
}

/**
 * @example
 * ```ts
 * const o: PolicyFileOptions = { file: 'audit-policy.yaml', initialText: readFileSync('audit-policy.yaml', 'utf8') };
 * ```
 */
export interface PolicyFileOptions {
  readonly file: string;
  /** The text the job started with (version 0): the same text read again is no change. */
  readonly initialText: string;
  /** How often the file is checked, wall ms (default 250). */
  readonly pollMs?: number;
  /** The source ends once this returns true (checked at every poll). */
  readonly endWhen?: () => boolean;
}

type Position = { readonly version: number; readonly hash: string };

const hashOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * @example
 * ```ts
 * const updates = env.fromSource(new PolicyFileSource({ file, initialText }), 'policy file').uid('policy-file');
 * ```
 */
export class PolicyFileSource implements Source<PolicyUpdate> {
  readonly name = 'policy file';
  readonly bounded = false;
  /**
   * Ingestion time from the first poll on, so the source's watermark follows the clock while it
   * waits for a change: a broadcast input that says nothing would otherwise hold the operator's
   * event time (the smaller of its inputs') at its start until the first change.
   */
  readonly timestamps = 'ingestion' as const;
  constructor(private readonly options: PolicyFileOptions) {}

  createReader(): SourceReader<PolicyUpdate> {
    return new PolicyFileReader(this.options);
  }
}

class PolicyFileReader implements SourceReader<PolicyUpdate> {
  private version = 0;
  private hash: string;
  /** Size and mtime at the last read: unchanged means no read. */
  private seen = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PolicyFileOptions) {
    this.hash = hashOf(options.initialText);
  }

  pollNext(output: SourceOutput<PolicyUpdate>): PollStatus {
    if (this.options.endWhen?.() === true) return PollStatus.END_OF_INPUT;
    const text = this.readIfChanged();
    if (text !== undefined) {
      const hash = hashOf(text);
      if (hash !== this.hash) {
        this.hash = hash;
        this.version++;
        output.collect({ version: this.version, file: this.options.file, text });
      }
    }
    return PollStatus.NOTHING_AVAILABLE;
  }

  isAvailable(): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(resolve, this.options.pollMs ?? 250);
    });
  }

  snapshotPosition(): Position {
    return { version: this.version, hash: this.hash };
  }

  restorePosition(position: unknown): void {
    const p = position as Position;
    this.version = p.version;
    this.hash = p.hash;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** The file's text when its size or mtime changed since the last look; undefined otherwise (or when it cannot be read now). */
  private readIfChanged(): string | undefined {
    try {
      const s = statSync(this.options.file);
      const seen = `${s.size}:${s.mtimeMs}`;
      if (seen === this.seen) return undefined;
      this.seen = seen;
      return readFileSync(this.options.file, 'utf8');
    } catch {
      // Missing for a moment (an editor replacing it): look again at the next poll.
      this.seen = '';
      return undefined;
    }
  }
}
