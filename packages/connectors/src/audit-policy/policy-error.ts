/**
 * The error a bad audit Policy is refused with. It lists every problem found, each with its line,
 * column and the path of the field (`rules[0].resources`), so a person can fix the file in one go.
 */
import { ConfigError } from '@weir/core';

/**
 * One problem in a Policy file.
 *
 * @example
 * ```ts
 * const issue: PolicyIssue = { line: 7, column: 5, path: 'rules[0].resources', message: 'duplicate key "resources"' };
 * ```
 */
export interface PolicyIssue {
  /** 1-based line (0 when the problem is not tied to a place, e.g. an empty file). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Where in the Policy: `rules[2].level`, `omitStages[0]`, `(document)`. */
  readonly path: string;
  readonly message: string;
}

/**
 * A Policy that kube-apiserver would refuse, or that weir refuses because it is ambiguous
 * (duplicate keys, unknown fields). `line`/`column` are those of the first issue.
 *
 * @example
 * ```ts
 * try { AuditPolicy.parse(text); }
 * catch (e) { if (e instanceof AuditPolicyError) for (const i of e.issues) console.error(`line ${i.line}: ${i.message}`); }
 * ```
 */
export class AuditPolicyError extends ConfigError {
  readonly issues: readonly PolicyIssue[];
  readonly line: number;
  readonly column: number;
  /** The file name when read with `AuditPolicy.fromFile`. */
  readonly file: string | undefined;

  constructor(issues: readonly PolicyIssue[], file?: string) {
    super(AuditPolicyError.describe(issues, file));
    this.issues = issues;
    this.line = issues[0]?.line ?? 0;
    this.column = issues[0]?.column ?? 0;
    this.file = file;
  }

  private static describe(issues: readonly PolicyIssue[], file: string | undefined): string {
    const where = file ?? 'audit policy';
    const lines = issues.map((i) => `${where}${i.line > 0 ? `:${i.line}:${i.column}` : ''}: ${i.path}: ${i.message}`);
    const head = issues.length === 1 ? 'invalid audit policy' : `invalid audit policy (${issues.length} problems)`;
    return `${head}:\n  ${lines.join('\n  ')}`;
  }
}
