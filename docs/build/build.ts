/**
 * `pnpm docs`: builds the documentation offline.
 *
 * 1. The pictures (docs/images/*.svg): job graphs from `explain()` and window timelines from
 *    running real jobs (pictures/figures.ts).
 * 2. The API reference (docs/api/, Markdown): TypeDoc with typedoc-plugin-markdown over the
 *    packages' public entry points (typedoc.json), warnings treated as errors: every exported name
 *    needs documentation and an `@example` (typedoc-plugin-weir.mjs).
 * 3. A check that every relative link of the guide points at a file that exists (the API
 *    reference included), so that a renamed page or picture fails the build.
 *
 * The guide itself is the Markdown under docs/; it needs no build step. Its code samples are
 * type-checked and run by the doc tests (test/docs), with `pnpm test`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';
import { FIGURES } from './pictures/figures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const docs = join(root, 'docs');

async function pictures(): Promise<void> {
  mkdirSync(join(docs, 'images'), { recursive: true });
  for (const f of FIGURES) writeFileSync(join(docs, 'images', f.file), await f.make());
  console.log(`pictures: ${FIGURES.length} SVG files in docs/images`);
}

async function apiReference(): Promise<void> {
  const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json') });
  const project = await app.convert();
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error('typedoc: conversion failed (see the messages above)');
  app.validate(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error('typedoc: validation failed (see the messages above)');
  await app.generateOutputs(project);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) throw new Error('typedoc: output failed (see the messages above)');
  console.log('API reference: docs/api');
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name.startsWith('.')) return [];
    return statSync(p).isDirectory() ? (name === 'api' || name === 'build' ? [] : markdownFiles(p)) : name.endsWith('.md') ? [p] : [];
  });
}

function checkLinks(): void {
  const broken: string[] = [];
  const files = [...markdownFiles(docs), join(root, 'README.md'), ...['core', 'windows', 'connectors', 'testing', 'web'].map((p) => join(root, 'packages', p, 'README.md'))];
  for (const file of files.filter(existsSync)) {
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!.split('#')[0]!;
      if (!target || /^[a-z]+:/.test(target)) continue;
      if (!existsSync(resolve(dirname(file), target))) broken.push(`${relative(root, file)}: ${m[1]}`);
    }
  }
  if (broken.length) throw new Error(`broken links:\n  ${broken.join('\n  ')}`);
  console.log(`links: ${files.length} Markdown files checked`);
}

await pictures();
await apiReference();
checkLinks();
