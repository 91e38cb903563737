/**
 * The API reference's rule, checked in CI: TypeDoc (typedoc.json, as `pnpm run docs` runs it)
 * converts and validates the four packages' public entry points without a single warning. So
 * every exported name has documentation and an `@example` (docs/build/typedoc-plugin-weir.mjs),
 * every `{@link}` resolves, and nothing public refers to an unexported type. Output files are not
 * generated here; `pnpm run docs` writes them.
 */
import { fileURLToPath } from 'node:url';
import { Application, LogLevel } from 'typedoc';
import { expect, test } from 'vitest';

test('typedoc converts and validates the public API with no warnings', async () => {
  const messages: string[] = [];
  const app = await Application.bootstrapWithPlugins({
    options: fileURLToPath(new URL('../../typedoc.json', import.meta.url)),
    logLevel: 'Warn',
  });
  const log = app.logger.log.bind(app.logger);
  app.logger.log = (message: string, level: LogLevel) => {
    // eslint-disable-next-line no-control-regex
    if (level >= LogLevel.Warn) messages.push(message.replace(/\x1b\[[0-9;]*m/g, ''));
    log(message, level);
  };
  const project = await app.convert();
  expect(project).toBeDefined();
  app.validate(project!);
  expect(messages).toEqual([]);
  expect(project!.children?.map((m) => m.name).sort()).toEqual(['@weir/connectors', '@weir/core', '@weir/testing', '@weir/web', '@weir/windows']);
}, 120_000);
