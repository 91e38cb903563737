/**
 * A process function that routes bad input to DEAD_LETTERS: each record is counted in the
 * operator's metrics (and so in the lifecycle log's dead_letters lines), whether or not the side
 * output is consumed; unconsumed ones are reported once as a warning, never gone in silence.
 */
import { describe, expect, it } from 'vitest';
import { DEAD_LETTERS, type DataStream, StreamEnvironment } from '../index.js';

function parse(env: StreamEnvironment): DataStream<number> {
  return env
    .fromElements('1', 'x', '2', 'y', 'z')
    .process<number>((line, ctx, out) => {
      const n = Number(line);
      if (Number.isNaN(n)) ctx.output(DEAD_LETTERS, { input: line, reason: 'not a number', source: 'parse' });
      else out.collect(n);
    })
    .name('parse');
}

const deadLettersOf = (env: StreamEnvironment, name: string) => env.metrics().operators.find((o) => o.name === name)!.deadLetters;

describe('dead letters from a process function', () => {
  it('are counted in the operator metrics when consumed', async () => {
    const env = StreamEnvironment.create();
    const parsed = parse(env);
    const dead = parsed.getSideOutput(DEAD_LETTERS).collect();
    parsed.collect();
    await env.execute();
    expect(dead.items().map((d) => d.input)).toEqual(['x', 'y', 'z']);
    expect(deadLettersOf(env, 'parse')).toBe(3);
  });

  it('are counted, and reported once, when nobody consumes them', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const env = StreamEnvironment.create();
      parse(env).collect();
      await env.execute();
      await new Promise((r) => setImmediate(r));
      expect(deadLettersOf(env, 'parse')).toBe(3);
      expect(warnings.filter((w) => w.includes("Operator 'parse' sent a record to the dead letters"))).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
