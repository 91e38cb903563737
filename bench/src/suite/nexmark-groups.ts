/**
 * The Nexmark groups (goal G7 and the extra queries): one group per query, each running the weir
 * job and the hand-written version fused with the generator on the same generated stream
 * (100,000 events/s of event time; 4 M events in a full run).
 */
import type { Digest } from '../harness/digest.js';
import { measureCase } from '../harness/measure.js';
import type { NexmarkConfig } from '../nexmark/generator.js';
import { G7_QUERIES, NEXMARK_QUERIES } from '../nexmark/queries.js';
import { type NexmarkQuery, runWeirQuery } from '../nexmark/query.js';
import { type BenchGroup, pick } from './group.js';

/** Events of a full Nexmark run per query. */
export const NEXMARK_EVENTS = 4_000_000;

/** The generator configuration of the suite. */
export const NEXMARK_CONFIG: NexmarkConfig = { firstEventRate: 100_000 };

function queryGroup(query: NexmarkQuery): BenchGroup {
  return {
    id: `nexmark-${query.id}`,
    title: `Nexmark ${query.id}: ${query.title}`,
    async run(profile, log, only) {
      const n = profile.size(NEXMARK_EVENTS);
      const result = await measureCase(
        {
          id: `nexmark-${query.id}`,
          goal: G7_QUERIES.includes(query.id) ? 'G7' : 'G7+',
          title: `${query.id} ${query.title}`,
          events: n,
          impls: pick(
            [
              { name: 'weir', run: (d: Digest) => runWeirQuery(query, NEXMARK_CONFIG, n, d) },
              { name: 'hand', run: (d: Digest) => query.hand(NEXMARK_CONFIG, n, d) },
            ],
            only,
          ),
          ratios: [['weir', 'hand']],
        },
        profile,
        log,
      );
      return [{ ...result, extra: { flinkPerCore: query.flinkPerCore, resultCount: Number(result.impls[0]?.digest.split(':')[0] ?? 0) } }];
    },
  };
}

/**
 * One group per Nexmark query, in report order.
 *
 * @example
 * ```ts
 * for (const g of nexmarkGroups) await g.run(profile('smoke'), console.error);
 * ```
 */
export const nexmarkGroups: readonly BenchGroup[] = NEXMARK_QUERIES.map(queryGroup);

