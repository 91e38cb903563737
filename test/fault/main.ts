/**
 * Runs the fault driver on its own (outside vitest): `node test/fault/run.mjs`. Environment
 * variables: see support/options.ts. Exits non-zero when a check failed.
 */
import { runFaultDriver, summarize } from './support/driver.js';
import { driverOptionsFromEnv } from './support/options.js';

const report = await runFaultDriver(driverOptionsFromEnv((line) => console.log(line)));
for (const line of summarize(report)) console.log(line);
process.exit(report.checks.every((c) => c.ok) ? 0 : 1);
