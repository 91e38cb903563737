/**
 * The async operator, driven by hand. The first cases are Flink's `AsyncWaitOperatorTest` with
 * its inputs and expected outputs (values, timestamps, watermark positions); the rest cover what
 * weir adds (retry strategies, failure side output, backpressure signal).
 */
import { describe, expect, it } from 'vitest';
import { AsyncFunctionError, AsyncTimeoutError } from '../../errors.js';
import { AsyncRetryStrategies } from '../../contract/async-function.js';
import { asyncHarness, type Emitted } from './async-harness.test-util.js';

/** Flink's MyAsyncFunction: completes with input * 2 on another thread (here: after 0-3 ms). */
const myAsyncFunction = (x: unknown) => new Promise<number>((r) => setTimeout(() => r((x as number) * 2), Math.floor(Math.random() * 4)));

/** Flink's LazyAsyncFunction: completes with the input once the latch is opened. */
function lazyAsyncFunction() {
  let open!: () => void;
  const latch = new Promise<void>((r) => (open = r));
  return { fn: (x: unknown) => latch.then(() => x), countDown: () => open() };
}

const rec = (value: number, ts: number): Emitted => ({ value, ts });
const wm = (watermark: number): Emitted => ({ watermark });
const records = (out: readonly Emitted[]) => out.filter((e): e is { value: unknown; ts: number } => 'value' in e);
const byTsThenValue = (a: { value: unknown; ts: number }, b: { value: unknown; ts: number }) => a.ts - b.ts || (a.value as number) - (b.value as number);

describe("Flink's AsyncWaitOperatorTest", () => {
  for (const ordered of [true, false]) {
    const mode = ordered ? 'ORDERED' : 'UNORDERED';

    it(`testEventTime (${mode}): capacity 2, elements 1, 2, watermark 2, element 3`, async () => {
      const h = asyncHarness({ fn: myAsyncFunction, capacity: 2, timeoutMs: 1000, ordered });
      h.element(1, 1);
      h.element(2, 2);
      h.watermark(2);
      h.element(3, 3);
      await h.endInput();
      const expected = [rec(2, 1), rec(4, 2), wm(2), rec(6, 3)];
      const out = h.output.filter((e) => !('watermark' in e && e.watermark === Number.POSITIVE_INFINITY));
      if (ordered) expect(out).toEqual(expected);
      else {
        expect(out[2]).toEqual(wm(2)); // "Watermark should be at index 2"
        expect(out[3]).toEqual(rec(6, 3)); // "StreamRecord 3 should be at the end"
        expect(records(out).sort(byTsThenValue)).toEqual(records(expected));
      }
    });

    it(`testProcessingTime (${mode}): capacity 6, elements 1..8`, async () => {
      const h = asyncHarness({ fn: myAsyncFunction, capacity: 6, timeoutMs: 1000, ordered });
      for (let i = 1; i <= 8; i++) h.element(i, i);
      await h.endInput();
      const expected = [2, 4, 6, 8, 10, 12, 14, 16].map((v, i) => rec(v, i + 1));
      const out = records(h.output);
      if (ordered) expect(out).toEqual(expected);
      else expect(out.sort(byTsThenValue)).toEqual(expected);
    });
  }

  it('testStateSnapshotAndRestore: 4 elements in flight are checkpointed and re-issued after restore', async () => {
    const lazy = lazyAsyncFunction();
    const first = asyncHarness({ fn: lazy.fn, capacity: 4, timeoutMs: 1000 });
    for (let i = 1; i <= 4; i++) first.element(i, i);
    const snapshot = first.snapshot();
    lazy.countDown();
    await first.endInput();

    const restored = asyncHarness({ fn: myAsyncFunction, capacity: 6, timeoutMs: 1000 }, { operator: snapshot });
    restored.element(5, 5);
    restored.element(6, 6);
    restored.element(7, 7);
    restored.snapshot(); // "trigger the checkpoint while processing stream elements"
    restored.element(8, 8);
    await restored.endInput();
    expect(records(restored.output)).toEqual([2, 4, 6, 8, 10, 12, 14, 16].map((v, i) => rec(v, i + 1)));
  });

  it('testAsyncTimeoutFailure: element 1 times out at 11 (timeout 10): the job fails with a timeout naming the element', async () => {
    const lazy = lazyAsyncFunction();
    const h = asyncHarness({ fn: lazy.fn, capacity: 2, timeoutMs: 10 });
    h.setProcessingTime(0);
    h.element(1, 0);
    h.setProcessingTime(5);
    h.element(2, 5);
    h.setProcessingTime(11);
    lazy.countDown();
    await expect(h.endInput()).rejects.toThrow(AsyncTimeoutError);
    const err = await h.endInput().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AsyncTimeoutError);
    expect((err as AsyncTimeoutError).element).toBe(1);
    expect((err as AsyncTimeoutError).message).toMatch(/operator 'Async Wait' timed out after 10 ms for element 1/);
    expect(h.output.filter((e) => 'value' in e && e.value === 1)).toEqual([]);
  });

  it('testAsyncTimeoutIgnore: the timeout function completes element 1 with 3 (input x 3)', async () => {
    const lazy = lazyAsyncFunction();
    const h = asyncHarness({ fn: lazy.fn, capacity: 2, timeoutMs: 10, onTimeout: (x) => (x as number) * 3 });
    h.setProcessingTime(0);
    h.element(1, 0);
    h.setProcessingTime(5);
    h.element(2, 5);
    h.setProcessingTime(11);
    lazy.countDown();
    await h.endInput();
    expect(records(h.output)).toEqual([rec(3, 0), rec(2, 5)]);
  });

  it('testTimeoutCleanup: a completed element leaves no timer behind', async () => {
    const h = asyncHarness({ fn: myAsyncFunction, capacity: 1, timeoutMs: 1000, ordered: false });
    h.element(42, 1);
    await h.endInput();
    expect(records(h.output)).toEqual([rec(84, 1)]);
    expect(h.op.nextProcessingTime()).toBe(Number.POSITIVE_INFINITY);
  });

  for (const ordered of [true, false]) {
    it(`testUserExceptionHandling (${ordered ? 'ORDERED' : 'UNORDERED'}): a rejection fails the job with AsyncFunctionError`, async () => {
      const h = asyncHarness({ fn: () => Promise.reject(new Error('Test exception')), capacity: 2, timeoutMs: 1000, ordered });
      h.element(1, 1);
      const err = await h.endInput().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AsyncFunctionError);
      expect((err as AsyncFunctionError).element).toBe(1);
      expect((err as AsyncFunctionError).message).toMatch(/operator 'Async Wait' failed for element 1 after 1 call: Test exception/);
    });

    it(`testTimeoutExceptionHandling (${ordered ? 'ORDERED' : 'UNORDERED'}): a call that never completes times out at 10`, async () => {
      const h = asyncHarness({ fn: () => new Promise(() => {}), capacity: 2, timeoutMs: 10, ordered });
      h.element(1, 1);
      h.setProcessingTime(10);
      await expect(h.endInput()).rejects.toBeInstanceOf(AsyncTimeoutError);
    });
  }

  it('testRestartWithFullQueue: a checkpoint of a full queue (capacity 10) restores and completes in order', async () => {
    let trigger!: () => void;
    const gate = new Promise<void>((r) => (trigger = r));
    const first = asyncHarness({ fn: (x) => gate.then(() => x), capacity: 10, timeoutMs: 1000 });
    for (let i = 0; i < 10; i++) first.element(i, 0);
    const snapshot = first.snapshot();
    trigger();
    await first.endInput();
    const recovered = asyncHarness({ fn: (x) => Promise.resolve(x), capacity: 10, timeoutMs: 1000 }, { operator: snapshot });
    await recovered.endInput();
    expect(records(recovered.output).map((r) => r.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('unordered mode never lets a result cross a watermark', () => {
  it('results before a watermark leave in completion order; the ones after it wait for it', async () => {
    const gates = new Map<number, () => void>();
    const fn = (x: unknown) => new Promise<unknown>((r) => gates.set(x as number, () => r(x)));
    const h = asyncHarness({ fn, capacity: 10, ordered: false });
    h.element(1, 1);
    h.element(2, 2);
    h.watermark(2);
    h.element(3, 3);
    gates.get(3)!();
    await h.settle();
    expect(h.output).toEqual([]); // 3 is done but behind watermark 2
    gates.get(2)!();
    await h.settle();
    expect(h.output).toEqual([rec(2, 2)]); // 2 leaves before 1: unordered
    gates.get(1)!();
    await h.settle();
    expect(h.output).toEqual([rec(2, 2), rec(1, 1), wm(2), rec(3, 3)]);
  });

  it('a watermark with nothing in flight before it leaves at once', async () => {
    const h = asyncHarness({ fn: () => new Promise(() => {}), capacity: 10, ordered: false });
    h.watermark(5);
    expect(h.output).toEqual([wm(5)]);
  });
});

describe('retry strategies (Flink: a call repeats while attempt <= maxAttempts)', () => {
  it('fixedDelay with ifResult: empty results are retried after the delay, up to maxAttempts retries', async () => {
    const calls: number[] = [];
    const fn = (x: unknown) => {
      calls.push(x as number);
      return Promise.resolve(calls.length < 3 ? [] : [x]);
    };
    const h = asyncHarness({ fn, capacity: 2, retry: AsyncRetryStrategies.fixedDelay<unknown>({ maxAttempts: 3, delayMs: 100, ifResult: (r) => (r as unknown[]).length === 0 }) as never });
    h.element(7, 0);
    await h.settle();
    expect(calls).toEqual([7]);
    expect(h.op.nextProcessingTime()).toBe(100);
    h.setProcessingTime(100);
    await h.settle();
    expect(calls).toEqual([7, 7]);
    h.setProcessingTime(200);
    await h.settle();
    expect(calls).toEqual([7, 7, 7]);
    expect(records(h.output)).toEqual([{ value: [7], ts: 0 }]);
  });

  it('maxAttempts 2 means at most 3 calls; then the rejection fails the job', async () => {
    let calls = 0;
    const fn = () => {
      calls++;
      return Promise.reject(new Error('unavailable'));
    };
    const h = asyncHarness({ fn, retry: AsyncRetryStrategies.fixedDelay({ maxAttempts: 2, delayMs: 10 }) });
    h.element('a', 0);
    await h.settle();
    h.setProcessingTime(10);
    await h.settle();
    h.setProcessingTime(20);
    const err = await h.settle().catch((e: unknown) => e); // the runner's next turn fails the job
    expect(calls).toBe(3);
    expect(err).toBeInstanceOf(AsyncFunctionError);
    expect((err as AsyncFunctionError).attempts).toBe(3);
    expect((err as Error).message).toMatch(/element "a" after 3 calls: unavailable/);
  });

  it('ifError decides which rejections are retried', async () => {
    let calls = 0;
    const fn = () => {
      calls++;
      return Promise.reject(new Error(calls === 1 ? 'busy' : 'not found'));
    };
    const retry = AsyncRetryStrategies.fixedDelay({ maxAttempts: 5, delayMs: 10, ifError: (e) => (e as Error).message === 'busy' });
    const h = asyncHarness({ fn, retry, failureTag: 'failed' });
    h.element('a', 3);
    await h.settle();
    h.setProcessingTime(10);
    await h.settle();
    expect(calls).toBe(2);
    expect(h.side).toHaveLength(1);
    expect(h.side[0]).toMatchObject({ ts: 3, value: { input: 'a', reason: 'not found', attempts: 2, timedOut: false, source: 'Async Wait' } });
  });

  it('exponentialBackoff: delays 50, 150, 450, then capped at 1000', () => {
    const s = AsyncRetryStrategies.exponentialBackoff({ maxAttempts: 5, initialDelayMs: 50, maxDelayMs: 1000, multiplier: 3 });
    expect([1, 2, 3, 4, 5].map((k) => s.backoffMs(k))).toEqual([50, 150, 450, 1000, 1000]);
  });

  it('the timeout covers every retry: a retry pending at the deadline is cancelled', async () => {
    let calls = 0;
    const fn = () => {
      calls++;
      return Promise.reject(new Error('busy'));
    };
    const h = asyncHarness({ fn, timeoutMs: 25, onTimeout: () => 'fallback', retry: AsyncRetryStrategies.fixedDelay({ maxAttempts: 10, delayMs: 10 }) });
    h.element('a', 0);
    await h.settle();
    h.setProcessingTime(10);
    await h.settle();
    h.setProcessingTime(20);
    await h.settle();
    h.setProcessingTime(25);
    await h.settle();
    h.setProcessingTime(30);
    await h.settle();
    expect(calls).toBe(3);
    expect(records(h.output)).toEqual([{ value: 'fallback', ts: 0 }]);
  });

  it('retries go on after the end of input (Flink stops retrying there; weir keeps its timers running)', async () => {
    let calls = 0;
    const fn = () => Promise.resolve(++calls);
    const h = asyncHarness({ fn, retry: AsyncRetryStrategies.fixedDelay<unknown>({ maxAttempts: 2, delayMs: 1000, ifResult: () => true }) });
    h.element('a', 0);
    await h.settle();
    h.op.endInput();
    expect(h.ended()).toBe(false);
    h.setProcessingTime(1000);
    await h.settle();
    h.setProcessingTime(2000);
    await h.endInput();
    expect(calls).toBe(3);
    expect(records(h.output)).toEqual([{ value: 3, ts: 0 }]);
  });

  it('strategies refuse nonsense', () => {
    expect(() => AsyncRetryStrategies.fixedDelay({ maxAttempts: 0, delayMs: 10 })).toThrow(/maxAttempts must be an integer >= 1/);
    expect(() => AsyncRetryStrategies.fixedDelay({ maxAttempts: 1, delayMs: 0 })).toThrow(/delayMs must be/);
    expect(() => AsyncRetryStrategies.exponentialBackoff({ maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 5 })).toThrow(/maxDelayMs/);
  });
});

describe('capacity and backpressure', () => {
  it('capacityLeft counts the elements held; arrivals beyond capacity wait uncalled', async () => {
    const calls: unknown[] = [];
    const gates: Array<() => void> = [];
    const fn = (x: unknown) => {
      calls.push(x);
      return new Promise((r) => gates.push(() => r(x)));
    };
    const h = asyncHarness({ fn, capacity: 2 });
    expect(h.op.capacityLeft()).toBe(2);
    h.element('a', 1);
    h.watermark(1);
    expect(h.op.capacityLeft()).toBe(1);
    h.element('b', 2);
    expect(h.op.capacityLeft()).toBe(0);
    h.element('c', 3); // arrives anyway (a flatMap upstream): held, not called
    expect(calls).toEqual(['a', 'b']);
    gates[0]!();
    await h.settle();
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(h.output).toEqual([rec('a' as never, 1), wm(1)]);
    expect(h.snapshot()).toEqual({ held: [{ v: 'b', t: 2 }, { v: 'c', t: 3 }] });
  });

  it('regression: a watermark after every element does not take half the capacity', async () => {
    // An ingestion-time source polled one record at a time (the runner asks for no more than the
    // free capacity) sends a watermark after each record. Flink counts watermarks in the queue;
    // with capacity 10 that left 5 calls in flight and the bench at 70 % of capacity / latency.
    const calls: unknown[] = [];
    const h = asyncHarness({ fn: (x) => (calls.push(x), new Promise(() => {})), capacity: 3 });
    for (let i = 1; i <= 3; i++) {
      h.element(i, i);
      h.watermark(i);
    }
    expect(calls).toEqual([1, 2, 3]);
    expect(h.op.capacityLeft()).toBe(0);
  });

  it('consecutive watermarks with no element between them are held as one', () => {
    const h = asyncHarness({ fn: () => new Promise(() => {}), capacity: 5 });
    h.element('a', 1);
    h.watermark(1);
    h.watermark(2);
    h.watermark(3);
    expect(h.snapshot()).toEqual({ held: [{ v: 'a', t: 1 }, { w: 3 }] });
  });

  it('a function that throws synchronously fails like a rejected one', async () => {
    const h = asyncHarness({
      fn: () => {
        throw new Error('boom');
      },
    });
    h.element(1, 1);
    await expect(h.endInput()).rejects.toThrow(/after 1 call: boom/);
  });
});
