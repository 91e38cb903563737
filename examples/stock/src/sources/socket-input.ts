/**
 * Socket input: `SYMBOL,PRICE` lines from a TCP server (`nc -lk 9999`), merged into the generated
 * prices. The 2015 example parsed with `split(",")` and `Double.parseDouble`, so one bad line
 * killed the job; here a malformed line goes to the `DEAD_LETTERS` side output with the reason
 * and the job goes on.
 *
 * The socket source is wrapped to end with the demo (at the market time `end`), to stamp each line
 * with the market clock when it is read, and to reconnect when the server is not there yet or
 * closes, so `nc` can be started before or after the app. Its watermark follows the market clock
 * ({@link marketClockWatermarks}), so an idle socket never holds back event time.
 * Like every socket source it is at-most-once: lines received after the last checkpoint are not
 * replayed after a crash.
 */
import {
  DEAD_LETTERS,
  type DataStream,
  type DeadLetter,
  PollStatus,
  type ProcessFunction,
  SocketTextSource,
  type Source,
  type SourceOutput,
  type SourceReader,
  type SourceReaderContext,
  WatermarkStrategy,
} from '@weir/core';
import type { StockPrice } from '../domain.js';
import type { Pacer } from '../market-clock.js';

/**
 * Name of the parsing step; dead letters from it carry this as their `source`.
 *
 * @example
 * ```ts
 * deadLetters.filter((d) => d.source === PARSE_STEP);
 * ```
 */
export const PARSE_STEP = 'parse SYMBOL,PRICE';

const SYMBOL = /^[A-Z][A-Z0-9.]{0,15}$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses one socket line; returns the tick or the reason it is malformed.
 *
 * @example
 * ```ts
 * parseStockLine('spx, 1012.5'); // { ok: { symbol: 'SPX', price: 1012.5 } }
 * parseStockLine('SPX;1012');    // { reason: 'expected SYMBOL,PRICE (2 comma-separated fields), got 1 field' }
 * ```
 */
export function parseStockLine(line: string): { ok: StockPrice } | { reason: string } {
  const text = line.trim();
  if (text === '') return { reason: 'empty line (expected SYMBOL,PRICE)' };
  const fields = text.split(',');
  if (fields.length !== 2) {
    return { reason: `expected SYMBOL,PRICE (2 comma-separated fields), got ${fields.length} field${fields.length === 1 ? '' : 's'}` };
  }
  const symbol = fields[0]!.trim().toUpperCase();
  const priceText = fields[1]!.trim();
  if (!SYMBOL.test(symbol)) return { reason: `symbol '${fields[0]!.trim()}' is not a ticker (a letter, then up to 15 letters, digits or dots)` };
  if (priceText === '') return { reason: 'price is missing' };
  if (!DECIMAL.test(priceText)) return { reason: `price '${priceText}' is not a decimal number` };
  const price = Number(priceText);
  if (!Number.isFinite(price) || price <= 0) return { reason: `price ${priceText} must be a positive finite number` };
  return { ok: { symbol, price } };
}

/**
 * The parsing step: ticks downstream, malformed lines to `DEAD_LETTERS`.
 *
 * @example
 * ```ts
 * const ticks = env.socketTextStream('localhost', 9999).process(parseSocketLines);
 * ticks.getSideOutput(DEAD_LETTERS).print('rejected');
 * ```
 */
export const parseSocketLines: ProcessFunction<string, StockPrice> = (line, ctx, out) => {
  const parsed = parseStockLine(line);
  if ('ok' in parsed) out.collect(parsed.ok);
  else ctx.output(DEAD_LETTERS, { input: line, reason: parsed.reason, source: PARSE_STEP });
};

class UntilReader<T> implements SourceReader<T> {
  constructor(
    private readonly inner: SourceReader<T>,
    private readonly end: number,
    private readonly pacer: Pacer,
  ) {}
  start(): void | Promise<void> {
    return this.inner.start?.();
  }
  pollNext(output: SourceOutput<T>, maxRecords: number): PollStatus {
    const now = this.pacer.now();
    if (now >= this.end) return PollStatus.END_OF_INPUT;
    const stamped: SourceOutput<T> = { collect: (value) => output.collect(value, now), deadLetter: (letter) => output.deadLetter(letter) };
    return this.inner.pollNext(stamped, maxRecords);
  }
  isAvailable(): Promise<void> {
    return Promise.race([this.inner.isAvailable(), this.pacer.waitUntil(this.end)]);
  }
  close(): void | Promise<void> {
    return this.inner.close?.();
  }
}

/**
 * Lines from `host:port` until market time `end`, stamped with the market time at which they were
 * read; reconnects every second while the server is away.
 *
 * @example
 * ```ts
 * const lines = env.fromSource(new SocketUntil('localhost', 9999, end, clock), 'socket');
 * ```
 */
export class SocketUntil implements Source<string> {
  readonly bounded = true;
  readonly replayable = false;
  readonly name: string;
  private readonly socket: SocketTextSource;

  constructor(host: string, port: number, private readonly end: number, private readonly pacer: Pacer) {
    this.socket = new SocketTextSource(host, port, { reconnect: { maxRetries: Number.POSITIVE_INFINITY, delayMs: 1000 } });
    this.name = `socket ${host}:${port}`;
  }

  createReader(ctx: SourceReaderContext): SourceReader<string> {
    return new UntilReader(this.socket.createReader(ctx), this.end, this.pacer);
  }
}

/**
 * Watermarks that follow the job's clock (`now - 1`, emitted periodically even when no line
 * comes): socket lines are stamped with the clock when read, so none is ever behind it, and a
 * quiet socket does not stop the windows of the merged stream from firing.
 *
 * @example
 * ```ts
 * ticks.assignTimestampsAndWatermarks(marketClockWatermarks<StockPrice>());
 * ```
 */
export function marketClockWatermarks<T>(): WatermarkStrategy<T> {
  return WatermarkStrategy.forGenerator<T>(({ clock }) => ({
    onEvent: () => {},
    onPeriodicEmit: (output) => output.emitWatermark(clock.now() - 1),
  }));
}

/**
 * Socket ticks and every dead letter of the socket input (unreadable lines from the source,
 * malformed lines from the parser).
 *
 * @example
 * ```ts
 * const { ticks, deadLetters } = socketTicks(env.fromSource(new SocketUntil(host, port, end, clock)));
 * ```
 */
export function socketTicks(lines: DataStream<string>): { ticks: DataStream<StockPrice>; deadLetters: DataStream<DeadLetter> } {
  const parsed = lines.process(parseSocketLines).name(PARSE_STEP).uid('socket-parse');
  const ticks = parsed.assignTimestampsAndWatermarks(marketClockWatermarks<StockPrice>()).name('socket watermarks').uid('socket-watermarks');
  return { ticks, deadLetters: lines.getSideOutput(DEAD_LETTERS).merge(parsed.getSideOutput(DEAD_LETTERS)) };
}
