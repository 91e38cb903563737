/** Writes every picture of the guide to docs/images (part of `pnpm docs`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FIGURES } from './pictures/figures.js';

const dir = fileURLToPath(new URL('../images/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const f of FIGURES) {
  writeFileSync(dir + f.file, await f.make());
  console.log(`docs/images/${f.file}`);
}
