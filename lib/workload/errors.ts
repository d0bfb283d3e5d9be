/**
 * Named error factories of the workload model shared by services, jobs, worker pools and
 * functions (container rules, workload validation, encryption, VPC). Codes never change once
 * shipped. Message shape: see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { problem } from "../core/errors";
import type { WorkloadKind } from "../core/kinds";
import type { WorkloadProps } from "./workload-props";

type Scope = IConstruct | string;

export const workloadErrors = {
  /** An instance count below `min` (`code`: the construct's, e.g. CR_SERVICE_INSTANCES). */
  instanceCount: (code: string, scope: Scope, prop: string, value: unknown, min: number) =>
    problem(
      code,
      scope,
      prop,
      value,
      `${prop} is a whole number ≥ ${min}`,
      `Set ${prop} to ${min} or more`,
    ),
  /** minInstances above maxInstances (`code`: the construct's). */
  minAboveMax: (code: string, scope: Scope, min: number, max: number) =>
    problem(
      code,
      scope,
      "minInstances",
      min,
      `minInstances must not exceed maxInstances (${max})`,
      "Lower minInstances or raise maxInstances",
    ),
  envName: (scope: Scope, value: unknown, prop: string, name: string) =>
    problem(
      "CR_ENV_NAME",
      scope,
      `${prop}.${name}`,
      value,
      "an env var name is a C identifier: letters, digits and _, not starting with a digit",
      "Rename the variable",
    ),
  envNameGoogleReserved: (scope: Scope, value: unknown, prop: string, name: string) =>
    problem(
      "CR_ENV_NAME",
      scope,
      `${prop}.${name}`,
      value,
      "names starting with X_GOOGLE_ are reserved",
      "Rename the variable",
    ),
  envReserved: (
    scope: Scope,
    value: unknown,
    prop: string,
    name: string,
    kind: WorkloadKind,
    reserved: readonly string[],
  ) =>
    problem(
      "CR_ENV_RESERVED",
      scope,
      `${prop}.${name}`,
      value,
      `Cloud Run sets ${name} itself (container runtime contract); reserved for ${kind === "service" ? "services" : kind === "job" ? "jobs" : "worker pools"}: ${reserved.join(", ")}`,
      name === "PORT" ? "Remove it and set port instead" : "Remove it or rename it",
    ),
  probeAction: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_PROBE_ACTION",
      scope,
      prop,
      value,
      "a probe has exactly one action: httpGet, tcpSocket or grpc",
      "Keep one of httpGet, tcpSocket, grpc",
    ),
  probeRange: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_PROBE_RANGE",
      scope,
      `${prop}.failureThreshold`,
      value,
      "failureThreshold is a whole number ≥ 1",
      "Set it to 1 or more",
    ),
  probeTimeout: (scope: Scope, value: unknown, prop: string, period: number) =>
    problem(
      "CR_PROBE_TIMEOUT",
      scope,
      `${prop}.timeoutSeconds`,
      value,
      `timeoutSeconds must not exceed periodSeconds (${period})`,
      "Lower timeoutSeconds or raise periodSeconds",
    ),
  volumeName: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_VOLUME_NAME",
      scope,
      prop,
      value,
      "a volume name is a DNS label (lowercase letters, digits, hyphens)",
      "Rename the volume",
    ),
  cloudSqlNoInstance: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_CLOUD_SQL",
      scope,
      `${prop}.instances`,
      value,
      "at least one connection name is needed",
      'Add "project:region:instance"',
    ),
  cloudSqlInstance: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_CLOUD_SQL",
      scope,
      `${prop}.instances`,
      value,
      'a connection name is "project:region:instance"',
      'Use e.g. "acme-prod:us-central1:main"',
    ),
  secretVolumeRef: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_SECRET_REF",
      scope,
      `${prop}.secret`,
      value,
      'a secret is a name ("db-pass") or "projects/P/secrets/NAME"',
      "Fix the secret reference",
    ),
  secretVolumeVersion: (scope: Scope, value: unknown, prop: string, file: string) =>
    problem(
      "CR_SECRET_VERSION",
      scope,
      `${prop}.items.${file}`,
      value,
      'a version is "latest", a number or an alias',
      'Use e.g. "3" or "latest"',
    ),
  secretMode: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_SECRET_MODE",
      scope,
      `${prop}.defaultMode`,
      value,
      "a file mode is 0 to 0o777 (511)",
      "Write it in octal, e.g. 0o440",
    ),
  mountPath: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_MOUNT_PATH",
      scope,
      prop,
      value,
      "a mount path is absolute, has no ':' and is not /dev, /proc, /sys or below them",
      'Use e.g. "/mnt/data"',
    ),
  mountPathCloudSql: (scope: Scope, value: unknown, prop: string) =>
    problem(
      "CR_MOUNT_PATH",
      scope,
      prop,
      value,
      "Cloud SQL sockets mount at /cloudsql",
      'Set mountPath to "/cloudsql"',
    ),
  project: (scope: Scope, value: unknown) =>
    problem(
      "CR_PROJECT",
      scope,
      "project",
      value,
      "a project id is 6–30 lowercase letters, digits and hyphens, starting with a letter",
      'Use the project id (e.g. "acme-dev"), not its name or number',
    ),
  region: (scope: Scope, value: unknown) =>
    problem(
      "CR_REGION",
      scope,
      "region",
      value,
      'a region is written like "us-central1" or "europe-west1"',
      "Use a Cloud Run region id",
    ),
  labelKeyAt: (scope: Scope, value: unknown, prop: string, i: number) =>
    problem(
      "CR_LABEL_KEY",
      scope,
      `${prop}[${i}]`,
      value,
      "a label key is 1–63 lowercase letters, digits, _ or -, starting with a letter",
      "Use the key CI sets (e.g. commit-sha)",
    ),
  labels: (scope: Scope, value: unknown, prop: string) =>
    problem("CR_LABELS", scope, prop, value, "at most 64 labels", "Remove some labels"),
  labelReserved: (scope: Scope, value: unknown, prop: string, k: string, ns: string) =>
    problem(
      "CR_LABEL_RESERVED",
      scope,
      `${prop}.${k}`,
      value,
      `the ${ns} namespace is reserved by Cloud Run`,
      "Use a key of your own",
    ),
  labelKey: (scope: Scope, value: unknown, prop: string, k: string) =>
    problem(
      "CR_LABEL_KEY",
      scope,
      `${prop}.${k}`,
      value,
      "a label key is 1–63 lowercase letters, digits, _ or -, starting with a letter",
      "Rename the key",
    ),
  labelValue: (scope: Scope, value: unknown, prop: string, k: string) =>
    problem(
      "CR_LABEL_VALUE",
      scope,
      `${prop}.${k}`,
      value,
      "a label value is 0–63 lowercase letters, digits, _ or -",
      "Lower-case it and replace other characters with -",
    ),
  encryptionKey: (scope: Scope, value: unknown) =>
    problem(
      "CR_ENCRYPTION_KEY",
      scope,
      "encryptionKey",
      value,
      "a customer-managed encryption key is a Cloud KMS key name projects/PROJECT/locations/REGION/keyRings/RING/cryptoKeys/KEY",
      "Pass the key's full resource name (gcloud kms keys describe KEY --keyring RING --location REGION --format 'value(name)')",
    ),
  encryptionKeyRegion: (scope: Scope, value: unknown, location: string, region: string) =>
    problem(
      "CR_ENCRYPTION_KEY_REGION",
      scope,
      "encryptionKey",
      value,
      `the key is in ${JSON.stringify(location)} and the workload in ${JSON.stringify(region)}; Google's CMEK set-up for Cloud Run uses a single-region key in the workload's region, not a global or multi-region key (https://cloud.google.com/functions/docs/securing/cmek, "Create a single-region key")`,
      `Use a key of a key ring in ${region}, or deploy the workload to ${location}`,
    ),
  encryptionKeyRevocation: (
    scope: Scope,
    value: unknown,
    prop: string,
    rule: string,
    fix: string,
  ) => problem("CR_ENCRYPTION_KEY_REVOCATION", scope, prop, value, rule, fix),
  vpcConnectorRegion: (scope: Scope, value: unknown, location: string, region: string) =>
    problem(
      "CR_VPC_CONNECTOR_REGION",
      scope,
      "vpc.connector",
      value,
      `the connector is in ${JSON.stringify(location)} and the workload in ${JSON.stringify(region)}; a Serverless VPC Access connector serves workloads of its own region`,
      `Use a connector in ${region} (one per region), or Direct VPC egress`,
    ),
  unknownProp: (scope: Scope, value: unknown, prefix: string, key: string, what: string) =>
    problem(
      "CR_UNKNOWN_PROP",
      scope,
      `${prefix}${key}`,
      value,
      `${what} has no prop ${key}, so the value would be silently ignored`,
      `Remove ${prefix}${key} or fix its name`,
    ),
  sidecarName: (scope: Scope, value: unknown, name: string) =>
    problem(
      "CR_CONTAINER_NAME",
      scope,
      `sidecars.${name}`,
      value,
      "a container name is a DNS label (lowercase letters, digits, hyphens)",
      "Rename the sidecar",
    ),
  sidecarImageRequired: (scope: Scope, name: string) =>
    problem(
      "CR_IMAGE_REQUIRED",
      scope,
      `sidecars.${name}.image`,
      undefined,
      "every sidecar needs an image",
      "Set image",
    ),
  vpc: (scope: Scope, value: unknown) =>
    problem(
      "CR_VPC",
      scope,
      "vpc",
      value,
      "VPC access needs a network or a subnetwork (Direct VPC egress), or a connector",
      "Set vpc.network or vpc.subnetwork (or vpc.connector)",
    ),
  containers: (scope: Scope, value: unknown) =>
    problem(
      "CR_CONTAINERS",
      scope,
      "sidecars",
      value,
      "Cloud Run allows at most 10 containers per instance, including the main one",
      "Remove sidecars",
    ),
  containerName: (scope: Scope, value: unknown) =>
    problem(
      "CR_CONTAINER_NAME",
      scope,
      "containerName",
      value,
      "a container name is a DNS label",
      "Rename it",
    ),
  envDuplicate: (scope: Scope, value: unknown, prefix: string, n: string) =>
    problem(
      "CR_ENV_DUPLICATE",
      scope,
      `${prefix}secrets.${n}`,
      value,
      "a name is set in both env and secrets",
      `Keep ${n} in one of them`,
    ),
  secretEnvMissing: (scope: Scope, value: unknown, prefix: string, n: string) =>
    problem(
      "CR_SECRET_REF",
      scope,
      `${prefix}secrets.${n}.secret`,
      value,
      "each secret env var names a Secret Manager secret",
      'Use { secret: "db-pass" }',
    ),
  secretEnvRef: (scope: Scope, value: unknown, prefix: string, n: string) =>
    problem(
      "CR_SECRET_REF",
      scope,
      `${prefix}secrets.${n}.secret`,
      value,
      'a secret is a name ("db-pass") or "projects/P/secrets/NAME"',
      "Fix the secret reference",
    ),
  secretEnvVersion: (scope: Scope, value: unknown, prefix: string, n: string) =>
    problem(
      "CR_SECRET_VERSION",
      scope,
      `${prefix}secrets.${n}.version`,
      value,
      'a version is "latest", a number or an alias',
      'Use e.g. "3" or "latest"',
    ),
  args: (scope: Scope, value: unknown, prefix: string, i: number) =>
    problem("CR_ARGS", scope, `${prefix}args[${i}]`, value, "args are strings", "Quote the value"),
  startAfter: (scope: Scope, value: unknown, prefix: string, names: ReadonlySet<string>) =>
    problem(
      "CR_START_AFTER",
      scope,
      `${prefix}startAfter`,
      value,
      `startAfter names another container of this workload (${[...names].join(", ") || "none"})`,
      "Fix the container name",
    ),
  mountVolume: (scope: Scope, value: unknown, prefix: string, vol: string, props: WorkloadProps) =>
    problem(
      "CR_MOUNT_VOLUME",
      scope,
      `${prefix}volumeMounts.${vol}`,
      value,
      `a mount names a volume of this workload (${Object.keys(props.volumes ?? {}).join(", ") || "none defined"})`,
      "Add the volume to volumes or fix the name",
    ),
  nfsVpc: (scope: Scope, value: unknown, name: string) =>
    problem(
      "CR_NFS_VPC",
      scope,
      `volumes.${name}`,
      value,
      "an NFS server is reached through the VPC",
      "Set vpc (Direct VPC egress) to the server's network",
    ),
  serviceAccount: (scope: Scope, value: unknown) =>
    problem(
      "CR_SERVICE_ACCOUNT",
      scope,
      "serviceAccount",
      value,
      "serviceAccount is the email of an existing service account (NAME@PROJECT.iam.gserviceaccount.com)",
      "Pass the email, or omit serviceAccount to get a dedicated account",
    ),
  imageRequired: (scope: Scope, noun: string) =>
    problem(
      "CR_IMAGE_REQUIRED",
      scope,
      "image",
      undefined,
      `a ${noun} needs an image unless imageManagedBy is "external"`,
      "Set image",
    ),
  binaryAuthorization: (scope: Scope, value: unknown) =>
    problem(
      "CR_BINARY_AUTHORIZATION",
      scope,
      "binaryAuthorization",
      value,
      "set exactly one of useDefault: true and policy",
      "Keep useDefault or policy, not both and not neither",
    ),
  breakglassWithPolicy: (scope: Scope, value: unknown) =>
    problem(
      "CR_BINARY_AUTHORIZATION",
      scope,
      "binaryAuthorization.breakglassJustification",
      value,
      "a break-glass justification goes with useDefault only",
      "Remove it or use useDefault",
    ),
};
