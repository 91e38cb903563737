/**
 * A small typed reader over a `yaml` document: it walks mappings and lists, reports every problem
 * with its line and column (via the document's LineCounter), and never throws. Duplicate keys
 * are found here rather than taken from the yaml package's `DUPLICATE_KEY` error, so the message
 * can name the key, the path and the first occurrence.
 * @internal
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { PolicyIssue } from './policy-error.js';

/** A field of a mapping: its value node (null for `key:` with nothing after) and its key node. */
export interface Field {
  readonly key: Node;
  readonly value: Node | null;
}

export class YamlReader {
  readonly issues: PolicyIssue[] = [];
  readonly warnings: PolicyIssue[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly unknownFields: 'error' | 'warn',
  ) {}

  /** Records a problem at a node (its first character). */
  problem(node: Node | null | undefined, path: string, message: string, warning = false): void {
    const { line, column } = this.position(node);
    (warning ? this.warnings : this.issues).push({ line, column, path, message });
  }

  position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 0, column: 0 };
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /** Follows an alias (`*name`) to its anchor. */
  resolve(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node as Node;
  }

  /** True for an absent value, `~` or `null`: kube-apiserver decodes those as the zero value. */
  isNull(node: Node | null): boolean {
    return node === null || (isScalar(node) && node.value === null);
  }

  /**
   * The fields of a mapping, by key. Unknown keys (not in `known`) and duplicate keys are
   * reported; for a duplicate, the first occurrence is kept so the rest of the checks still run.
   */
  fields(node: Node | null, path: string, known: readonly string[], hint?: DuplicateHint): Map<string, Field> | undefined {
    if (!isMap(node)) {
      this.problem(node, path, `expected a mapping (key: value lines), got ${describe(node)}`);
      return undefined;
    }
    const out = new Map<string, Field>();
    for (const pair of node.items as Pair<unknown, unknown>[]) {
      const key = this.resolve(pair.key);
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.problem(key, path, `expected a field name, got ${describe(key)}`);
        continue;
      }
      const name = key.value;
      const value = this.resolve(pair.value);
      const first = out.get(name);
      if (first !== undefined) {
        const at = this.position(first.key);
        const extra = hint?.(name, first, { key, value }, (n) => this.position(n).line) ?? '';
        this.problem(key, `${path}.${name}`, `duplicate key "${name}" (first at line ${at.line}): each key may appear once in a mapping; weir will not guess which one you meant${extra ? `. ${extra}` : ''}`);
        continue;
      }
      if (!known.includes(name)) {
        const message = `unknown field "${name}" (known: ${known.join(', ')})`;
        if (this.unknownFields === 'warn') this.problem(key, path, `${message}; ignored, as kube-apiserver's lenient decoding does`, true);
        else this.problem(key, path, `${message}; kube-apiserver would only warn and ignore it, which changes what the rule matches, so weir refuses it (parse with { unknownFields: 'warn' } to accept)`);
        continue;
      }
      out.set(name, { key, value });
    }
    return out;
  }

  /** A string scalar (undefined, with a problem recorded, when it is anything else). */
  string(node: Node | null, path: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.problem(node, path, `expected a string, got ${describe(node)}`);
    return undefined;
  }

  /** A list of strings; null or absent is the empty list. */
  stringList(node: Node | null, path: string): string[] {
    if (this.isNull(node)) return [];
    if (!isSeq(node)) {
      this.problem(node, path, `expected a list of strings, got ${describe(node)}`);
      return [];
    }
    const out: string[] = [];
    node.items.forEach((item, i) => {
      const s = this.string(this.resolve(item), `${path}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /** The items of a list; null or absent is the empty list. */
  list(node: Node | null, path: string, what: string): (Node | null)[] {
    if (this.isNull(node)) return [];
    if (!isSeq(node)) {
      this.problem(node, path, `expected a list of ${what}, got ${describe(node)}`);
      return [];
    }
    return node.items.map((i) => this.resolve(i));
  }

  boolean(node: Node | null, path: string): boolean | undefined {
    if (this.isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node, path, `expected true or false, got ${describe(node)}`);
    return undefined;
  }
}

/** Extra words for a duplicate key: (key name, first field, second field, line of a node) => hint or ''. */
export type DuplicateHint = (name: string, first: Field, second: Field, lineOf: (node: Node) => number) => string;

/** How a node reads to a person: `a list`, `a number (1)`, `a mapping`, `nothing`. */
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `a string (${JSON.stringify(v)})`;
    return `a ${typeof v === 'bigint' ? 'number' : typeof v} (${String(v)})`;
  }
  return 'an unsupported YAML node';
}
