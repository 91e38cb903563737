/**
 * The child-process fault driver inside `pnpm test`: hundreds of seeded crash schedules over
 * seven pipelines, a crash at every failpoint of the commit and restore path, and the negative
 * controls. Sizes come from FAULT_* environment variables (support/options.ts); the defaults
 * are what CI runs. The driver prints its own closing line `fault: N passed, N failed`.
 */
import { expect, it } from 'vitest';
import { runFaultDriver, summarize } from './support/driver.js';
import { driverOptionsFromEnv } from './support/options.js';

it('fault driver: 0 lost, 0 duplicated, 0 inconsistent; every failpoint hit; negative controls caught', async () => {
  const report = await runFaultDriver(driverOptionsFromEnv((line) => process.stdout.write(`${line}\n`)));
  const summary = summarize(report);
  process.stdout.write(`${summary.join('\n')}\n`);
  expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`)).toEqual([]);
  expect(report.schedules).toBeGreaterThan(0);
  expect(report.kills).toBeGreaterThan(0);
}, 900_000);
