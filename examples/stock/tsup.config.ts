import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const entry = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

// The app is bundled with the weir packages' public entry points (their src/index.ts), so that
// `pnpm stock` on a fresh clone needs one build of about a second, not a build of every package
// first. Its own dependencies (commander, pure-rand) stay external.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  noExternal: [/^@weir\//],
  // @weir/web's CommonJS dependencies (prom-client, pino) come along in the bundle and still call
  // require() for Node built-ins, which an ESM bundle has only through createRequire.
  banner: { js: "import { createRequire as __weirRequire } from 'node:module'; const require = __weirRequire(import.meta.url);" },
  esbuildOptions(options) {
    options.alias = { '@weir/core': entry('core'), '@weir/windows': entry('windows'), '@weir/web': entry('web') };
  },
});
