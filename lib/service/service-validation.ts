/**
 * Validation rules only services have (constraints §1, §5–§7): port, concurrency, request
 * timeout, scaling, traffic, description, audiences, probes of the ingress container, and the
 * cross-prop rules between CPU, memory, execution environment, volumes, GPU and throttling.
 * Rules shared with jobs and worker pools live in container-rules.ts and workload.ts.
 */
import { IConstruct } from "constructs";
import type { CloudRunServiceProps } from "./service-props";
import { Problem, errors } from "../core/errors";
import { serviceErrors } from "./errors";
import { Finding, parseCpu, parseMemory, probeProblems } from "../workload/container-rules";
import { MiB, isUnresolved, parseDuration } from "../core/values";

export const INGRESS = {
  all: "INGRESS_TRAFFIC_ALL",
  internal: "INGRESS_TRAFFIC_INTERNAL_ONLY",
  "internal-and-cloud-load-balancing": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
} as const;

export const EXECUTION_ENVIRONMENT = {
  gen1: "EXECUTION_ENVIRONMENT_GEN1",
  gen2: "EXECUTION_ENVIRONMENT_GEN2",
} as const;

const MAX_TIMEOUT_SECONDS = 3600;
const TAG = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const known = (v: unknown) => v !== undefined && !isUnresolved(v);
const isWhole = (v: number, min: number) => Number.isInteger(v) && v >= min;

/** Problems of single props, thrown in the constructor. Returns the timeout in seconds. */
export function serviceProblems(
  scope: IConstruct,
  props: CloudRunServiceProps,
): { problems: Problem[]; warnings: string[]; timeoutSeconds?: number | undefined } {
  const out: Problem[] = [];
  const warnings: string[] = [];
  if (
    known(props.port) &&
    !(Number.isInteger(props.port) && props.port! >= 1 && props.port! <= 65535)
  )
    out.push(serviceErrors.port(scope, "port", props.port));
  if (
    known(props.concurrency) &&
    !(Number.isInteger(props.concurrency) && props.concurrency! >= 1 && props.concurrency! <= 1000)
  )
    out.push(serviceErrors.concurrency(scope, props.concurrency));

  let timeoutSeconds: number | undefined;
  if (known(props.timeout)) {
    timeoutSeconds = parseDuration(props.timeout!);
    if (timeoutSeconds === undefined) out.push(errors.duration(scope, "timeout", props.timeout));
    else if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)
      out.push(serviceErrors.timeout(scope, props.timeout));
  }

  if (known(props.minInstances) && !isWhole(props.minInstances!, 0))
    out.push(serviceErrors.instances(scope, "minInstances", props.minInstances, 0));
  if (known(props.maxInstances) && !isWhole(props.maxInstances!, 1))
    out.push(serviceErrors.instances(scope, "maxInstances", props.maxInstances, 1));

  if (props.ingress !== undefined && !(props.ingress in INGRESS))
    out.push(
      errors.enumValue("CR_SERVICE_INGRESS", scope, "ingress", props.ingress, Object.keys(INGRESS)),
    );
  if (
    props.executionEnvironment !== undefined &&
    !(props.executionEnvironment in EXECUTION_ENVIRONMENT)
  )
    out.push(
      errors.enumValue(
        "CR_SERVICE_EXECUTION_ENVIRONMENT",
        scope,
        "executionEnvironment",
        props.executionEnvironment,
        Object.keys(EXECUTION_ENVIRONMENT),
      ),
    );
  if (known(props.description) && props.description!.length > 512)
    out.push(serviceErrors.description(scope, props.description!.length));
  for (const [i, a] of (props.customAudiences ?? []).entries()) {
    if (typeof a !== "string" || (!isUnresolved(a) && a.trim() === ""))
      out.push(serviceErrors.audience(scope, `customAudiences[${i}]`, a));
  }
  if (props.startupProbe)
    out.push(...probeProblems(scope, "startupProbe", props.startupProbe, "startup"));
  if (props.livenessProbe)
    out.push(...probeProblems(scope, "livenessProbe", props.livenessProbe, "liveness"));

  const tags = new Set<string>();
  for (const [i, t] of (props.traffic ?? []).entries()) {
    const prop = `traffic[${i}]`;
    if (known(t.percent) && !(Number.isInteger(t.percent) && t.percent >= 0 && t.percent <= 100))
      out.push(serviceErrors.trafficPercent(scope, `${prop}.percent`, t.percent));
    if (t.latest && t.revision !== undefined)
      out.push(
        serviceErrors.trafficTarget(
          scope,
          prop,
          { latest: true, revision: t.revision },
          "a traffic target is either the latest revision (latest: true) or a named revision, not both",
        ),
      );
    else if (!t.latest && (t.revision === undefined || t.revision === ""))
      out.push(
        serviceErrors.trafficTarget(
          scope,
          `${prop}.revision`,
          t.revision,
          "a traffic target names a revision unless latest is true",
        ),
      );
    if (t.tag !== undefined && !isUnresolved(t.tag)) {
      if (tags.has(t.tag)) out.push(serviceErrors.trafficTagDuplicate(scope, `${prop}.tag`, t.tag));
      tags.add(t.tag);
      if (!TAG.test(t.tag))
        warnings.push(
          `[${scope.node.path}] ${prop}.tag "${t.tag}": a tag becomes part of a URL; use lowercase letters, digits and hyphens, starting with a letter (the exact rule is unverified).`,
        );
    }
  }
  return { problems: out, warnings, timeoutSeconds };
}

/** Values the cross-prop rules need, after defaults. */
export interface ServiceFacts {
  readonly name: string;
  readonly cpuThrottling: boolean;
  readonly cpuThrottlingGiven: boolean;
}

/** Cross-prop rules, checked at synth so one run lists them all. */
export function serviceCrossProblems(
  scope: IConstruct,
  props: CloudRunServiceProps,
  facts: ServiceFacts,
): Finding[] {
  const out: Problem[] = [];
  const gen = props.executionEnvironment;
  const cpu = parseCpu(scope, "cpu", props.cpu ?? "1").value;
  const memory = parseMemory(scope, "memory", props.memory ?? "512Mi").value;

  if (cpu !== undefined && cpu < 1) {
    if (known(props.concurrency) && props.concurrency !== 1)
      out.push(
        serviceErrors.fractionalCpu(scope, "concurrency", props.concurrency, cpu, "concurrency 1"),
      );
    if (facts.cpuThrottlingGiven && !facts.cpuThrottling)
      out.push(
        serviceErrors.fractionalCpu(
          scope,
          "cpuThrottling",
          false,
          cpu,
          "request-based billing (cpuThrottling true)",
        ),
      );
    if (gen === "gen2")
      out.push(
        serviceErrors.fractionalCpu(
          scope,
          "executionEnvironment",
          gen,
          cpu,
          'the "gen1" execution environment',
        ),
      );
  }
  if (gen === "gen2" && memory !== undefined && memory < 512 * MiB)
    out.push(serviceErrors.gen2Memory(scope, String(props.memory)));
  if (gen === "gen1") {
    for (const [name, v] of Object.entries(props.volumes ?? {}))
      if (v.type === "gcs" || v.type === "nfs")
        out.push(serviceErrors.gen1Volume(scope, name, v.type));
  }
  if (props.gpu && facts.cpuThrottling) out.push(serviceErrors.gpuThrottling(scope));

  if (
    known(props.minInstances) &&
    known(props.maxInstances) &&
    props.minInstances! > props.maxInstances!
  )
    out.push(serviceErrors.minAboveMax(scope, props.minInstances!, props.maxInstances!));

  const traffic = props.traffic ?? [];
  if (traffic.length > 0 && traffic.every((t) => known(t.percent))) {
    // Derived rule (Knative serving spec: "all values MUST sum to 100"), as gcloud enforces it.
    const sum = traffic.reduce((s, t) => s + t.percent, 0);
    if (sum !== 100) out.push(serviceErrors.trafficSum(scope, sum));
  }
  for (const [i, t] of traffic.entries()) {
    if (t.tag !== undefined && !isUnresolved(t.tag) && t.tag.length + facts.name.length > 46)
      out.push(serviceErrors.trafficTagLength(scope, `traffic[${i}].tag`, t.tag, facts.name));
  }
  return out.map((problem) => ({ problem }));
}
