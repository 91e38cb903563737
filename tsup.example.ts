import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';

const entry = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * How every example app is built (each example's tsup.config.ts uses this): its main bundled with
 * the weir packages' public entry points (their src/index.ts), so that `pnpm stock`, `pnpm audit`
 * or `pnpm scale-out` on a fresh clone needs one build of about a second, not a build of every
 * package first. Third-party dependencies that @weir/* bring along come into the bundle too.
 */
export const exampleBuild: Options = {
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  noExternal: [/^@weir\//],
  // CommonJS dependencies (ioredis, prom-client, pino) still call require() for Node built-ins,
  // which an ESM bundle has only through createRequire.
  banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
  esbuildOptions(options) {
    options.alias = { '@weir/core': entry('core'), '@weir/windows': entry('windows'), '@weir/connectors': entry('connectors'), '@weir/web': entry('web') };
  },
};
