// @ts-check
/**
 * A local TypeDoc plugin for weir's API reference:
 * - names each entry module after its package (`@weir/core`), not its path (`core/src`);
 * - requires an `@example` on every exported name (members need documentation, which TypeDoc's
 *   own `notDocumented` validation checks, but not each an example), reported as a warning that
 *   `treatWarningsAsErrors` turns into a failed build: STYLE.md asks for an example on every
 *   export, and a reference entry without one teaches little.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, DeclarationReflection, ReflectionKind } from 'typedoc';

const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

/** Kinds whose own comment (or signature comment) must carry an example. */
const NEEDS_EXAMPLE =
  ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.Function | ReflectionKind.Variable |
  ReflectionKind.TypeAlias | ReflectionKind.Enum;

/** @param {import('typedoc').Reflection} r */
function hasExample(r) {
  if (r.comment?.getTag('@example')) return true;
  if (r instanceof DeclarationReflection) {
    for (const s of r.signatures ?? []) if (s.comment?.getTag('@example')) return true;
    if (r.getSignature?.comment?.getTag('@example')) return true;
  }
  return false;
}

/** @param {Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    // Entry modules are named by path relative to packages/: 'core/src' -> packages/core/package.json.
    for (const mod of context.project.children ?? []) {
      const dir = mod.name.split('/')[0];
      const pkg = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
      mod.name = pkg.name;
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const missing = [];
    for (const mod of context.project.children ?? []) {
      for (const child of mod.children ?? []) {
        if (!child.kindOf(NEEDS_EXAMPLE)) continue;
        if (!hasExample(child)) missing.push(child.getFriendlyFullName());
      }
    }
    for (const name of missing) app.logger.warn(`${name} has no @example`);
  });
}
