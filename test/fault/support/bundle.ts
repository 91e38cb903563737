/**
 * Bundles a TypeScript entry (and the @weir packages' sources it imports, resolved through the
 * root tsconfig paths) into one ESM file, so child processes start in plain `node` in tens of
 * milliseconds instead of compiling TypeScript at every start. Uses the esbuild that tsup (a
 * root devDependency) already brings.
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (run.mjs sets WEIR_REPO_ROOT, since a bundled copy lives elsewhere). */
export const ROOT = process.env.WEIR_REPO_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

function esbuild(): Esbuild {
  const fromTsup = createRequire(realpathSync(join(ROOT, 'node_modules', 'tsup', 'package.json')));
  return fromTsup('esbuild') as Esbuild;
}

export async function bundle(entry: string, outfile: string): Promise<string> {
  await esbuild().build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
    // Some dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
  });
  return outfile;
}
