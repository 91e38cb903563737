/**
 * The stock-price example (Flink's 2015 streaming example). This first version runs the rolling
 * statistics over generated prices; the full application grows in examples/stock.
 */
import { type Collector, StreamEnvironment, WatermarkStrategy } from '@weir/core';
import { Time } from '@weir/windows';

interface StockPrice {
  symbol: string;
  price: number;
  ts: number;
}

const SYMBOLS: Array<[string, number]> = [['SPX', 10], ['FTSE', 20], ['DJI', 30], ['BUX', 40]];

function* generate(count: number): Generator<StockPrice> {
  const prices = new Map(SYMBOLS.map(([s]) => [s, 1000]));
  let ts = 0;
  for (let i = 0; i < count; i++) {
    const [symbol, sigma] = SYMBOLS[i % SYMBOLS.length]!;
    const gaussian = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
    const price = prices.get(symbol)! + gaussian * sigma;
    prices.set(symbol, price);
    ts += Math.floor(Math.random() * 200);
    yield { symbol, price, ts };
  }
}

const env = StreamEnvironment.create();
const prices = env
  .fromCollection([...generate(2000)])
  .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<StockPrice>().withTimestampAssigner((p) => p.ts));
prices
  .groupBy('symbol')
  .window(Time.of(10, 'seconds'))
  .every(Time.of(5, 'seconds'))
  .process((symbol, ctx, ticks, out: Collector<string>) => {
    const mean = ticks.reduce((s, t) => s + t.price, 0) / ticks.length;
    out.collect(`[${ctx.window.start / 1000}s, ${ctx.window.end / 1000}s) ${symbol.padEnd(5)} n=${String(ticks.length).padStart(3)} mean=${mean.toFixed(2)}`);
  })
  .print();
await env.execute('stocks');
