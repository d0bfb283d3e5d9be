/**
 * The shape of a check rule. A rule is a pure function over one synthesized Terraform resource
 * (its type, its resolved JSON body and its construct path) and the facts of the environment;
 * it returns what it finds, and the `Checks` aspect turns that into messages, validations and
 * warnings. Rules read the raw provider resources, so they also catch resources written with the
 * provider classes directly.
 */
import type { Tier } from "../core/context";
import type { StackView } from "./stack-view";
import type { CheckedResource } from "./checked-resource";

export type { CheckedResource };

export type Severity = "error" | "warning";

/** What a rule knows of the environment the stack deploys to. */
export interface CheckEnvironment {
  /**
   * The tier of `Checks.apply`, else of the stack (`StackDefaults`, `EnvironmentStack`).
   * @default - `Checks.apply`'s, else the stack's (`StackDefaults`); none means not prod
   */
  readonly tier?: Tier | undefined;
  /** May services allow unauthenticated calls? `false` unless the environment says so. */
  readonly allowPublic: boolean;
}

/** What a rule sees besides the resource. */
export interface RuleContext {
  readonly env: CheckEnvironment;
  /** Every checked resource of the stack, for rules that relate resources (IAM to service). */
  readonly stack: StackView;
}

/** One problem found by a rule: a prop of a resource, its value, why and how to fix. */
export interface RuleFinding {
  /** Terraform attribute path, e.g. `template.containers[0].image`. */
  readonly prop: string;
  readonly value: unknown;
  /** Why the value is a problem here (no trailing dot). */
  readonly why: string;
  /** How to fix it (no trailing dot). */
  readonly fix: string;
  /** @default - the rule's severity */
  readonly severity?: Severity | undefined;
}

export interface Rule {
  /** Stable id, e.g. `CHECK_PUBLIC_SERVICE`; never changes once shipped. */
  readonly id: string;
  /** The usual severity; a rule may raise or lower it per finding (e.g. by tier). */
  readonly severity: Severity;
  /** Why the rule exists, in one or two sentences (docs/checks.md, `Checks.rules`). */
  readonly explanation: string;
  /** How to comply, in one sentence. */
  readonly fix: string;
  /** Terraform types the rule reads. */
  readonly appliesTo: (type: string) => boolean;
  check(resource: CheckedResource, context: RuleContext): RuleFinding[];
}
