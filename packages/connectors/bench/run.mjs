// Bundles bench/throughput.ts with the workspace sources (esbuild, from tsup) and runs it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const repo = join(pkg, '..', '..');
const require = createRequire(join(repo, 'package.json'));
const esbuild = createRequire(require.resolve('tsup'))('esbuild');
const outfile = join(mkdtempSync(join(tmpdir(), 'weir-bench-')), 'throughput.cjs');
await esbuild.build({
  entryPoints: [join(here, 'throughput.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'error',
  alias: { '@weir/core': join(repo, 'packages/core/src/index.ts'), '@weir/connectors': join(pkg, 'src/index.ts') },
  external: ['ioredis', 'zod', 'date-fns', 'rxjs'],
});
const nodePath = [join(pkg, 'node_modules'), join(repo, 'packages/core/node_modules')].join(':');
const r = spawnSync(process.execPath, [outfile], { stdio: 'inherit', env: { ...process.env, NODE_PATH: nodePath } });
process.exit(r.status ?? 1);
