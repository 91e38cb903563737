import { defineConfig } from 'tsup';

// The suite runs against the packages' builds (dist), as users do: @weir/* and rxjs stay external.
export default defineConfig({
  entry: ['src/run.ts', 'src/child.ts', 'src/profile-top.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
});
