/**
 * Test helper: bundles the CLI (`main.ts`) with esbuild into one ESM file that runs on plain
 * Node, with `@weir/*` resolved to the packages' sources (as the tests see them), so tests can
 * run the real command in child processes — and kill them — without a build step.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Bundles the CLI; returns the file to run with `node` and a cleanup function.
 *
 * @example
 * ```ts
 * const cli = await bundleCli();
 * spawn(process.execPath, [cli.file, '--help']);
 * await cli.cleanup();
 * ```
 */
export async function bundleCli(): Promise<{ file: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-stock-cli-'));
  const file = join(dir, 'main.mjs');
  await build({
    entryPoints: [here('../main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    alias: {
      '@weir/core': here('../../../../packages/core/src/index.ts'),
      '@weir/windows': here('../../../../packages/windows/src/index.ts'),
      '@weir/web': here('../../../../packages/web/src/index.ts'),
    },
    // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
    banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
  });
  return { file, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
