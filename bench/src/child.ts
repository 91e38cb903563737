/**
 * Runs one bench group in this process and prints its results as one JSON line on stdout
 * (prefixed `@@RESULT `); progress goes to stderr. The runner (run.ts) starts one such process
 * per group; run it directly to profile one group:
 *
 *   node --expose-gc --cpu-prof bench/dist/child.js tumbling full --impl weir
 */
import { type ProfileName, profile } from './harness/profile.js';
import { groupById } from './suite/groups.js';

/** The marker of the result line. */
export const RESULT_MARKER = '@@RESULT ';

async function main(): Promise<void> {
  const [groupId, profileName = 'full', ...rest] = process.argv.slice(2);
  const group = groupId === undefined ? undefined : groupById(groupId);
  if (group === undefined) throw new Error(`unknown group '${groupId}'`);
  if (!['full', 'quick', 'smoke'].includes(profileName)) throw new Error(`unknown profile '${profileName}'`);
  const implAt = rest.indexOf('--impl');
  const only = implAt >= 0 ? (rest[implAt + 1] ?? '').split(',').filter(Boolean) : undefined;
  const results = await group.run(profile(profileName as ProfileName), (line) => process.stderr.write(`${line}\n`), only);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(results)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
