/**
 * The sink in front of the terminal: hands every result and every watermark to a
 * {@link ResultPrinter}. Display only, so not transactional: after a restart the view starts from
 * the restored checkpoint (the committed output is what is exactly-once).
 */
import type { Sink, SinkWriter } from '@weir/core';
import type { StockResult } from '../results.js';
import type { ResultPrinter } from './printer.js';

/**
 * @example
 * ```ts
 * job.results.sinkTo(new ViewSink(printer)).name('terminal');
 * ```
 */
export class ViewSink implements Sink<StockResult> {
  readonly name = 'Terminal';
  constructor(private readonly printer: ResultPrinter) {}
  createWriter(): SinkWriter<StockResult> {
    return {
      write: (value) => this.printer.result(value),
      writeWatermark: (watermark) => this.printer.watermark(watermark),
    };
  }
}
