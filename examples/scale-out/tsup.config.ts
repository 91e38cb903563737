import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const entry = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

// Bundled with the weir packages' public entry points (their src/index.ts), so `pnpm scale-out`
// on a fresh clone needs one build of about a second. Third-party dependencies come along.
export default defineConfig({
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
    options.alias = { '@weir/core': entry('core'), '@weir/connectors': entry('connectors'), '@weir/web': entry('web') };
  },
});
