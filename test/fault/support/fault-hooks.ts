/**
 * The fault suite's failpoint hooks: from a spec `name[@n],...` (the driver passes it to a child
 * in WEIR_FAILPOINTS), hooks that SIGKILL the process at the n-th hit of each named failpoint.
 * The engine only calls the hooks it is given (ExecutionOptions.faults and the directory
 * storage's `faults`); nothing in it reads the environment.
 */

/** Hooks that kill the process at the armed failpoints; undefined when nothing is armed. */
export function killAtFailpoints(spec: string | undefined): { failpoint(name: string): void } | undefined {
  if (!spec) return undefined;
  const armed = new Map<string, number>();
  for (const part of spec.split(',')) {
    const [name, n] = part.trim().split('@');
    if (name) armed.set(name, n ? Number(n) : 1);
  }
  const hits = new Map<string, number>();
  return {
    failpoint(name: string): void {
      const target = armed.get(name);
      if (target === undefined) return;
      const n = (hits.get(name) ?? 0) + 1;
      hits.set(name, n);
      if (n === target) process.kill(process.pid, 'SIGKILL');
    },
  };
}
