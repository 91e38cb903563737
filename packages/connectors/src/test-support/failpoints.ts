/**
 * Test helper: the engine's failpoints armed from WEIR_FAILPOINTS (`name[@n],...`), as hooks that
 * SIGKILL the worker at the n-th hit. The engine reads no environment; the crash tests' workers
 * pass these hooks in (`StreamEnvironment.create({ faults })`).
 * @internal
 */
export function failpointsFromEnv(): { failpoint(name: string): void } | undefined {
  const spec = process.env.WEIR_FAILPOINTS;
  if (!spec) return undefined;
  const armed = new Map<string, number>();
  for (const part of spec.split(',')) {
    const [name, n] = part.trim().split('@');
    if (name) armed.set(name, n ? Number(n) : 1);
  }
  const hits = new Map<string, number>();
  return {
    failpoint(name) {
      const target = armed.get(name);
      if (target === undefined) return;
      const n = (hits.get(name) ?? 0) + 1;
      hits.set(name, n);
      if (n === target) process.kill(process.pid, 'SIGKILL');
    },
  };
}
