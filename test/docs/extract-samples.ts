/**
 * Extracts the TypeScript samples of the guide (docs/**\/*.md) and of the package READMEs into
 * files that the doc tests type-check and run.
 *
 * Conventions (documented for writers in docs/README.md, "About the code samples"):
 * - every fence tagged `ts` or `typescript` is a sample: a complete ES module, run as it is;
 * - `<!-- doc-test: preamble NAME -->` on the line before a fence puts
 *   test/docs/preambles/NAME.ts in front of the sample (for fragments that continue a page's
 *   running example; the page says what the preamble declares);
 * - `<!-- doc-test: output -->` before a `text` fence makes that fence the exact standard output
 *   of the sample before it.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where extracted samples go (gitignored; inside the repo so that packages resolve as usual). */
export const SAMPLES_DIR = join(ROOT, 'docs/.samples');
const PREAMBLES_DIR = join(ROOT, 'test/docs/preambles');

/** One extracted sample. */
export interface Sample {
  /** `docs/concepts/windows.md:42` (the line of the opening fence). */
  readonly where: string;
  readonly mdFile: string;
  /** 1-based line of the sample's first code line in the Markdown file. */
  readonly firstLine: number;
  readonly code: string;
  readonly preamble: string | undefined;
  /** Lines the preamble adds in front of the code. */
  readonly preambleLines: number;
  /** Expected standard output, when the page shows it. */
  readonly output: string | undefined;
  /** The sample's file under SAMPLES_DIR. */
  readonly file: string;
  /** Uses vitest's `test`/`it`: imported while the doc tests are collected, so its tests register. */
  readonly definesTests: boolean;
}

/** Markdown files whose samples are tested. */
export function markdownFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (name.startsWith('.') || (dir === join(ROOT, 'docs') && name === 'api')) continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) out.push(p);
    }
  };
  walk(join(ROOT, 'docs'));
  for (const pkg of readdirSync(join(ROOT, 'packages')).sort()) {
    const readme = join(ROOT, 'packages', pkg, 'README.md');
    try {
      statSync(readme);
      out.push(readme);
    } catch {
      // a package without a README has no samples
    }
  }
  return out;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const DIRECTIVE = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;

/** The samples of one Markdown text. */
export function parseSamples(mdFile: string, markdown: string): Array<Omit<Sample, 'file' | 'preambleLines' | 'definesTests'>> {
  const lines = markdown.split('\n');
  const samples: Array<Omit<Sample, 'file' | 'preambleLines' | 'definesTests'>> = [];
  let directive: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const d = DIRECTIVE.exec(line.trim());
    if (d) {
      directive = d[1];
      continue;
    }
    const open = FENCE.exec(line);
    if (!open) {
      if (line.trim()) directive = undefined;
      continue;
    }
    const [, indent, marks, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(marks!); j++) body.push(lines[j]!.slice(indent!.length));
    const where = `${relative(ROOT, mdFile)}:${i + 1}`;
    if (lang === 'ts' || lang === 'typescript') {
      const preamble = directive?.startsWith('preamble ') ? directive.slice('preamble '.length).trim() : undefined;
      if (directive && !preamble) throw new Error(`${where}: unknown doc-test directive '${directive}' before a TypeScript sample`);
      samples.push({ where, mdFile, firstLine: i + 2, code: body.join('\n') + '\n', preamble, output: undefined });
    } else if (directive === 'output') {
      const last = samples.at(-1);
      if (!last) throw new Error(`${where}: an output block needs a TypeScript sample before it`);
      samples[samples.length - 1] = { ...last, output: body.join('\n') };
    }
    directive = undefined;
    i = j;
  }
  return samples;
}

/** Extracts every sample to SAMPLES_DIR (emptied first) and returns them. */
export function extractSamples(): Sample[] {
  rmSync(SAMPLES_DIR, { recursive: true, force: true });
  mkdirSync(SAMPLES_DIR, { recursive: true });
  const samples: Sample[] = [];
  for (const md of markdownFiles()) {
    for (const s of parseSamples(md, readFileSync(md, 'utf8'))) {
      const pre = s.preamble === undefined ? '' : readFileSync(join(PREAMBLES_DIR, `${s.preamble}.ts`), 'utf8');
      const file = join(SAMPLES_DIR, `${s.where.replace(/[/:.]/g, '_')}.ts`);
      // `export {}` keeps a sample without imports a module (top-level await, no global clashes).
      writeFileSync(file, `${pre}${s.code}export {};\n`);
      samples.push({
        ...s,
        file,
        preambleLines: pre === '' ? 0 : pre.split('\n').length - 1,
        definesTests: /from ['"]vitest['"]/.test(pre + s.code) && /\b(test|it|describe)\(/.test(s.code),
      });
    }
  }
  return samples;
}
