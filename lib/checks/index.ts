/**
 * The check rule pack, cdk-nag style: `Checks.apply(stack)` adds a cdktf Aspect that runs every
 * rule (`./rules`, one per file) over the stack's synthesized resources at synth time.
 *
 * - Errors become `node.addValidation` errors on the resource, so one synth fails with one
 *   message listing every finding as `[construct path] RULE_ID: message`.
 * - Warnings print to stderr, once per finding per synth, and do not fail (not under Jest, where
 *   tests read `Checks.report`; `printReport` decides either way).
 * - `Checks.suppress(construct, "RULE_ID", "reason")` silences a rule on a construct and its
 *   children; the reason must be at least 10 characters. Suppressions print with the warnings
 *   and land in `cdk.tf.json` under `"//".checks`, so reviews see them.
 * - `Checks.report(stack)` / `Checks.findings(stack)` give the same results to tests and tools.
 */
import { IConstruct } from "constructs";
import {
  Aspects,
  DefaultTokenResolver,
  IAspect,
  Lazy,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
import { Tier, workloadDefaults } from "../core/context";
import { show } from "../core/errors";
import type { CheckEnvironment, CheckedResource, Rule, Severity } from "./rule";
import { RULES } from "./rules";
import { StackView, isContextType } from "./stack-view";

export type {
  CheckEnvironment,
  CheckedResource,
  Rule,
  RuleContext,
  RuleFinding,
  Severity,
} from "./rule";

export interface ChecksOptions {
  /**
   * The tier the rules assume (prod makes some findings errors).
   * @default - the stack's tier (`StackDefaults.set`; `EnvironmentStack` sets the environment's); none (not prod) otherwise
   */
  readonly tier?: Tier | undefined;
  /**
   * May services allow unauthenticated calls?
   * @default - the stack's allowPublic (`StackDefaults.set`; `EnvironmentStack` sets the environment's); false otherwise
   */
  readonly allowPublic?: boolean | undefined;
  /**
   * Report every warning as an error, so synth fails on it.
   * @default false
   */
  readonly warningsAsErrors?: boolean | undefined;
  /**
   * Print the warnings and suppressions to stderr at synth.
   * @default - true, except under Jest (`JEST_WORKER_ID` set), where tests assert on
   * `Checks.report(stack)` and a printed report would only clutter the test output
   */
  readonly printReport?: boolean | undefined;
}

/** One problem found in a stack. */
export interface Finding {
  /** Rule id, e.g. `CHECK_PUBLIC_SERVICE`; `CHECK_SUPPRESSION` for a bad suppression. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** Construct path of the resource (or of the construct that holds a bad suppression). */
  readonly path: string;
  /**
   * Terraform address of the resource, e.g. `google_cloud_run_v2_service.api_Resource_1A2B3C4D`.
   * @default - none: the finding is not about one resource (a suppression's own finding)
   */
  readonly address?: string | undefined;
  /** Terraform attribute at fault, e.g. `template.containers[0].image`. */
  readonly prop: string;
  readonly value: unknown;
  /** `RULE_ID: prop is VALUE; why. fix.` */
  readonly message: string;
}

/** A finding a suppression silenced. */
export interface SuppressedFinding extends Finding {
  /** The construct that carries the suppression, and its reason. */
  readonly suppressedBy: { readonly path: string; readonly reason: string };
}

/** A `Checks.suppress` call, as reported. */
export interface SuppressionInfo {
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
  /** False when the reason is too short or the rule unknown (the suppression then does nothing). */
  readonly valid: boolean;
  /** How many findings it silenced. */
  readonly suppressed: number;
}

export interface ChecksReport {
  /** Every finding not suppressed, errors and warnings, in construct order. */
  readonly findings: readonly Finding[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly suppressions: readonly SuppressionInfo[];
}

/** Id of the findings about suppressions themselves (a short reason, an unknown rule). */
export const SUPPRESSION_RULE_ID = "CHECK_SUPPRESSION";
/** The shortest reason a suppression accepts. */
export const MIN_REASON_LENGTH = 10;

interface SuppressionEntry {
  readonly scope: IConstruct;
  readonly ruleId: string;
  readonly reason: string;
  readonly valid: boolean;
}

/** A report plus, for each finding, the construct it is about (where its validation lives). */
interface Analysis {
  readonly report: ChecksReport;
  readonly errorsByConstruct: Map<IConstruct, string[]>;
  printed: boolean;
}

const APPLIED = new WeakMap<TerraformStack, ChecksOptions>();
const SUPPRESSIONS = new WeakMap<IConstruct, SuppressionEntry[]>();
const STACK_SUPPRESSIONS = new WeakMap<TerraformStack, SuppressionEntry[]>();
const CACHE = new WeakMap<TerraformStack, Analysis>();
/** Constructs that already carry the checks validation (aspects run again at every synth). */
const VALIDATED = new WeakSet<IConstruct>();
const RESOLVER = new DefaultTokenResolver(new StringConcat());

export class Checks {
  /** Every rule of the pack. */
  static readonly rules: readonly Rule[] = RULES;

  /**
   * Runs the rule pack over `stack` at every synth: errors fail the synth, warnings print.
   * `EnvironmentStack` applies it always; call it for any other stack. Calling it again updates
   * the options.
   */
  static apply(stack: TerraformStack, options: ChecksOptions = {}): void {
    const previous = APPLIED.get(stack);
    APPLIED.set(stack, { ...previous, ...options });
    if (previous) return;
    Aspects.of(stack).add(new ChecksAspect(stack));
    stack.node.addValidation({ validate: () => stackValidation(stack) });
  }

  /**
   * Silences `ruleId` on `scope` and everything below it. `reason` is for the reviewer: why the
   * rule does not apply here (at least 10 characters, or the suppression is itself an error).
   *
   * ```ts
   * Checks.suppress(api, "CHECK_INGRESS_ALL", "Called by partners over the internet; IAM-authenticated.");
   * ```
   */
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    const stack = TerraformStack.of(scope);
    const text = typeof reason === "string" ? reason.trim() : "";
    const entry: SuppressionEntry = {
      scope,
      ruleId,
      reason: text,
      valid: text.length >= MIN_REASON_LENGTH && RULES.some((r) => r.id === ruleId),
    };
    const own = (SUPPRESSIONS.get(scope) ?? []).filter((e) => e.ruleId !== ruleId);
    SUPPRESSIONS.set(scope, [...own, entry]);
    const inStack = STACK_SUPPRESSIONS.get(stack);
    if (inStack) {
      const i = inStack.findIndex((e) => e.scope === scope && e.ruleId === ruleId);
      if (i >= 0) inStack[i] = entry;
      else inStack.push(entry);
    } else {
      STACK_SUPPRESSIONS.set(stack, [entry]);
      // Reviews see suppressions in cdk.tf.json, next to cdktf's own metadata.
      stack.addOverride(
        "//.checks",
        Lazy.anyValue({ produce: () => ({ suppressions: analysisOf(stack).report.suppressions }) }),
      );
    }
  }

  /** Runs every rule over `stack` now (with the options given to `apply`, if any). */
  static report(stack: TerraformStack): ChecksReport {
    return analyze(stack).report;
  }

  /** The findings of `stack` that are not suppressed (errors and warnings). */
  static findings(stack: TerraformStack): readonly Finding[] {
    return Checks.report(stack).findings;
  }

  /** A finding as synth prints it: `[construct path] RULE_ID: message`. */
  static format(finding: Finding): string {
    return `[${finding.path}] ${finding.message}`;
  }
}

/** Adds the checks validation to every resource, and to every construct holding a suppression. */
class ChecksAspect implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  visit(node: IConstruct): void {
    if (node === this.stack) {
      // A new synth: the tree may have changed since the last one.
      CACHE.delete(this.stack);
      return;
    }
    if (VALIDATED.has(node)) return;
    if (!TerraformResource.isTerraformResource(node) && !SUPPRESSIONS.has(node)) return;
    VALIDATED.add(node);
    const stack = this.stack;
    node.node.addValidation({
      validate: () => analysisOf(stack).errorsByConstruct.get(node) ?? [],
    });
  }
}

/** The stack's own validation: prints warnings and suppressions; errors no construct reports. */
function stackValidation(stack: TerraformStack): string[] {
  const analysis = analysisOf(stack);
  if (!analysis.printed) {
    analysis.printed = true;
    const text = printsReport(stack) ? printable(stack, analysis.report) : "";
    if (text) process.stderr.write(text);
  }
  const orphans: string[] = [];
  for (const [construct, messages] of analysis.errorsByConstruct) {
    if (!VALIDATED.has(construct) || construct === stack)
      orphans.push(
        ...messages.map((m) => (construct === stack ? m : `[${construct.node.path}] ${m}`)),
      );
  }
  return orphans;
}

/** The stack's `printReport` option, else: print unless running under Jest. */
function printsReport(stack: TerraformStack): boolean {
  return APPLIED.get(stack)?.printReport ?? process.env.JEST_WORKER_ID === undefined;
}

function printable(stack: TerraformStack, report: ChecksReport): string {
  const lines = [
    ...report.warnings.map((f) => `  warning ${Checks.format(f)}`),
    ...report.suppressions
      .filter((s) => s.valid)
      .map(
        (s) =>
          `  suppressed ${s.ruleId} on [${s.path}] (${s.suppressed} finding${s.suppressed === 1 ? "" : "s"}): ${s.reason}`,
      ),
  ];
  if (lines.length === 0) return "";
  const w = report.warnings.length;
  const s = report.suppressed.length;
  return `Checks of stack ${stack.node.id}: ${w} warning${w === 1 ? "" : "s"}, ${s} suppressed finding${s === 1 ? "" : "s"}\n${lines.join("\n")}\n`;
}

/** The analysis of the current synth, computed once. */
function analysisOf(stack: TerraformStack): Analysis {
  let analysis = CACHE.get(stack);
  if (!analysis) CACHE.set(stack, (analysis = analyze(stack)));
  return analysis;
}

function environmentOf(stack: TerraformStack): CheckEnvironment & { warningsAsErrors: boolean } {
  const options = APPLIED.get(stack) ?? {};
  const defaults = workloadDefaults(stack);
  return {
    tier: options.tier ?? defaults.tier,
    allowPublic: options.allowPublic ?? defaults.allowPublic ?? false,
    warningsAsErrors: options.warningsAsErrors ?? false,
  };
}

interface Located {
  readonly finding: Finding;
  readonly construct: IConstruct;
}

function analyze(stack: TerraformStack): Analysis {
  const env = environmentOf(stack);
  const checked: Array<{ construct: TerraformResource; resource: CheckedResource; rules: Rule[] }> =
    [];
  const all: CheckedResource[] = [];
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    const type = node.terraformResourceType;
    const rules = RULES.filter((r) => r.appliesTo(type));
    if (rules.length === 0 && !isContextType(type)) continue;
    const config = resolvedBody(stack, node);
    if (!config) continue;
    const resource: CheckedResource = {
      type,
      address: `${type}.${node.friendlyUniqueId}`,
      path: node.node.path,
      config,
    };
    all.push(resource);
    if (rules.length > 0) checked.push({ construct: node, resource, rules });
  }

  const view = new StackView(all);
  const located: Located[] = [];
  for (const { construct, resource, rules } of checked) {
    for (const rule of rules) {
      for (const f of rule.check(resource, { env, stack: view })) {
        const severity = f.severity ?? rule.severity;
        located.push({
          construct,
          finding: {
            ruleId: rule.id,
            severity: severity === "warning" && env.warningsAsErrors ? "error" : severity,
            path: resource.path,
            address: resource.address,
            prop: f.prop,
            value: f.value,
            message: message(rule.id, f.prop, f.value, f.why, f.fix),
          },
        });
      }
    }
  }

  const entries = STACK_SUPPRESSIONS.get(stack) ?? [];
  for (const e of entries) {
    const bad = suppressionProblem(e);
    if (bad) located.push({ construct: e.scope, finding: bad });
  }

  const counts = new Map<SuppressionEntry, number>();
  const active: Located[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const l of located) {
    const by = l.finding.ruleId === SUPPRESSION_RULE_ID ? undefined : suppressionFor(l);
    if (by) {
      counts.set(by, (counts.get(by) ?? 0) + 1);
      suppressed.push({
        ...l.finding,
        suppressedBy: { path: by.scope.node.path, reason: by.reason },
      });
    } else active.push(l);
  }

  const errorsByConstruct = new Map<IConstruct, string[]>();
  for (const l of active) {
    if (l.finding.severity !== "error") continue;
    const list = errorsByConstruct.get(l.construct) ?? [];
    list.push(l.finding.message);
    errorsByConstruct.set(l.construct, list);
  }
  const findings = active.map((l) => l.finding);
  return {
    printed: false,
    errorsByConstruct,
    report: {
      findings,
      errors: findings.filter((f) => f.severity === "error"),
      warnings: findings.filter((f) => f.severity === "warning"),
      suppressed,
      suppressions: entries.map((e) => ({
        path: e.scope.node.path,
        ruleId: e.ruleId,
        reason: e.reason,
        valid: e.valid,
        suppressed: counts.get(e) ?? 0,
      })),
    },
  };
}

/** The nearest valid suppression of the finding's rule on its construct or a parent. */
function suppressionFor(l: Located): SuppressionEntry | undefined {
  const scopes = l.construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const found = SUPPRESSIONS.get(scopes[i])?.find(
      (e) => e.valid && e.ruleId === l.finding.ruleId,
    );
    if (found) return found;
  }
  return undefined;
}

function suppressionProblem(e: SuppressionEntry): Finding | undefined {
  const path = e.scope.node.path;
  const base = { ruleId: SUPPRESSION_RULE_ID, severity: "error" as const, path };
  if (!RULES.some((r) => r.id === e.ruleId)) {
    // Rule ids were CR_* before 0.1.0 gave them their own prefix; say what the id is now.
    const renamed = /^CR_/.test(e.ruleId) ? e.ruleId.replace(/^CR_/, "CHECK_") : undefined;
    const now = renamed && RULES.some((r) => r.id === renamed) ? renamed : undefined;
    return {
      ...base,
      prop: "ruleId",
      value: e.ruleId,
      message: message(
        SUPPRESSION_RULE_ID,
        "ruleId",
        e.ruleId,
        now
          ? `check rule ids start with CHECK_ (CR_ is for construct errors); this rule is ${now}`
          : `no check rule has this id (rules: ${RULES.map((r) => r.id).join(", ")})`,
        now ? `Suppress ${now}` : "Use the id printed in the finding",
      ),
    };
  }
  if (e.reason.length < MIN_REASON_LENGTH) {
    return {
      ...base,
      prop: `reason for ${e.ruleId}`,
      value: e.reason,
      message: message(
        SUPPRESSION_RULE_ID,
        `reason for ${e.ruleId}`,
        e.reason,
        `a suppression needs a reason of at least ${MIN_REASON_LENGTH} characters that a reviewer can judge`,
        "Write why the rule does not apply here",
      ),
    };
  }
  return undefined;
}

/** `RULE_ID: prop is VALUE; why. fix.` (the library's message shape, the path printed before it). */
function message(id: string, prop: string, value: unknown, why: string, fix: string): string {
  return `${id}: ${prop} is ${show(value)}; ${trimDot(why)}. ${trimDot(fix)}.`;
}

function trimDot(s: string): string {
  return s.replace(/[.\s]+$/, "");
}

/** The resource's body in the Terraform JSON, references resolved to `${…}`, metadata removed. */
function resolvedBody(
  stack: TerraformStack,
  resource: TerraformResource,
): Record<string, unknown> | undefined {
  const tf = resolveTokens(stack, resource.toTerraform()) as {
    resource?: Record<string, Record<string, Record<string, unknown>>> | undefined;
  };
  const byId = tf.resource?.[resource.terraformResourceType];
  const body = byId ? Object.values(byId)[0] : undefined;
  if (!body) return undefined;
  const config = { ...body };
  delete config["//"];
  return config;
}

/**
 * Resolves the tokens in `value` as synth does, but hands only the token-bearing parts to cdktf's
 * resolver: most of a resource is plain data, and resolving all of it would double synth time.
 */
function resolveTokens(stack: TerraformStack, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "string" || typeof value === "number")
    return Token.isUnresolved(value) ? resolveAll(stack, value) : value;
  if (typeof value !== "object") return value;
  if (Tokenization.isResolvable(value)) return resolveAll(stack, value);
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) return resolveAll(stack, value);
    return value.map((v) => resolveTokens(stack, v)).filter((v) => v !== undefined);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const resolved = resolveTokens(stack, v);
    if (resolved !== undefined) out[k] = resolved;
  }
  return out;
}

function resolveAll(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
}
