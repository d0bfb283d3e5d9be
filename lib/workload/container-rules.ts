/**
 * Validation rules for containers, shared by services, jobs and worker pools: names, env vars,
 * CPU/memory combinations, GPUs, probes, volumes, labels. Facts and sources:
 * ../shared/reference/cloudrun-constraints.md. Each function returns problems; the constructs
 * decide whether they throw at once (single prop) or at synth (cross-prop).
 */
import { IConstruct } from "constructs";
import { Problem, errors, problem } from "../core/errors";
import { workloadErrors } from "./errors";
import { GiB, MiB, isUnresolved, parseQuantity, Quantity } from "../core/values";
import { Gpu, Probe, Volume } from "./workload-props";
import type { WorkloadKind } from "../core/kinds";

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Secret Manager secret: a name (`db-pass`) or `projects/P/secrets/NAME`. */
export const SECRET_REF = /^([a-zA-Z0-9_-]{1,255}|projects\/[^/]+\/secrets\/[a-zA-Z0-9_-]{1,255})$/;
/** A secret version: `latest`, a number or an alias. */
export const SECRET_VERSION = /^(latest|\d+|[a-zA-Z][a-zA-Z0-9_-]*)$/;

/** Reserved env names per kind (the container runtime contract). */
export const RESERVED_ENV: Record<WorkloadKind, readonly string[]> = {
  service: ["K_SERVICE", "K_REVISION", "K_CONFIGURATION"],
  job: [
    "CLOUD_RUN_JOB",
    "CLOUD_RUN_EXECUTION",
    "CLOUD_RUN_TASK_INDEX",
    "CLOUD_RUN_TASK_ATTEMPT",
    "CLOUD_RUN_TASK_COUNT",
  ],
  "worker-pool": [],
};
/** Reserved for worker pools by third-party evidence only: warned about, not rejected. */
export const UNVERIFIED_RESERVED_ENV: Record<WorkloadKind, readonly string[]> = {
  service: [],
  job: [],
  "worker-pool": ["CLOUD_RUN_WORKER_POOL", "CLOUD_RUN_REVISION"],
};

export interface Finding {
  /** @default - none: no error (a warning, or nothing) */
  readonly problem?: Problem | undefined;
  /**
   * A warning for facts marked unverified.
   * @default - none: no warning
   */
  readonly warning?: string | undefined;
}

/** Env var names: C identifiers, not reserved, not `X_GOOGLE_*`. */
export function envNameProblems(
  scope: IConstruct,
  prop: string,
  names: readonly string[],
  kind: WorkloadKind,
  isIngress: boolean,
): Finding[] {
  const out: Finding[] = [];
  const reserved = [...RESERVED_ENV[kind], ...(kind === "service" && isIngress ? ["PORT"] : [])];
  for (const name of names) {
    if (isUnresolved(name)) continue;
    if (!C_IDENTIFIER.test(name)) {
      out.push({
        problem: workloadErrors.envName(scope, name, prop, name),
      });
    } else if (name.startsWith("X_GOOGLE_")) {
      out.push({
        problem: workloadErrors.envNameGoogleReserved(scope, name, prop, name),
      });
    } else if (reserved.includes(name)) {
      out.push({
        problem: workloadErrors.envReserved(scope, name, prop, name, kind, reserved),
      });
    } else if (UNVERIFIED_RESERVED_ENV[kind].includes(name)) {
      out.push({
        warning: `[${scope.node.path}] ${prop}.${name}: Cloud Run may set ${name} on worker pools (unverified); prefer another name.`,
      });
    }
  }
  return out;
}

/** A CPU limit in vCPU (`"1"`, 2, `"500m"`); unset and unresolved values are skipped. */
export function parseCpu(scope: IConstruct, prop: string, cpu: Quantity | undefined) {
  return parseLimit(scope, prop, cpu, '"1", 2, "0.5" or "500m"', true);
}

/** A memory limit in bytes (`"512Mi"`, `"2Gi"`; a bare number is refused: bytes or MiB?). */
export function parseMemory(scope: IConstruct, prop: string, memory: Quantity | undefined) {
  return parseLimit(scope, prop, memory, '"512Mi", "2Gi"', false);
}

function parseLimit(
  scope: IConstruct,
  prop: string,
  raw: Quantity | undefined,
  example: string,
  numbersAllowed: boolean,
): { value?: number; problem?: Problem } {
  if (raw === undefined || raw === null || isUnresolved(raw)) return {};
  const value = parseQuantity(raw);
  if (value === undefined || value <= 0 || (!numbersAllowed && typeof raw === "number")) {
    return { problem: errors.quantity(scope, prop, raw, example) };
  }
  return { value };
}

const fmtMem = (bytes: number) =>
  bytes >= GiB ? `${+(bytes / GiB).toFixed(2)}Gi` : `${+(bytes / MiB).toFixed(0)}Mi`;

/**
 * CPU/memory combination rules (§5 of the constraints). `cpu` in vCPU, `memory` in bytes.
 * Returns problems naming `prop` (e.g. `cpu` or `sidecars.proxy.cpu`).
 */
export function resourceProblems(
  scope: IConstruct,
  prefix: string,
  cpu: number,
  memory: number,
  gpu: Gpu | undefined,
): Finding[] {
  const out: Finding[] = [];
  const p = (code: string, prop: string, value: unknown, rule: string, fix: string) =>
    out.push({ problem: problem(code, scope, `${prefix}${prop}`, value, rule, fix) });
  const gpuType = gpu ? (gpu.type ?? "nvidia-l4") : undefined;

  const cpuOk = gpuType
    ? gpuType === "nvidia-l4"
      ? [4, 6, 8].includes(cpu)
      : cpu >= 20
    : (cpu >= 0.08 && cpu < 1) || [1, 2, 4, 6, 8].includes(cpu);
  if (!cpuOk) {
    if (gpuType === "nvidia-l4")
      p("CR_GPU_CPU", "cpu", cpu, "an nvidia-l4 GPU needs 4, 6 or 8 CPU", "Set cpu to 4 or more");
    else if (gpuType)
      p(
        "CR_GPU_CPU",
        "cpu",
        cpu,
        "an nvidia-rtx-pro-6000 GPU needs at least 20 CPU",
        "Set cpu to 20 or more",
      );
    else
      p(
        "CR_CPU",
        "cpu",
        cpu,
        "Cloud Run allows a fraction from 0.08 to below 1, or 1, 2, 4, 6 or 8 CPU",
        "Pick an allowed CPU value",
      );
  }
  const maxMem = gpuType === "nvidia-rtx-pro-6000" ? Infinity : 32 * GiB;
  if (memory < 128 * MiB || memory > maxMem) {
    p(
      "CR_MEMORY",
      "memory",
      fmtMem(memory),
      "Cloud Run allows 128Mi to 32Gi per container",
      "Pick a memory size in that range",
    );
  }
  if (gpuType === "nvidia-l4" && memory < 16 * GiB) {
    p(
      "CR_GPU_MEMORY",
      "memory",
      fmtMem(memory),
      "an nvidia-l4 GPU needs at least 16Gi of memory",
      'Set memory to "16Gi" or more',
    );
  }
  if (gpuType === "nvidia-rtx-pro-6000" && memory < 80 * GiB) {
    p(
      "CR_GPU_MEMORY",
      "memory",
      fmtMem(memory),
      "an nvidia-rtx-pro-6000 GPU needs at least 80Gi of memory",
      'Set memory to "80Gi" or more',
    );
  }
  if (!gpuType) {
    const needs: Array<[number, number]> = [
      [24 * GiB, 8],
      [16 * GiB, 6],
      [8 * GiB, 4],
      [4 * GiB, 2],
      [1 * GiB, 1],
      [512 * MiB, 0.5],
    ];
    const need = needs.find(([mem]) => memory > mem);
    if (need && cpu < need[1] && cpuOk) {
      p(
        "CR_CPU_MEMORY",
        "memory",
        fmtMem(memory),
        `more than ${fmtMem(need[0])} of memory needs at least ${need[1]} CPU (cpu is ${cpu})`,
        `Raise cpu to ${need[1]} or lower memory`,
      );
    }
    const minMem = cpu >= 6 ? 4 * GiB : cpu >= 4 ? 2 * GiB : 0;
    if (memory < minMem && cpuOk) {
      p(
        "CR_CPU_MEMORY",
        "memory",
        fmtMem(memory),
        `${cpu} CPU needs at least ${fmtMem(minMem)} of memory`,
        `Raise memory to "${fmtMem(minMem)}"`,
      );
    }
  }
  return out;
}

/** Probe limits (§6): `which` decides the ranges. `prop` e.g. `startupProbe`. */
export function probeProblems(
  scope: IConstruct,
  prop: string,
  probe: Probe,
  which: "startup" | "liveness",
): Problem[] {
  const out: Problem[] = [];
  const actions = (["httpGet", "tcpSocket", "grpc"] as const).filter((a) => probe[a] !== undefined);
  if (actions.length !== 1) {
    out.push(
      workloadErrors.probeAction(
        scope,
        actions.length === 0 ? "no action" : actions.join(" and "),
        prop,
      ),
    );
  }
  const max = which === "startup" ? 240 : 3600;
  const check = (key: keyof Probe, min: number, hi: number) => {
    const v = probe[key] as number | undefined;
    if (v === undefined || isUnresolved(v)) return;
    if (!Number.isInteger(v) || v < min || v > hi) {
      out.push(
        errors.range(
          "CR_PROBE_RANGE",
          scope,
          `${prop}.${key}`,
          v,
          min,
          hi,
          `seconds for ${String(key)} on a ${which} probe`,
        ),
      );
    }
  };
  check("initialDelaySeconds", 0, max);
  check("periodSeconds", 1, max);
  check("timeoutSeconds", 1, 3600);
  if (
    probe.failureThreshold !== undefined &&
    (!Number.isInteger(probe.failureThreshold) || probe.failureThreshold < 1)
  ) {
    out.push(workloadErrors.probeRange(scope, probe.failureThreshold, prop));
  }
  const period = probe.periodSeconds ?? 10;
  const timeout = probe.timeoutSeconds ?? 1;
  if (timeout > period) {
    out.push(workloadErrors.probeTimeout(scope, timeout, prop, period));
  }
  for (const a of actions) {
    const port = (probe[a] as { port?: number }).port;
    if (
      port !== undefined &&
      !isUnresolved(port) &&
      (!Number.isInteger(port) || port < 1 || port > 65535)
    ) {
      out.push(errors.range("CR_PORT", scope, `${prop}.${a}.port`, port, 1, 65535, "ports"));
    }
  }
  return out;
}

/** Volume definitions (single volume, without cross-references). */
export function volumeProblems(
  scope: IConstruct,
  name: string,
  v: Volume,
  kind: WorkloadKind,
): Problem[] {
  const out: Problem[] = [];
  const prop = `volumes.${name}`;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
    out.push(workloadErrors.volumeName(scope, name, prop));
  }
  if (v.mountPath !== undefined)
    out.push(...mountPathProblems(scope, `${prop}.mountPath`, v.mountPath, v.type));
  switch (v.type) {
    case "cloud-sql":
      if (!Array.isArray(v.instances) || v.instances.length === 0) {
        out.push(workloadErrors.cloudSqlNoInstance(scope, v.instances, prop));
      }
      for (const i of Array.isArray(v.instances) ? v.instances : []) {
        if (!isUnresolved(i) && !/^[a-z][a-z0-9-.:]*:[a-z]+-[a-z]+\d:[a-z][a-z0-9-]*$/.test(i)) {
          out.push(workloadErrors.cloudSqlInstance(scope, i, prop));
        }
      }
      break;
    case "secret":
      if (typeof v.secret !== "string" || (!isUnresolved(v.secret) && !SECRET_REF.test(v.secret)))
        out.push(workloadErrors.secretVolumeRef(scope, v.secret, prop));
      for (const [file, version] of Object.entries(v.items ?? {})) {
        if (
          typeof version !== "string" ||
          (!isUnresolved(version) && !SECRET_VERSION.test(version))
        )
          out.push(workloadErrors.secretVolumeVersion(scope, version, prop, file));
      }
      if (
        v.defaultMode !== undefined &&
        (!Number.isInteger(v.defaultMode) || v.defaultMode < 0 || v.defaultMode > 0o777)
      ) {
        out.push(workloadErrors.secretMode(scope, v.defaultMode, prop));
      }
      break;
    case "in-memory":
      if (v.sizeLimit !== undefined && v.sizeLimit !== null && !isUnresolved(v.sizeLimit)) {
        const size = parseQuantity(v.sizeLimit);
        if (size === undefined || size <= 0)
          out.push(errors.quantity(scope, `${prop}.sizeLimit`, v.sizeLimit, '"256Mi", "1Gi"'));
      }
      break;
    case "gcs":
    case "nfs":
      if (kind === "service") {
        // gen2 only: checked against executionEnvironment by the service.
      }
      break;
    default:
      // An unknown type would be written as a volume with no source: refuse it instead.
      out.push(
        errors.enumValue("CR_VOLUME_TYPE", scope, `${prop}.type`, (v as { type?: unknown }).type, [
          "secret",
          "cloud-sql",
          "gcs",
          "nfs",
          "in-memory",
        ]),
      );
      break;
  }
  return out;
}

export function mountPathProblems(
  scope: IConstruct,
  prop: string,
  path: string,
  type?: Volume["type"],
): Problem[] {
  if (isUnresolved(path)) return [];
  if (!path.startsWith("/") || path.includes(":") || /^\/(dev|proc|sys)(\/|$)/.test(path)) {
    return [workloadErrors.mountPath(scope, path, prop)];
  }
  if (type === "cloud-sql" && path !== "/cloudsql") {
    return [workloadErrors.mountPathCloudSql(scope, path, prop)];
  }
  return [];
}

/** A project id (`acme-dev`; domain-scoped `example.com:acme`), as the IAM targets check it. */
export const PROJECT_ID = /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** A Google Cloud region (`us-central1`, `europe-west10`, `northamerica-northeast1`). */
export const REGION = /^[a-z]+(-[a-z]+)+\d+$/;

/** `project` and `region` of a workload, when given and known at synth. */
export function locationProblems(scope: IConstruct, project: unknown, region: unknown): Problem[] {
  const out: Problem[] = [];
  if (typeof project === "string" && !isUnresolved(project) && !PROJECT_ID.test(project))
    out.push(workloadErrors.project(scope, project));
  if (typeof region === "string" && !isUnresolved(region) && !REGION.test(region))
    out.push(workloadErrors.region(scope, region));
  return out;
}

const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const RESERVED_LABEL_NS = [
  "run.googleapis.com",
  "cloud.googleapis.com",
  "serving.knative.dev",
  "autoscaling.knative.dev",
];

/** Label rules of the constructs; `scope` may be a path string (environment files reuse them). */
/** `ciLabels`: keys of labels CI sets, written into `lifecycle.ignore_changes`. */
export function labelKeyProblems(
  scope: IConstruct,
  prop: string,
  keys: readonly string[],
): Problem[] {
  return keys.flatMap((k, i) =>
    isUnresolved(k) || LABEL_KEY.test(k) ? [] : [workloadErrors.labelKeyAt(scope, k, prop, i)],
  );
}

export function labelProblems(
  scope: IConstruct | string,
  prop: string,
  labels: Readonly<Record<string, string>>,
): Problem[] {
  const out: Problem[] = [];
  const entries = Object.entries(labels);
  if (entries.length > 64) {
    out.push(workloadErrors.labels(scope, `${entries.length} labels`, prop));
  }
  for (const [k, v] of entries) {
    if (isUnresolved(k) || isUnresolved(v)) continue;
    const ns = RESERVED_LABEL_NS.find((n) => k === n || k.startsWith(`${n}/`));
    if (ns) {
      out.push(workloadErrors.labelReserved(scope, k, prop, k, ns));
    } else if (!LABEL_KEY.test(k)) {
      out.push(workloadErrors.labelKey(scope, k, prop, k));
    } else if (!LABEL_VALUE.test(v)) {
      out.push(workloadErrors.labelValue(scope, v, prop, k));
    }
  }
  return out;
}
