/**
 * `toObservable()`: a hot RxJS observable of a stream's records while the job runs; it completes
 * when the job ends and errors when the job fails.
 */
import { Subject } from 'rxjs';
import type { Sink, SinkWriter } from '../contract/sink.js';

/** The sink behind `toObservable()`. @internal */
export class ObservableSink<T> implements Sink<T> {
  readonly name = 'Observable Sink';
  readonly subject = new Subject<T>();
  createWriter(): SinkWriter<T> {
    return { write: (v) => this.subject.next(v) };
  }
}
