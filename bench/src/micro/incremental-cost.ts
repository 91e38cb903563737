/**
 * G5, incremental checkpoints: bytes a checkpoint writes when a small part of a large keyed state
 * changed in its interval, against a full checkpoint of the same state.
 *
 * The job keeps a rolling sum per key (`keyBy('key').sum('value')`: one keyed entry per key). A
 * phased source first writes every one of `keys` keys, waits until a checkpoint taken at that
 * point completed, then writes `fraction` of the keys (distinct, random) and waits again, and so
 * on for `phases` phases. The same run with `incremental: false` gives the full checkpoints. Per
 * phase, the bytes written by the checkpoints whose barrier fell in it are summed (the interval
 * between two phase ends is what "changed in the interval" means).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PollStatus, type Sink, type Source, type SourceOutput, type SourceReader, StreamEnvironment } from '@weir/core';
import { BASE_TIME, type KeyedEvent } from '../data/keyed-events.js';
import { Rng } from '../harness/rng.js';

/** Phases of the input: all keys, then `fraction` of them per phase. */
export function phasedKeys(keys: number, fraction: number, phases: number, seed = 7): KeyedEvent[][] {
  const rng = new Rng(seed);
  const out: KeyedEvent[][] = [Array.from({ length: keys }, (_, k) => ({ key: k, value: rng.int(100), ts: BASE_TIME }))];
  const perPhase = Math.max(1, Math.round(keys * fraction));
  for (let p = 1; p <= phases; p++) {
    const chosen = new Set<number>();
    while (chosen.size < perPhase) chosen.add(rng.int(keys));
    out.push([...chosen].map((key) => ({ key, value: rng.int(100), ts: BASE_TIME + p })));
  }
  return out;
}

/** A source that emits one phase, then waits until a checkpoint taken at its end completed. */
class PhasedSource implements Source<KeyedEvent> {
  readonly name = 'Phased Source';
  readonly bounded = true;
  /** Id of the checkpoint taken at the end of each phase. */
  readonly phaseEnds: number[] = [];
  constructor(private readonly phases: readonly (readonly KeyedEvent[])[]) {}
  createReader(): SourceReader<KeyedEvent> {
    const { phases, phaseEnds } = this;
    let phase = 0;
    let index = 0;
    let captured: number | undefined;
    let wake: (() => void) | undefined;
    return {
      pollNext(output: SourceOutput<KeyedEvent>, max: number): PollStatus {
        if (phase >= phases.length) return PollStatus.END_OF_INPUT;
        const events = phases[phase]!;
        if (index >= events.length) return PollStatus.NOTHING_AVAILABLE; // waiting for the phase's checkpoint
        const end = Math.min(events.length, index + max);
        while (index < end) output.collect(events[index++]!);
        return index < events.length ? PollStatus.MORE_AVAILABLE : PollStatus.NOTHING_AVAILABLE;
      },
      isAvailable: () => new Promise<void>((r) => (wake = r)),
      snapshotPosition(checkpointId?: number): unknown {
        if (phase < phases.length && index >= phases[phase]!.length && captured === undefined) captured = checkpointId;
        return { phase, index };
      },
      notifyCheckpointComplete(checkpointId: number): void {
        if (captured === undefined || checkpointId < captured) return;
        phaseEnds.push(captured);
        captured = undefined;
        phase++;
        index = 0;
        wake?.();
      },
    };
  }
}

/** Bytes written per phase (phase 0: all keys; then the changed fraction). */
export interface PhaseBytes {
  readonly perPhase: readonly number[];
  /** Checkpoints completed in the run. */
  readonly checkpointCount: number;
}

/**
 * One run over `phases`, incremental or full; returns the bytes written per phase.
 *
 * @example
 * ```ts
 * const phases = phasedKeys(1_000_000, 0.01, 5);
 * const inc = await bytesPerPhase(phases, true);
 * const full = await bytesPerPhase(phases, false);
 * inc.perPhase[1] / full.perPhase[1]; // about 0.01
 * ```
 */
export async function bytesPerPhase(phases: readonly (readonly KeyedEvent[])[], incremental: boolean): Promise<PhaseBytes> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-incremental-'));
  try {
    const env = StreamEnvironment.create({
      checkpointing: { intervalMs: 200, dir, retain: 2, incremental, fullEvery: phases.length + 1 },
      logger: { info: () => {}, warn: () => {} },
    });
    const source = new PhasedSource(phases);
    const discard: Sink<KeyedEvent> = { name: 'discard', createWriter: () => ({ write: () => {} }) };
    env.fromSource(source).uid('phases').keyBy('key').sum('value').uid('rolling').sinkTo(discard).uid('sink');
    const result = await env.execute('incremental-cost');
    const history = result.metrics.checkpoints.history.filter((c) => c.status === 'completed');
    const perPhase: number[] = [];
    let from = 0;
    for (const end of source.phaseEnds) {
      perPhase.push(history.filter((c) => c.id > from && c.id <= end).reduce((n, c) => n + c.bytes, 0));
      from = end;
    }
    return { perPhase, checkpointCount: history.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
