/**
 * The layers of @weir/core import one way (docs/architecture.md): a folder of packages/core/src
 * may import from its own folder and from folders of a lower layer, never from a folder of its
 * own layer or of a higher one. The test reads every source file (tests excluded: a test may
 * reach anything it checks) and lists each import that runs against the order.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORE_SRC, coreImports, LAYERS, layerViolations } from './core-imports.js';

describe('layers of @weir/core', () => {
  it('every top-level folder and file has a layer', () => {
    const unknown = readdirSync(CORE_SRC).filter((n) => !n.endsWith('.test.ts') && LAYERS[n] === undefined);
    expect(unknown).toEqual([]);
  });

  it('no import runs upward or across a layer', () => {
    expect(layerViolations(coreImports())).toEqual([]);
  });

  it('reports upward, crossing and unknown imports (negative controls)', () => {
    const at = (p: string) => join(CORE_SRC, p);
    const imports: Array<[string, string]> = [
      [at('operators/map.ts'), at('runtime/job-runner.ts')], // upward
      [at('windowing/window-operator.ts'), at('operators/map.ts')], // crossing, same layer
      [at('sources/x.ts'), at('web/server.ts')], // a folder with no layer
      [at('runtime/job-runner.ts'), at('contract/operator.ts')], // allowed: downward
      [at('api/data-stream.ts'), at('api/keyed-stream.ts')], // allowed: same folder
    ];
    expect(layerViolations(imports)).toEqual([
      'operators/map.ts -> runtime/job-runner.ts',
      'windowing/window-operator.ts -> operators/map.ts',
      'sources/x.ts -> web/server.ts',
    ]);
  });
});
