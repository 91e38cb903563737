/**
 * Doc tests: every TypeScript sample of the guide and of the package READMEs is type-checked
 * (strict, as the repo's own code) and run; when the page shows the sample's output, the output
 * must be exactly that. Samples run in a fresh temporary directory each (they may write files
 * such as ./checkpoints), in this process, against the packages' sources.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { extractSamples, ROOT, type Sample } from './extract-samples.js';

const samples = extractSamples();

/** Type errors of all samples, mapped back to their Markdown lines. */
function typeErrors(list: readonly Sample[]): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  // The docs build script is checked in the same program (the root tsconfig does not include docs/).
  const program = ts.createProgram([...list.map((s) => s.file), join(ROOT, 'docs/build/build.ts')], { ...options, noEmit: true });
  const byFile = new Map(list.map((s) => [s.file, s]));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const sample = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!d.file || d.start === undefined) return message;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    if (!sample) return `${relative(ROOT, d.file.fileName)}:${line + 1}: ${message}`;
    const inPreamble = line < sample.preambleLines;
    const where = inPreamble ? `preamble ${sample.preamble}:${line + 1}` : `${relative(ROOT, sample.mdFile)}:${sample.firstLine + line - sample.preambleLines}`;
    return `${where}: ${message}`;
  });
}

/** Runs `fn` with standard output (process.stdout.write and console.log) captured. */
async function captureOutput(fn: () => Promise<unknown>): Promise<string> {
  let out = '';
  const write = process.stdout.write;
  const log = console.log;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  console.log = (...args: unknown[]) => {
    out += `${format(...args)}\n`;
  };
  try {
    await fn();
  } finally {
    process.stdout.write = write;
    console.log = log;
  }
  return out;
}

test('there are samples to test', () => {
  expect(samples.length).toBeGreaterThan(20);
});

test('every sample (and the docs build script) type-checks', () => {
  expect(typeErrors(samples)).toEqual([]);
}, 120_000);

describe('every sample runs', () => {
  for (const sample of samples.filter((s) => !s.definesTests)) {
    test(sample.where, async () => {
      const cwd = process.cwd();
      const dir = mkdtempSync(join(tmpdir(), 'weir-doc-sample-'));
      process.chdir(dir);
      try {
        const output = await captureOutput(() => import(sample.file));
        if (sample.output !== undefined) expect(output.trimEnd()).toBe(sample.output.trimEnd());
      } finally {
        process.chdir(cwd);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

// Samples that are vitest tests themselves (the @weir/testing README) register their tests here.
for (const sample of samples.filter((s) => s.definesTests)) {
  await import(sample.file);
}
