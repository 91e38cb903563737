/**
 * Retention's rule, checked from the outside at every crash and at the end of a schedule: every
 * complete checkpoint (`chk-N` with a manifest) in a checkpoint directory has every file its
 * manifest refers to, its own and the shared ones, at the recorded size. A checkpoint that refers
 * to a deleted file is a dangling reference (retention deleted a file too early).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** The files (relative to the checkpoint) the manifest of `checkpoint` lists, with their sizes; undefined without a readable manifest. */
async function filesOf(checkpoint: string): Promise<Record<string, { bytes: number }> | undefined> {
  for (const name of ['manifest', 'manifest.copy']) {
    try {
      const raw = await fs.readFile(join(checkpoint, name), 'utf8');
      return (JSON.parse(raw.slice(raw.indexOf('\n') + 1)) as { files: Record<string, { bytes: number }> }).files;
    } catch {
      // try the copy
    }
  }
  return undefined;
}

/** Descriptions of the dangling references in `checkpointDir` (empty: none). */
export async function danglingReferences(checkpointDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(checkpointDir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names.filter((x) => /^chk-\d{10}$/.test(x))) {
    const files = await filesOf(join(checkpointDir, n));
    if (files === undefined) continue;
    for (const [file, { bytes }] of Object.entries(files)) {
      const size = await fs.stat(join(checkpointDir, n, file)).then(
        (s) => s.size,
        () => undefined,
      );
      if (size !== bytes) out.push(`${n} refers to ${file}, which is ${size === undefined ? 'gone' : `${size} bytes, not ${bytes}`}`);
    }
  }
  return out;
}
