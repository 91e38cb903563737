/**
 * `AuditPolicy`: an `audit.k8s.io/v1` Policy read from YAML and evaluated exactly as
 * kube-apiserver evaluates `--audit-policy-file`: the rules in order, the first that matches
 * decides the level; no match is level `None`; the stages left out are the union of the policy's
 * and the rule's `omitStages`. See `rule-matcher.ts` for the matching of each field.
 *
 * Example (the seed's policy, corrected): a `get` of `pods/log` by alice skips rule 1 (`pods` is
 * not `pods/log`) and matches rule 2 (`pods/log`, `pods/status`): level Metadata, and its
 * RequestReceived event is left out (policy-wide `omitStages`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@weir/core';
import type { AuditEvent, AuditStage } from '../k8s-audit/audit-event.js';
import { eventAtLevel } from './event-at-level.js';
import type { PolicyIssue } from './policy-error.js';
import { type AuditPolicyParseOptions, parsePolicy } from './policy-parser.js';
import type { AuditPolicyRule, AuditPolicySpec, LevelAndStages } from './policy-types.js';
import { type RequestAttributes, requestAttributesOf, ruleMatches } from './rule-matcher.js';

/**
 * A parsed, validated audit Policy.
 *
 * @example
 * ```ts
 * const policy = AuditPolicy.fromFile('/etc/kubernetes/audit-policy.yaml');
 * const kept = env.fromSource(new K8sAuditSource('/var/log/kube-audit.log'))
 *   .flatMap((e: AuditEvent, out: Collector<AuditEvent>) => { const r = policy.apply(e); if (r) out.collect(r); });
 * ```
 */
export class AuditPolicy {
  readonly rules: readonly AuditPolicyRule[];
  /** The policy-wide `omitStages`. */
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
  /** Unknown fields ignored with `{ unknownFields: 'warn' }`, with their lines. */
  readonly warnings: readonly PolicyIssue[];
  private readonly decisions: readonly LevelAndStages[];
  private readonly noMatch: LevelAndStages;

  private constructor(spec: AuditPolicySpec, warnings: readonly PolicyIssue[]) {
    this.rules = Object.freeze(spec.rules.map((r) => Object.freeze({ ...r })));
    this.omitStages = Object.freeze([...spec.omitStages]);
    this.omitManagedFields = spec.omitManagedFields;
    this.warnings = Object.freeze([...warnings]);
    // What each rule decides is fixed once parsed (apiserver's NewPolicyRuleEvaluator does the
    // same union up front), so evaluating an event allocates nothing.
    this.decisions = this.rules.map((r) =>
      Object.freeze({
        level: r.level,
        omitStages: Object.freeze(union(spec.omitStages, r.omitStages)),
        rule: r.index,
        omitManagedFields: r.omitManagedFields ?? spec.omitManagedFields,
      }),
    );
    this.noMatch = Object.freeze({ level: 'None', omitStages: this.omitStages, rule: undefined, omitManagedFields: spec.omitManagedFields });
  }

  /**
   * Parses a Policy from YAML text. Throws {@link AuditPolicyError} (a `ConfigError`) listing
   * every problem with its line: syntax, duplicate keys, unknown fields, wrong types, unknown
   * levels or stages, and what kube-apiserver's validation refuses.
   *
   * @example
   * ```ts
   * const policy = AuditPolicy.parse(`
   * apiVersion: audit.k8s.io/v1
   * kind: Policy
   * rules:
   *   - level: Metadata
   * `);
   * ```
   */
  static parse(yamlText: string, options: AuditPolicyParseOptions = {}): AuditPolicy {
    if (typeof yamlText !== 'string') throw new ConfigError('AuditPolicy.parse takes the YAML text of a Policy');
    const { spec, warnings } = parsePolicy(yamlText, options);
    return new AuditPolicy(spec, warnings);
  }

  /**
   * Reads and parses a Policy file (errors name the file and the line).
   *
   * @example
   * ```ts
   * const policy = AuditPolicy.fromFile('examples/k8s-audit/audit-policy.yaml');
   * ```
   */
  static fromFile(path: string, options: Omit<AuditPolicyParseOptions, 'file'> = {}): AuditPolicy {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read audit policy ${path}: ${(e as Error).message}`, { cause: e });
    }
    return AuditPolicy.parse(text, { ...options, file: path });
  }

  /**
   * The level and left-out stages for an event (kube-apiserver's `EvaluatePolicyRule`), with the
   * index of the rule that decided (undefined: no rule matched, level None).
   *
   * @example
   * ```ts
   * const { level, omitStages, rule } = policy.levelAndStages(event);
   * ```
   */
  levelAndStages(event: AuditEvent): LevelAndStages {
    return this.evaluate(requestAttributesOf(event));
  }

  /**
   * The same decision for request attributes (for callers that have no Event).
   *
   * @example
   * ```ts
   * policy.evaluate({ user: { name: 'alice', groups: [] }, verb: 'get', resourceRequest: false,
   *   namespace: '', apiGroup: '', resource: '', subresource: '', name: '', path: '/healthz' });
   * ```
   */
  evaluate(attributes: RequestAttributes): LevelAndStages {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) if (ruleMatches(rules[i]!, attributes)) return this.decisions[i]!;
    return this.noMatch;
  }

  /**
   * The event as kube-apiserver would log it under this policy, or null when it would not log
   * it (level None, or the event's stage is omitted). Metadata drops `requestObject` and
   * `responseObject`, Request drops `responseObject`; `level` is set to the rule's level (or
   * kept, when the event was recorded at a lower one: bodies are never invented). Never adds a
   * field; the input is not changed.
   *
   * @example
   * ```ts
   * const logged = policy.apply(event);
   * if (logged !== null) writer.writeEvent(logged.objectRef?.namespace ?? '', logged);
   * ```
   */
  apply(event: AuditEvent): AuditEvent | null {
    const d = this.levelAndStages(event);
    if (d.level === 'None' || d.omitStages.includes(event.stage)) return null;
    return eventAtLevel(event, d.level, d.omitManagedFields);
  }

  /**
   * A label for a rule in reports: `rule 3 (line 21, None)`, or `no rule (None)`.
   *
   * @example
   * ```ts
   * console.log(policy.describeRule(policy.levelAndStages(event).rule));
   * ```
   */
  describeRule(index: number | undefined): string {
    if (index === undefined) return 'no rule (None)';
    const r = this.rules[index];
    if (r === undefined) throw new RangeError(`the policy has ${this.rules.length} rules, not ${index + 1}`);
    return `rule ${index + 1} (${r.line > 0 ? `line ${r.line}, ` : ''}${r.level})`;
  }
}

function union(a: readonly AuditStage[], b: readonly AuditStage[]): AuditStage[] {
  const out = [...a];
  for (const s of b) if (!out.includes(s)) out.push(s);
  return out;
}
