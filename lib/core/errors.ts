/**
 * Every configuration problem this library reports is built here, by a named factory with a
 * stable code. A message names the construct path, the prop, the value received, what is
 * allowed and how to fix it:
 *
 *   CR_JOB_MAX_RETRIES: [prod/report] maxRetries is 12; Cloud Run allows 0–10 retries per task. Lower maxRetries.
 *
 * Single-prop problems are collected per construct and thrown together at the end of its
 * constructor (`Problems.throwIfAny`); cross-prop problems go to `node.addValidation`
 * (`Problems.validateLater`), so one synth lists them all.
 */
import { IConstruct } from "constructs";

type Scope = IConstruct | string;

export interface Problem {
  /** Stable code, e.g. `CR_JOB_MAX_RETRIES`. */
  readonly code: string;
  /** Construct path, e.g. `prod/report`. */
  readonly path: string;
  /** The prop (or key path) at fault, e.g. `maxRetries`, `env.PORT`. */
  readonly prop: string;
  readonly value: unknown;
  /** The whole one-line message. */
  readonly message: string;
}

/** Thrown for invalid configuration. `main.ts` prints its message without a stack trace. */
export class ConfigError extends Error {
  public readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[], header?: string) {
    const lines = problems.map((p) => `  - ${p.message}`);
    super(
      `${header ?? `${problems.length} configuration problem${problems.length === 1 ? "" : "s"}`}:\n${lines.join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Renders a received value for a message: strings quoted, long values cut. */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (value === undefined) text = "not set";
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The construct path used in messages: the path without the App's empty root. */
export function pathOf(scope: IConstruct): string {
  return scope.node.path || scope.node.id || "<app>";
}

/**
 * The one message shape: `CODE: [path] prop is VALUE; RULE. FIX.`
 * `rule` says what is allowed, `fix` how to fix it.
 */
export function problem(
  code: string,
  scope: IConstruct | string,
  prop: string,
  value: unknown,
  rule: string,
  fix: string,
): Problem {
  const path = typeof scope === "string" ? scope : pathOf(scope);
  const message = `${code}: [${path}] ${prop} is ${show(value)}; ${trimDot(rule)}. ${trimDot(fix)}.`;
  return { code, path, prop, value, message };
}

function trimDot(s: string): string {
  return s.replace(/[.\s]+$/, "");
}

/** Collects the problems of one construct. */
export class Problems {
  private readonly now: Problem[] = [];
  constructor(private readonly scope: IConstruct) {}

  add(p: Problem | undefined): void {
    if (p) this.now.push(p);
  }

  get count(): number {
    return this.now.length;
  }

  /** Throws one `ConfigError` listing every problem added so far. */
  throwIfAny(): void {
    if (this.now.length > 0)
      throw new ConfigError(this.now.splice(0), `${pathOf(this.scope)} is misconfigured`);
  }

  /**
   * Registers a validation that runs at synth (cdktf `node.addValidation`): cross-prop rules,
   * so one synth lists every construct's problems together.
   */
  validateLater(check: () => Array<Problem | undefined>): void {
    this.scope.node.addValidation({
      validate: () =>
        check()
          .filter((p): p is Problem => p !== undefined)
          .map((p) => p.message),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Named factories. Each construct family keeps its own section; codes never change once shipped.
// ---------------------------------------------------------------------------------------------

// --- shared (all workloads) ---
export const errors = {
  tokenNotAllowed: (scope: IConstruct | string, prop: string) =>
    problem(
      "CR_UNRESOLVED",
      scope,
      prop,
      "<unresolved token>",
      `${prop} must be known at synth time`,
      `Pass a literal value for ${prop}`,
    ),
  range: (
    code: string,
    scope: IConstruct | string,
    prop: string,
    value: unknown,
    min: number,
    max: number,
    what: string,
  ) =>
    problem(
      code,
      scope,
      prop,
      value,
      `Cloud Run allows ${min}–${max.toLocaleString("en-US")} ${what}`,
      `Set ${prop} between ${min} and ${max}`,
    ),
  enumValue: (
    code: string,
    scope: IConstruct | string,
    prop: string,
    value: unknown,
    allowed: readonly string[],
  ) =>
    problem(
      code,
      scope,
      prop,
      value,
      `allowed values are ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
      `Use one of them`,
    ),
  duration: (scope: IConstruct | string, prop: string, value: unknown) =>
    problem(
      "CR_DURATION",
      scope,
      prop,
      value,
      `a duration is a number of seconds or gcloud's form: "300s", "10m", "1h30m", "2h"`,
      `Write ${prop} as e.g. "300s" or "10m"`,
    ),
  quantity: (scope: IConstruct | string, prop: string, value: unknown, example: string) =>
    problem(
      "CR_QUANTITY",
      scope,
      prop,
      value,
      `a size is a Kubernetes quantity such as ${example}`,
      `Write ${prop} as e.g. ${example}`,
    ),
  imageRef: (scope: IConstruct | string, prop: string, value: unknown, why: string) =>
    problem(
      "CR_IMAGE_REF",
      scope,
      prop,
      value,
      `${why}; an image reference is [REGISTRY/]PATH[:TAG][@sha256:<64 hex>]`,
      `Use e.g. "us-docker.pkg.dev/PROJECT/REPO/app@sha256:…"`,
    ),
  region: (scope: IConstruct | string) =>
    problem(
      "CR_REGION_REQUIRED",
      scope,
      "region",
      undefined,
      "a Cloud Run resource needs a region and none was found on the construct, the environment or the Google provider",
      `Pass region (e.g. "us-central1") or set region on the GoogleProvider`,
    ),
  name: (scope: IConstruct | string, prop: string, value: unknown, max: number) =>
    problem(
      "CR_NAME",
      scope,
      prop,
      value,
      `a name is 1–${max} lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
      `Pass a valid name (construct ids such as "Api" are lower-cased for you; set name explicitly otherwise)`,
    ),
  stackDefaultsTier: (scope: Scope, value: unknown, tiers: readonly string[]) =>
    problem(
      "CR_STACK_DEFAULTS_TIER",
      scope,
      "tier",
      value,
      `the tiers are ${tiers.join(", ")}`,
      "Set tier to one of them",
    ),
  notAList: (scope: Scope, value: unknown, prop: string) =>
    problem("CR_NOT_A_LIST", scope, prop, value, `${prop} is a list`, "Wrap the value in [ ]"),
  unknownNestedProp: (
    scope: Scope,
    value: unknown,
    prop: string,
    k: string,
    fields: Readonly<Record<string, unknown>>,
  ) =>
    problem(
      "CR_UNKNOWN_PROP",
      scope,
      `${prop}.${k}`,
      value,
      `${prop} has no key ${k} (known: ${Object.keys(fields).join(", ")}), so the value would be silently ignored`,
      `Remove ${prop}.${k} or fix its name`,
    ),
  unknownProp: (
    scope: Scope,
    value: unknown,
    k: string,
    types: Readonly<Record<string, unknown>>,
  ) =>
    problem(
      "CR_UNKNOWN_PROP",
      scope,
      k,
      value,
      `there is no prop ${k} (known: ${Object.keys(types).join(", ")}), so the value would be silently ignored`,
      `Remove ${k} or fix its name`,
    ),
};

// --- service ---
// CloudRunService's factories live in service/errors.ts (serviceErrors): codes CR_SERVICE_*, CR_SOURCE_*.

// --- function ---
// CloudRunFunction: `functionErrors` in function/errors.ts (CR_FUNCTION_*). CR_SERVICE_SOURCE, for
// the removed CloudRunService.source, is in service/errors.ts.

// --- job ---
// CloudRunJob: `jobErrors` in job/errors.ts.

// --- worker pool ---
// WorkerPool: `poolErrors` in worker-pool/errors.ts.

// --- iam ---

// --- artifact registry ---
// ArtifactRepository: `artifactErrors` in artifact-repository/errors.ts.

// --- function source ---
// CloudRunFunction's source upload: `sourceErrors` in function/errors.ts (CR_SOURCE_DIRECTORY,
// CR_SOURCE_BUCKET).

// --- environment ---
