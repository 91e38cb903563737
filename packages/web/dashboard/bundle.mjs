/**
 * Bundles the dashboard (src/main.ts and its CSS, with dagre and uPlot) into three static
 * files: index.html, app.js, app.css. Used by build.mjs for the package build (written to
 * dist/dashboard) and, in a source checkout, by the web server on its first request (kept in
 * memory), so tests and examples never need a build.
 *
 * @example
 * ```js
 * import { bundleDashboard } from './bundle.mjs';
 * const files = await bundleDashboard(); // Map { 'index.html' => ..., 'app.js' => ..., 'app.css' => ... }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** @returns {Promise<Map<string, Uint8Array>>} the files by name */
export async function bundleDashboard() {
  const result = await esbuild.build({
    entryPoints: { app: here('./src/main.ts') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    legalComments: 'none',
    write: false,
    outdir: here('./out'),
    logLevel: 'silent',
  });
  const files = new Map([['index.html', await readFile(here('./index.html'))]]);
  for (const f of result.outputFiles) files.set(basename(f.path), f.contents);
  return files;
}
