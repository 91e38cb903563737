/**
 * The Nexmark queries of the suite: the core (q0, q1, q2, q5, q7, q8, q11) and q3 and an
 * event-time q12.
 */
import type { NexmarkQuery } from './query.js';
import { q3 } from './q3.js';
import { q5 } from './q5.js';
import { q7 } from './q7.js';
import { q8 } from './q8.js';
import { q11 } from './q11.js';
import { q12 } from './q12.js';
import { q0, q1, q2 } from './stateless-queries.js';

/**
 * Every query, in report order.
 *
 * @example
 * ```ts
 * for (const q of NEXMARK_QUERIES) console.log(q.id, q.title);
 * ```
 */
export const NEXMARK_QUERIES: readonly NexmarkQuery[] = [q0, q1, q2, q3, q5, q7, q8, q11, q12];

/** The queries goal G7 covers. */
export const G7_QUERIES: readonly string[] = ['q0', 'q1', 'q2', 'q5', 'q7', 'q8', 'q11'];
