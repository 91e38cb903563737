/**
 * Where the dashboard's static files come from.
 *
 * A built package serves `dist/dashboard/` (made by `node dashboard/build.mjs` after tsup, see
 * the package's build script). A checkout running from sources — the tests, which run on `src/`
 * without a build, and the examples, which bundle the sources — bundles `dashboard/src` with
 * esbuild on the first request and keeps the result in memory, so the page is never stale and
 * `pnpm test` needs no build. The rule:
 *
 * 1. find the package directory of @weir/web: walk up from this module to the `package.json` named
 *    `@weir/web`, else resolve `@weir/web/package.json` from here (a bundled example);
 * 2. this module inside `<core>/dist` and `dist/dashboard/index.html` there: serve that;
 * 3. else `<core>/dashboard/bundle.mjs` present: bundle the sources;
 * 4. else `dist/dashboard/` if it exists; else no dashboard (the page says how to build it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One file of the dashboard.
 *
 * @example
 * ```ts
 * const asset = await (await dashboardAssets()).get('index.html');
 * ```
 */
export interface Asset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/**
 * The dashboard's files, by path relative to the dashboard root.
 *
 * @example
 * ```ts
 * const assets = dashboardAssets();
 * assets.origin; // 'built' | 'source' | 'missing'
 * ```
 */
export interface DashboardAssets {
  readonly origin: 'built' | 'source' | 'missing';
  /** Where the files are read from (for messages). */
  readonly location: string;
  get(path: string): Promise<Asset | undefined>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};
const typeOf = (path: string) => TYPES[extname(path)] ?? 'application/octet-stream';

/** The directory of this module, in ESM (import.meta.url) and in the CJS build (__dirname). */
function moduleDir(): string {
  // typeof keeps ESM from throwing on the CJS global.
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}

function resolveWebPackage(from: string): string | undefined {
  try {
    return dirname(createRequire(join(from, 'noop.js')).resolve('@weir/web/package.json'));
  } catch {
    return undefined;
  }
}

function webPackageDir(from: string, resolve: (from: string) => string | undefined): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@weir/web') return dir;
      } catch {
        // not a package.json we can read: keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(from);
}

interface SourceBundler {
  bundleDashboard(): Promise<Map<string, Uint8Array>>;
}

let cached: DashboardAssets | undefined;

/**
 * The dashboard's files for this process (located once).
 *
 * @example
 * ```ts
 * const index = await dashboardAssets().get('index.html');
 * ```
 */
export function dashboardAssets(): DashboardAssets {
  return (cached ??= locate(moduleDir()));
}

/**
 * @internal Exposed for tests: the rule above, from a given module directory (`resolve` finds
 * `@weir/web` by package resolution when walking up does not).
 */
export function locate(from: string, resolve: (from: string) => string | undefined = resolveWebPackage): DashboardAssets {
  const core = webPackageDir(from, resolve);
  if (core === undefined) return missing('@weir/web package directory not found');
  const built = join(core, 'dist', 'dashboard');
  const builtReady = existsSync(join(built, 'index.html'));
  const inDist = normalize(from).startsWith(join(core, 'dist') + sep) || normalize(from) === join(core, 'dist');
  if (inDist && builtReady) return fromDirectory(built);
  const bundler = join(core, 'dashboard', 'bundle.mjs');
  if (existsSync(bundler)) return fromSources(bundler);
  if (builtReady) return fromDirectory(built);
  return missing(`${built} (run the package build)`);
}

function fromDirectory(root: string): DashboardAssets {
  return {
    origin: 'built',
    location: root,
    async get(path) {
      const file = normalize(join(root, path));
      if (!file.startsWith(root + sep)) return undefined; // no escaping the folder with ../
      try {
        return { body: await readFile(file), contentType: typeOf(file) };
      } catch {
        return undefined;
      }
    },
  };
}

function fromSources(bundlerPath: string): DashboardAssets {
  let files: Promise<Map<string, Uint8Array>> | undefined;
  return {
    origin: 'source',
    location: dirname(bundlerPath),
    async get(path) {
      // A computed specifier, so that tsup never bundles the dev-only bundler (and esbuild) into dist.
      files ??= (import(pathToFileURL(bundlerPath).href) as Promise<SourceBundler>).then((m) => m.bundleDashboard());
      let all: Map<string, Uint8Array>;
      try {
        all = await files;
      } catch (e) {
        files = undefined; // let the next request try again after the sources are fixed
        throw e;
      }
      const body = all.get(path);
      return body === undefined ? undefined : { body, contentType: typeOf(path) };
    },
  };
}

function missing(where: string): DashboardAssets {
  return { origin: 'missing', location: where, get: async () => undefined };
}
