/**
 * The `audit.k8s.io/v1` Policy as weir holds it after parsing: plain, frozen data, each rule with
 * the line it starts on, so that reports and errors can point back into the YAML.
 */
import type { AuditLevel, AuditStage } from '../k8s-audit/audit-event.js';

/**
 * One entry of a rule's `resources`: an API group and, optionally, resources and names in it.
 *
 * @example
 * ```ts
 * const pods: PolicyGroupResources = { group: '', resources: ['pods', 'pods/log'], resourceNames: [] };
 * ```
 */
export interface PolicyGroupResources {
  /** API group name; `''` is the core group, `'*'` every group. */
  readonly group: string;
  /** `'pods'`, `'pods/log'`, `'*'`, `'*\/scale'`, `'pods/*'`; empty: every resource of the group. */
  readonly resources: readonly string[];
  /** Object names; empty: any name. */
  readonly resourceNames: readonly string[];
}

/**
 * One rule of a Policy. Lists left out in the YAML are empty here (an empty list matches all).
 *
 * @example
 * ```ts
 * const rule = policy.rules[0]!;
 * console.log(`rule ${rule.index + 1} (line ${rule.line}): ${rule.level}`);
 * ```
 */
export interface AuditPolicyRule {
  /** Zero-based position in `rules`. */
  readonly index: number;
  /** 1-based line of the rule's `- level:` entry in the YAML (0 when built without YAML). */
  readonly line: number;
  readonly level: AuditLevel;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly PolicyGroupResources[];
  readonly namespaces: readonly string[];
  readonly nonResourceURLs: readonly string[];
  /** The rule's own `omitStages` (the effective set is the union with the policy's). */
  readonly omitStages: readonly AuditStage[];
  /** The rule's own `omitManagedFields`; undefined: the policy's default applies. */
  readonly omitManagedFields: boolean | undefined;
}

/**
 * A whole Policy.
 *
 * @example
 * ```ts
 * const spec: AuditPolicySpec = { omitStages: ['RequestReceived'], omitManagedFields: false, rules: [] };
 * ```
 */
export interface AuditPolicySpec {
  readonly omitStages: readonly AuditStage[];
  readonly omitManagedFields: boolean;
  readonly rules: readonly AuditPolicyRule[];
}

/**
 * What the policy decides for one event, as kube-apiserver's `EvaluatePolicyRule` does.
 *
 * @example
 * ```ts
 * const { level, omitStages, rule } = policy.levelAndStages(event);
 * if (level !== 'None' && !omitStages.includes(event.stage)) store(event);
 * ```
 */
export interface LevelAndStages {
  readonly level: AuditLevel;
  /** The union of the policy's and the matching rule's `omitStages` (the policy's when none matched). */
  readonly omitStages: readonly AuditStage[];
  /** Index of the first matching rule; undefined when no rule matched (level None). */
  readonly rule: number | undefined;
  /** Whether `metadata.managedFields` is dropped from the bodies. */
  readonly omitManagedFields: boolean;
}

/** Levels in order of detail. @example `LEVEL_ORDER.indexOf('Request') > LEVEL_ORDER.indexOf('Metadata')` */
export const LEVEL_ORDER: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
/** Stages in the order kube-apiserver writes them. @example `AUDIT_STAGES.includes(event.stage)` */
export const AUDIT_STAGES: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
