/**
 * Validation of `CloudRunFunction` props. Env names, secrets, CPU/memory parsing and labels go
 * through the workload model's shared rules (workload-validation.ts, container-rules.ts); what
 * only functions have (source, target, runtime, connector egress, the HTTP timeout) is here.
 * Limits: https://cloud.google.com/functions/docs/configuring (memory/CPU, concurrency needs at
 * least 1 CPU), provider 6.50 `google_cloudfunctions2_function` schema (service_config,
 * build_config).
 */
import { IConstruct } from "constructs";
import type { CloudRunFunctionProps } from "./function-props";
import { Problem, errors } from "../core/errors";
import { functionErrors } from "./errors";
import { parseCpu, parseMemory, resourceProblems } from "../workload/container-rules";
import { sharedPropFindings, unknownPropFindings } from "../workload/workload-validation";
import { checkRuntime, deployableRuntimes } from "./function-runtimes";
import { GiB, isUnresolved, parseDuration } from "../core/values";

/** `ingress` → `service_config.ingress_settings`. */
export const INGRESS_SETTINGS = {
  all: "ALLOW_ALL",
  internal: "ALLOW_INTERNAL_ONLY",
  "internal-and-cloud-load-balancing": "ALLOW_INTERNAL_AND_GCLB",
} as const;

/** Every prop of a function; the compiler keeps the list complete. */
const FUNCTION_PROP_KEYS: Record<keyof CloudRunFunctionProps, true> = {
  name: true,
  project: true,
  region: true,
  source: true,
  functionTarget: true,
  runtime: true,
  automaticUpdates: true,
  memory: true,
  cpu: true,
  minInstances: true,
  maxInstances: true,
  concurrency: true,
  timeout: true,
  env: true,
  buildEnv: true,
  secrets: true,
  ingress: true,
  allowUnauthenticated: true,
  invokers: true,
  vpcConnector: true,
  vpcEgress: true,
  serviceAccount: true,
  buildServiceAccount: true,
  labels: true,
  description: true,
  deletionProtection: true,
};

/** Env names Cloud Run functions set themselves, beyond a service's K_* (env-var docs, functions section). */
const FUNCTION_RESERVED_ENV = [
  "PORT",
  "FUNCTION_TARGET",
  "FUNCTION_SIGNATURE_TYPE",
  "LOG_EXECUTION_ID",
];

const GS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]\/\S+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONNECTOR =
  /^([a-z][-a-z0-9]{0,23}[a-z0-9]|projects\/[^/]+\/locations\/[^/]+\/connectors\/[a-z][-a-z0-9]{0,23}[a-z0-9])$/;
const EMAIL = /^[^@\s/]+@[^@\s]+\.gserviceaccount\.com$/;
const MAX_TIMEOUT_SECONDS = 3600;

const known = (v: unknown) => v !== undefined && v !== null && !isUnresolved(v);

/** Single-prop problems (thrown in the constructor) and warnings; `today` is `YYYY-MM-DD`. */
export function functionProblems(
  scope: IConstruct,
  props: CloudRunFunctionProps,
  name: string,
  today: string,
): { problems: Problem[]; warnings: string[] } {
  const out: Problem[] = [];
  const warnings: string[] = [];
  const add = (p: Problem | undefined) => p && out.push(p);
  for (const f of unknownPropFindings(scope, props, "", FUNCTION_PROP_KEYS, [], "a function"))
    add(f.problem);

  if (isUnresolved(name)) add(errors.tokenNotAllowed(scope, "name"));
  else if (name.length > 63 || !NAME.test(name)) add(errors.name(scope, "name", name, 63));

  const s = props.source ?? {};
  const given = [s.directory, s.archive].filter((l) => l !== undefined);
  if (given.length !== 1) add(functionErrors.source(scope, props.source));
  else if (known(s.archive) && !GS_URI.test(s.archive!))
    add(functionErrors.archive(scope, s.archive));

  if (!known(props.functionTarget) && !isUnresolved(props.functionTarget))
    add(functionErrors.functionTarget(scope, props.functionTarget));
  else if (known(props.functionTarget) && !IDENTIFIER.test(props.functionTarget))
    add(functionErrors.functionTarget(scope, props.functionTarget));

  if (typeof props.runtime !== "string" || !isUnresolved(props.runtime)) {
    const verdict = checkRuntime(String(props.runtime ?? ""), today);
    if (!verdict.ok)
      add(functionErrors.runtime(scope, props.runtime, verdict.why, deployableRuntimes(today)));
    else if (verdict.warning) warnings.push(`[${scope.node.path}] runtime: ${verdict.warning}.`);
  }

  // Env and secrets: the function's own reserved names here, the rest through the shared rules.
  const reserved = (prop: string, names: string[]) =>
    names.filter((n) => {
      if (!FUNCTION_RESERVED_ENV.includes(n)) return true;
      add(functionErrors.reservedEnv(scope, prop, n));
      return false;
    });
  const envKeys = reserved("env", Object.keys(props.env ?? {}));
  const secretKeys = reserved("secrets", Object.keys(props.secrets ?? {}));
  const pick = <T>(from: Readonly<Record<string, T>> | undefined, keys: string[]) =>
    from ? Object.fromEntries(keys.map((k) => [k, from[k]])) : undefined;
  for (const f of sharedPropFindings(scope, "service", {
    env: pick(props.env, envKeys),
    secrets: pick(props.secrets, secretKeys),
    cpu: props.cpu,
    memory: props.memory,
    labels: props.labels,
  })) {
    add(f.problem);
    if (f.warning) warnings.push(f.warning);
  }
  for (const [k, v] of Object.entries(props.buildEnv ?? {}))
    if (typeof v !== "string")
      add(errors.enumValue("CR_FUNCTION_BUILD_ENV", scope, `buildEnv.${k}`, v, ["a string"]));

  for (const [prop, min] of [
    ["minInstances", 0],
    ["maxInstances", 1],
  ] as const) {
    const v = props[prop];
    if (known(v) && !(Number.isInteger(v) && v! >= min))
      add(functionErrors.instances(scope, prop, v, min));
  }
  if (
    known(props.concurrency) &&
    !(Number.isInteger(props.concurrency) && props.concurrency! >= 1 && props.concurrency! <= 1000)
  )
    add(functionErrors.concurrency(scope, props.concurrency));
  if (known(props.timeout)) {
    const seconds = parseDuration(props.timeout!);
    if (seconds === undefined) add(errors.duration(scope, "timeout", props.timeout));
    else if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS || !Number.isInteger(seconds))
      add(functionErrors.timeout(scope, props.timeout));
  }
  if (props.ingress !== undefined && !(props.ingress in INGRESS_SETTINGS))
    add(
      errors.enumValue(
        "CR_FUNCTION_INGRESS",
        scope,
        "ingress",
        props.ingress,
        Object.keys(INGRESS_SETTINGS),
      ),
    );
  if (props.vpcEgress !== undefined) {
    if (!["all-traffic", "private-ranges-only"].includes(props.vpcEgress))
      add(
        errors.enumValue("CR_VPC_EGRESS", scope, "vpcEgress", props.vpcEgress, [
          "all-traffic",
          "private-ranges-only",
        ]),
      );
    else if (props.vpcConnector === undefined)
      add(functionErrors.vpcEgress(scope, props.vpcEgress));
  }
  if (known(props.vpcConnector) && !CONNECTOR.test(props.vpcConnector!))
    add(functionErrors.vpcConnector(scope, props.vpcConnector));
  for (const prop of ["serviceAccount", "buildServiceAccount"] as const) {
    const v = props[prop];
    if (!known(v)) continue;
    const email = v!
      .replace(/^serviceAccount:/, "")
      .replace(/^projects\/[^/]+\/serviceAccounts\//, "");
    if (!EMAIL.test(email) || (prop === "serviceAccount" && email !== v))
      add(functionErrors.serviceAccount(scope, prop, v));
  }
  if (props.invokers !== undefined && !Array.isArray(props.invokers))
    add(
      errors.enumValue("CR_NOT_A_LIST", scope, "invokers", props.invokers, ["a list of members"]),
    );
  return { problems: out, warnings };
}

/** Problems across props, checked at synth (every construct's together). */
export function functionCrossProblems(scope: IConstruct, props: CloudRunFunctionProps): Problem[] {
  const out: Problem[] = [];
  const min = props.minInstances;
  const max = props.maxInstances;
  if (known(min) && known(max) && Number.isInteger(min) && Number.isInteger(max) && min! > max!)
    out.push(functionErrors.minAboveMax(scope, min!, max!));
  const cpu = parseCpu(scope, "cpu", props.cpu).value;
  const memory = parseMemory(scope, "memory", props.memory).value;
  if (cpu !== undefined && memory !== undefined)
    out.push(
      ...resourceProblems(scope, "", cpu, memory, undefined)
        .map((f) => f.problem)
        .filter((p): p is Problem => p !== undefined),
    );
  if (known(props.concurrency) && props.concurrency! > 1) {
    // Without cpu, Google derives it from memory: below 2Gi that is less than 1 CPU.
    if (cpu !== undefined && cpu < 1)
      out.push(functionErrors.concurrencyCpu(scope, props.concurrency!, String(props.cpu)));
    else if (cpu === undefined && (memory === undefined || memory < 2 * GiB))
      out.push(
        functionErrors.concurrencyCpu(
          scope,
          props.concurrency!,
          `not set (Google derives less than 1 CPU from ${props.memory ?? "the default 256M"} of memory)`,
        ),
      );
  }
  return out;
}
