import type { Options } from 'tsup';

/**
 * How every published package is built: its public index as ESM and CommonJS with type
 * declarations (each package's tsup.config.ts starts from this).
 */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // The root tsconfig maps @weir/* to sources for tests; a package's declarations import the others by name.
  dts: { compilerOptions: { paths: {} } },
  sourcemap: true,
  clean: true,
  target: 'node20',
};
