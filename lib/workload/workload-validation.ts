/**
 * Validation of the props services, jobs and worker pools share, as pure functions over the props:
 * single-prop findings (thrown by the construct) and cross-prop findings (checked at synth).
 * The rules themselves live in container-rules.ts; this file applies them to the prop shapes.
 */
import { IConstruct } from "constructs";
import { Problem, errors } from "../core/errors";
import { workloadErrors } from "./errors";
import { parseImageRef } from "../core/image-ref";
import { isUnresolved } from "../core/values";
import type { WorkloadKind } from "../core/kinds";
import {
  Finding,
  SECRET_REF,
  SECRET_VERSION,
  envNameProblems,
  labelKeyProblems,
  labelProblems,
  locationProblems,
  mountPathProblems,
  parseCpu,
  parseMemory,
  probeProblems,
  resourceProblems,
  volumeProblems,
} from "./container-rules";
import { mainMounts } from "./container-mapping";
import { ContainerProps, SidecarProps, WorkloadProps } from "./workload-props";

/** Every prop of a container; the compiler keeps the list complete. */
const CONTAINER_PROP_KEYS: Record<keyof ContainerProps, true> = {
  image: true,
  command: true,
  args: true,
  env: true,
  secrets: true,
  cpu: true,
  memory: true,
  startAfter: true,
};
const SIDECAR_PROP_KEYS: Record<keyof SidecarProps, true> = {
  ...CONTAINER_PROP_KEYS,
  volumeMounts: true,
  startupProbe: true,
};
/** Every prop `WorkloadProps` declares; the compiler keeps the list complete. */
export const WORKLOAD_PROP_KEYS: Record<keyof WorkloadProps, true> = {
  ...CONTAINER_PROP_KEYS,
  name: true,
  project: true,
  region: true,
  serviceAccount: true,
  labels: true,
  vpc: true,
  volumes: true,
  sidecars: true,
  containerName: true,
  gpu: true,
  deletionProtection: true,
  imageManagedBy: true,
  ciLabels: true,
  binaryAuthorization: true,
  encryptionKey: true,
};

export const ENV_DEFAULT_CPU = "1";
export const ENV_DEFAULT_MEMORY = "512Mi";

/**
 * Props the construct does not know (a service prop on a job, a typo, a spread of a bigger
 * object) would be silently ignored: each is a `CR_UNKNOWN_PROP` finding instead. `own` lists
 * props known beyond `known`.
 */
export function unknownPropFindings(
  scope: IConstruct,
  props: object,
  prefix: string,
  known: Record<string, true>,
  own: readonly string[],
  what: string,
): Finding[] {
  const out: Finding[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || key in known || own.includes(key)) continue;
    out.push({
      problem: workloadErrors.unknownProp(scope, value, prefix, key, what),
    });
  }
  return out;
}

/** Single-prop problems of the shared props (main container, sidecars, volumes, labels, VPC, GPU). */
export function sharedPropFindings(
  scope: IConstruct,
  kind: WorkloadKind,
  props: WorkloadProps,
): Finding[] {
  const out: Finding[] = [];
  const add = (f: Finding[]) => out.push(...f);
  const report = (p: Problem) => out.push({ problem: p });
  add(containerFindings(scope, kind, props, "", kind === "service"));
  for (const [name, sidecar] of Object.entries(props.sidecars ?? {})) {
    add(
      unknownPropFindings(
        scope,
        sidecar ?? {},
        `sidecars.${name}.`,
        SIDECAR_PROP_KEYS,
        [],
        "a sidecar",
      ),
    );
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      report(workloadErrors.sidecarName(scope, name, name));
    }
    if (!sidecar.image) {
      report(workloadErrors.sidecarImageRequired(scope, name));
    }
    add(containerFindings(scope, kind, sidecar, `sidecars.${name}.`, false));
    for (const [vol, path] of Object.entries(sidecar.volumeMounts ?? {})) {
      for (const p of mountPathProblems(
        scope,
        `sidecars.${name}.volumeMounts.${vol}`,
        path,
        props.volumes?.[vol]?.type,
      ))
        report(p);
    }
    if (sidecar.startupProbe)
      for (const p of probeProblems(
        scope,
        `sidecars.${name}.startupProbe`,
        sidecar.startupProbe,
        "startup",
      ))
        report(p);
  }
  for (const [name, v] of Object.entries(props.volumes ?? {}))
    for (const p of volumeProblems(scope, name, v, kind)) report(p);
  if (props.labels) for (const p of labelProblems(scope, "labels", props.labels)) report(p);
  if (props.ciLabels)
    for (const p of labelKeyProblems(scope, "ciLabels", props.ciLabels)) report(p);
  for (const p of locationProblems(scope, props.project, props.region)) report(p);
  if (props.vpc) {
    if (!props.vpc.network && !props.vpc.subnetwork && props.vpc.connector === undefined) {
      report(workloadErrors.vpc(scope, props.vpc));
    }
    if (
      props.vpc.egress !== undefined &&
      !["all-traffic", "private-ranges-only"].includes(props.vpc.egress)
    ) {
      report(
        errors.enumValue("CR_VPC_EGRESS", scope, "vpc.egress", props.vpc.egress, [
          "all-traffic",
          "private-ranges-only",
        ]),
      );
    }
  }
  if (props.gpu) {
    const type = props.gpu.type ?? "nvidia-l4";
    if (!["nvidia-l4", "nvidia-rtx-pro-6000"].includes(type)) {
      report(
        errors.enumValue("CR_GPU_TYPE", scope, "gpu.type", type, [
          "nvidia-l4",
          "nvidia-rtx-pro-6000",
        ]),
      );
    } else if (type === "nvidia-rtx-pro-6000") {
      add([
        {
          warning: `[${scope.node.path}] gpu.type "nvidia-rtx-pro-6000": the accelerator string is unverified and the GPU is in Preview; check the Cloud Run GPU docs.`,
        },
      ]);
    }
  }
  const containers = 1 + Object.keys(props.sidecars ?? {}).length;
  if (containers > 10) {
    report(workloadErrors.containers(scope, `${containers} containers`));
  }
  if (
    props.containerName !== undefined &&
    !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.containerName)
  ) {
    report(workloadErrors.containerName(scope, props.containerName));
  }
  return out;
}

function containerFindings(
  scope: IConstruct,
  kind: WorkloadKind,
  c: ContainerProps,
  prefix: string,
  ingress: boolean,
): Finding[] {
  const out: Finding[] = [];
  const report = (p: Problem | undefined) => {
    if (p) out.push({ problem: p });
  };
  const envNames = Object.keys(c.env ?? {});
  const secretNames = Object.keys(c.secrets ?? {});
  out.push(...envNameProblems(scope, `${prefix}env`, envNames, kind, ingress));
  out.push(...envNameProblems(scope, `${prefix}secrets`, secretNames, kind, ingress));
  for (const n of secretNames.filter((s) => envNames.includes(s))) {
    report(workloadErrors.envDuplicate(scope, n, prefix, n));
  }
  for (const [n, s] of Object.entries(c.secrets ?? {})) {
    if (!s || typeof s.secret !== "string" || s.secret === "") {
      report(workloadErrors.secretEnvMissing(scope, s?.secret, prefix, n));
    } else if (!isUnresolved(s.secret) && !SECRET_REF.test(s.secret)) {
      report(workloadErrors.secretEnvRef(scope, s.secret, prefix, n));
    }
    if (s?.version !== undefined && !isUnresolved(s.version) && !SECRET_VERSION.test(s.version)) {
      report(workloadErrors.secretEnvVersion(scope, s.version, prefix, n));
    }
  }
  const cpu = parseCpu(scope, `${prefix}cpu`, c.cpu);
  const mem = parseMemory(scope, `${prefix}memory`, c.memory);
  report(cpu.problem);
  report(mem.problem);
  if (c.image !== undefined && typeof c.image !== "string") {
    report(errors.imageRef(scope, `${prefix}image`, c.image, "an image reference is a string"));
  } else if (c.image !== undefined && !isUnresolved(c.image)) {
    const parsed = parseImageRef(c.image);
    if (!parsed.ok) report(errors.imageRef(scope, `${prefix}image`, c.image, parsed.reason));
  }
  for (const [i, a] of (c.args ?? []).entries()) {
    if (typeof a !== "string") report(workloadErrors.args(scope, a, prefix, i));
  }
  return out;
}

/** Cross-prop problems of the shared props (CPU/memory, start order, mounts, NFS), checked at synth. */
export function crossPropFindings(
  scope: IConstruct,
  props: WorkloadProps,
  main: string | undefined,
): Finding[] {
  const out: Finding[] = [];
  const sidecars = props.sidecars ?? {};
  const containers: Array<
    [string, ContainerProps & { volumeMounts?: Record<string, string> | undefined }]
  > = [
    ["", { ...props, volumeMounts: mainMounts(props.volumes) }],
    ...Object.entries(sidecars).map(([n, s]): [string, SidecarProps] => [`sidecars.${n}.`, s]),
  ];
  const names = new Set(Object.keys(sidecars));
  if (main) names.add(main);
  for (const [prefix, c] of containers) {
    const cpu = parseCpu(scope, `${prefix}cpu`, c.cpu ?? ENV_DEFAULT_CPU).value;
    const mem = parseMemory(scope, `${prefix}memory`, c.memory ?? ENV_DEFAULT_MEMORY).value;
    if (cpu !== undefined && mem !== undefined)
      out.push(...resourceProblems(scope, prefix, cpu, mem, prefix === "" ? props.gpu : undefined));
    for (const dep of c.startAfter ?? []) {
      if (!names.has(dep) || dep === (prefix === "" ? main : prefix.slice(9, -1))) {
        out.push({
          problem: workloadErrors.startAfter(scope, dep, prefix, names),
        });
      }
    }
    for (const vol of Object.keys(c.volumeMounts ?? {})) {
      if (!props.volumes?.[vol]) {
        out.push({
          problem: workloadErrors.mountVolume(scope, vol, prefix, vol, props),
        });
      }
    }
  }
  if (props.vpc === undefined) {
    for (const [name, v] of Object.entries(props.volumes ?? {})) {
      if (v.type === "nfs") {
        out.push({
          problem: workloadErrors.nfsVpc(scope, v.server, name),
        });
      }
    }
  }
  return out;
}
