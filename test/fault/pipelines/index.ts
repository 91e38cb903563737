/** The pipelines the fault driver crashes, by id. */
import { asyncEnrich } from './async-enrich.js';
import { count } from './count.js';
import { countSliding } from './count-sliding.js';
import { delta } from './delta.js';
import type { FaultPipeline } from './pipeline.js';
import { rollingMany } from './rolling-many.js';
import { session } from './session.js';
import { slidingEvery } from './sliding-every.js';
import { stateless } from './stateless.js';
import { tumblingSum } from './tumbling-sum.js';

export const PIPELINES: Readonly<Record<string, FaultPipeline>> = {
  stateless,
  'tumbling-sum': tumblingSum,
  'sliding-every': slidingEvery,
  delta,
  count,
  'count-sliding': countSliding,
  session,
  'async-enrich': asyncEnrich,
  'rolling-many': rollingMany,
};

export type { FaultPipeline } from './pipeline.js';
