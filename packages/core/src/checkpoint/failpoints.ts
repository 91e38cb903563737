/**
 * Named failpoints on the commit and restore path, for the fault-injection suite. A failpoint is
 * armed through the environment variable `WEIR_FAILPOINTS` (comma-separated names, each
 * optionally `name@n` to fire on the n-th hit); an armed failpoint kills the process with SIGKILL
 * at that exact point. Costs one property read when unarmed.
 *
 * Names: checkpoint.before-write, checkpoint.after-part, checkpoint.before-rename,
 * checkpoint.after-rename, checkpoint.after-pointer, sink.before-commit, sink.after-commit,
 * restore.after-read, restore.after-recover.
 * @internal
 */
const armed = parse(process.env.WEIR_FAILPOINTS);
const hits = new Map<string, number>();

function parse(spec: string | undefined): Map<string, number> | undefined {
  if (!spec) return undefined;
  const m = new Map<string, number>();
  for (const part of spec.split(',')) {
    const [name, n] = part.trim().split('@');
    if (name) m.set(name, n ? Number(n) : 1);
  }
  return m;
}

/** Kills the process here if this failpoint is armed (and this is the armed hit). */
export function failpoint(name: string): void {
  if (armed === undefined) return;
  const target = armed.get(name);
  if (target === undefined) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  if (n === target) process.kill(process.pid, 'SIGKILL');
}

/**
 * Deliberately broken variants for negative controls (`WEIR_TEST_BROKEN`): proof that the
 * fault driver can detect a wrong implementation. Never set in production.
 */
export function brokenVariant(name: 'commit-before-durable' | 'checkpoint-in-place'): boolean {
  const v = process.env.WEIR_TEST_BROKEN;
  return v !== undefined && v.split(',').includes(name);
}
