/**
 * The dashboard's sources type-check (they are outside the root tsconfig, which has no DOM
 * library) and the package build's bundling step writes the three static files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('dashboard build', () => {
  it('type-checks', async () => {
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'packages/web/dashboard/tsconfig.json')]);
  }, 120_000);

  it('bundles index.html, app.js and app.css with no reference to another host', async () => {
    const out = mkdtempSync(join(tmpdir(), 'weir-dash-build-'));
    try {
      await run(process.execPath, [join(root, 'packages/web/dashboard/build.mjs'), out]);
      expect(readdirSync(out).sort()).toEqual(['app.css', 'app.js', 'index.html']);
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      // No CDN: every URL the page loads is relative to the server.
      expect(html.match(/(?:src|href)="[^"]*"/g)!.filter((a) => !a.includes('data:'))).toEqual(['href="app.css"', 'src="app.js"']);
      expect(readFileSync(join(out, 'app.css'), 'utf8')).toContain('.uplot');
      expect(readFileSync(join(out, 'app.js'), 'utf8')).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
