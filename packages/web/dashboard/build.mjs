/**
 * `node dashboard/build.mjs [outdir]`: writes the bundled dashboard to dist/dashboard (run by
 * the package's build script after tsup, whose clean step empties dist).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDashboard } from './bundle.mjs';

const outdir = process.argv[2] ?? fileURLToPath(new URL('../dist/dashboard/', import.meta.url));
await mkdir(outdir, { recursive: true });
const files = await bundleDashboard();
for (const [name, body] of files) await writeFile(join(outdir, name), body);
console.log(`dashboard: ${[...files].map(([n, b]) => `${n} ${(b.length / 1024).toFixed(1)} KiB`).join(', ')} -> ${outdir}`);
