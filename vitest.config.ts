import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests run against the packages' sources, not their builds, so `pnpm test` needs no build step.
export default defineConfig({
  resolve: {
    alias: {
      '@weir/core': src('core'),
      '@weir/windows': src('windows'),
      '@weir/connectors': src('connectors'),
      '@weir/testing': src('testing'),
      '@weir/web': src('web'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
