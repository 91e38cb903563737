// Bundles a TypeScript entry of the fault suite (default: main.ts) with the esbuild that tsup
// brings, then runs it: `node test/fault/run.mjs [entry.ts] [args...]`.
import { realpathSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const entry = resolve(process.argv[2] ?? join(here, 'main.ts'));
const esbuild = createRequire(realpathSync(join(root, 'node_modules', 'tsup', 'package.json')))('esbuild');
const outfile = join(mkdtempSync(join(tmpdir(), 'weir-run-')), 'entry.mjs');
await esbuild.build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'error',
  banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
});
process.env.WEIR_REPO_ROOT = root;
process.argv.splice(2, 1);
await import(pathToFileURL(outfile).href);
