/**
 * Type tests: the connectors' record types flow into DataStream<T>, and misuse does not compile.
 */
import { type DataStream, StreamEnvironment } from '@weir/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AuditEvent,
  type ForwardedLine,
  K8sAuditSource,
  LineServerSource,
  RedisStreamSink,
  RedisStreamSource,
  StreamStoreSink,
  StreamStoreSource,
} from './index.js';

interface Order {
  id: number;
  customer: string;
}

describe('connector types', () => {
  it('sources type their streams', () => {
    const env = StreamEnvironment.create();
    expectTypeOf(env.fromSource(new LineServerSource(0))).toEqualTypeOf<DataStream<ForwardedLine>>();
    expectTypeOf(env.fromSource(new K8sAuditSource('audit.log'))).toEqualTypeOf<DataStream<AuditEvent>>();
    expectTypeOf(env.fromSource(new StreamStoreSource<Order>({ root: 'r', scope: 's', stream: 'o' }))).toEqualTypeOf<DataStream<Order>>();
    expectTypeOf(env.fromSource(new RedisStreamSource<Order>({ redis: 'redis://127.0.0.1', stream: 'o', group: 'g' }))).toEqualTypeOf<DataStream<Order>>();
  });

  it('audit events carry the Event’s own field names', () => {
    expectTypeOf<AuditEvent['auditID']>().toEqualTypeOf<string>();
    expectTypeOf<AuditEvent['stage']>().toEqualTypeOf<'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic'>();
    expectTypeOf<NonNullable<AuditEvent['user']['username']>>().toEqualTypeOf<string>();
    expectTypeOf<NonNullable<NonNullable<AuditEvent['responseStatus']>['code']>>().toEqualTypeOf<number>();
  });

  it('sinks take the stream’s type and a typed routing key', () => {
    const env = StreamEnvironment.create();
    const orders = env.fromElements<Order>({ id: 1, customer: 'a' });
    orders.sinkTo(new StreamStoreSink<Order>({ root: 'r', scope: 's', stream: 'o', routingKey: (o) => o.customer }));
    orders.sinkTo(new RedisStreamSink<Order>({ redis: 'redis://127.0.0.1', stream: 'o', routingKey: (o) => o.customer, sinkId: 'j' }));
    // @ts-expect-error the routing key must be a string
    new StreamStoreSink<Order>({ root: 'r', scope: 's', stream: 'o', routingKey: (o) => o.id });
    // @ts-expect-error a sink of another type does not fit the stream
    orders.sinkTo(new RedisStreamSink<string>({ redis: 'redis://127.0.0.1', stream: 'o', routingKey: (s) => s, sinkId: 'j' }));
    // @ts-expect-error the Redis sink needs a sinkId (it names its transactions)
    new RedisStreamSink<Order>({ redis: 'redis://127.0.0.1', stream: 'o', routingKey: (o) => o.customer });
  });
});
