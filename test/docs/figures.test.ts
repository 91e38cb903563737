/**
 * The guide's pictures are generated from the real API (docs/build/pictures). This test redraws
 * each one and compares it with the committed SVG, so a change in the engine's behaviour (a
 * window that now gets other elements, a graph with another shape) or in the drawing code shows
 * up as a stale picture: run `pnpm run docs` and commit docs/images.
 *
 * The window timelines are checked against Flink's semantics independently, by the expected
 * outputs in docs/concepts/windows.md (the same jobs, printed) and test/docs/samples.test.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { FIGURES } from '../../docs/build/pictures/figures.js';

describe('docs/images are up to date', () => {
  for (const figure of FIGURES) {
    test(figure.file, async () => {
      const committed = readFileSync(fileURLToPath(new URL(`../../docs/images/${figure.file}`, import.meta.url)), 'utf8');
      expect(await figure.make(), `docs/images/${figure.file} is stale: run pnpm run docs`).toBe(committed);
    });
  }
});
