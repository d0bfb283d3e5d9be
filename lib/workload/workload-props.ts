/**
 * Props shared by services, jobs and worker pools. Names follow the `gcloud run` flags in
 * camelCase; closed sets read like the docs and are mapped to API enums in `workload.ts`.
 */
import { Duration, Quantity } from "../core/values";

/** An environment variable read from Secret Manager (`--set-secrets NAME=secret:version`). */
export interface SecretEnv {
  /** Secret name (`db-pass`) or full path (`projects/P/secrets/db-pass`). */
  readonly secret: string;
  /**
   * Secret version: a number, an alias, or `latest`.
   * @default "latest" - written explicitly; pin a number in prod for repeatable revisions
   */
  readonly version?: string | undefined;
}

/** A volume, keyed by its name in `volumes`. `mountPath` mounts it into the main container. */
export type Volume = SecretVolume | CloudSqlVolume | GcsVolume | NfsVolume | InMemoryVolume;

interface VolumeBase {
  /**
   * Where the main container sees the volume. Sidecars mount volumes with their own `volumeMounts`.
   * @default - not mounted in the main container
   */
  readonly mountPath?: string | undefined;
}

export interface SecretVolume extends VolumeBase {
  readonly type: "secret";
  /** Secret name or full path. The workload identity gets `roles/secretmanager.secretAccessor` on it. */
  readonly secret: string;
  /**
   * Files to project, `{ path: version }`, e.g. `{ "cert.pem": "3" }`.
   * @default - the latest version, as a file named after the secret
   */
  readonly items?: Readonly<Record<string, string>> | undefined;
  /**
   * File mode in octal (0–0777).
   * @default - 0444, Google's default
   */
  readonly defaultMode?: number | undefined;
}

export interface CloudSqlVolume extends VolumeBase {
  readonly type: "cloud-sql";
  /** Connection names `project:region:instance` (`--add-cloudsql-instances`). */
  readonly instances: readonly string[];
}

export interface GcsVolume extends VolumeBase {
  readonly type: "gcs";
  readonly bucket: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean | undefined;
}

export interface NfsVolume extends VolumeBase {
  readonly type: "nfs";
  /** NFS server IP or host name (Filestore), reachable through `vpc`. */
  readonly server: string;
  /** Exported path on the server. */
  readonly path: string;
  /**
   * @default false
   */
  readonly readOnly?: boolean | undefined;
}

export interface InMemoryVolume extends VolumeBase {
  readonly type: "in-memory";
  /**
   * Size limit; usage also counts against the containers' memory.
   * @default - bounded by the sum of the containers' memory limits
   */
  readonly sizeLimit?: Quantity | undefined;
}

/** A health check, with gcloud's `--startup-probe` / `--liveness-probe` keys. Exactly one action. */
export interface Probe {
  /** @default - none; a probe sets exactly one of `httpGet`, `tcpSocket`, `grpc` */
  readonly httpGet?: {
    readonly path?: string | undefined;
    readonly port?: number | undefined;
    readonly headers?: Readonly<Record<string, string>> | undefined;
  };
  /** @default - none; a probe sets exactly one of `httpGet`, `tcpSocket`, `grpc` */
  readonly tcpSocket?: { readonly port?: number } | undefined;
  /** @default - none; a probe sets exactly one of `httpGet`, `tcpSocket`, `grpc` */
  readonly grpc?: { readonly port?: number; readonly service?: string };
  /** @default 0 */
  readonly initialDelaySeconds?: number | undefined;
  /** @default 10 */
  readonly periodSeconds?: number | undefined;
  /** @default 1 */
  readonly timeoutSeconds?: number | undefined;
  /** @default 3 */
  readonly failureThreshold?: number | undefined;
}

/**
 * VPC access: Direct VPC egress (`--network`, `--subnet`, `--network-tags`) or a Serverless VPC
 * Access connector (`--vpc-connector`), exactly one of the two, and `--vpc-egress`.
 */
export interface VpcEgress {
  /** VPC network name or path. @default - the subnetwork's network */
  readonly network?: string | undefined;
  /** Subnetwork name or path. @default - the subnet named like the network in the workload's region */
  readonly subnetwork?: string | undefined;
  /**
   * Which traffic leaves through the VPC.
   * @default "private-ranges-only"
   */
  readonly egress?: "all-traffic" | "private-ranges-only" | undefined;
  /** Network tags for firewall rules (Direct VPC egress only). @default - none */
  readonly tags?: readonly string[] | undefined;
  /**
   * A Serverless VPC Access connector instead of Direct VPC egress (`--vpc-connector`): its name
   * (expanded to `projects/PROJECT/locations/REGION/connectors/NAME` in the workload's project
   * and region) or its full name (another project, e.g. a Shared VPC host). Services and jobs
   * only: provider 6.50's worker pool has no connector field. Direct VPC egress is the better
   * default (docs/workloads.md).
   * @default - none: Direct VPC egress through network/subnetwork
   */
  readonly connector?: string | undefined;
}

/** One GPU per instance (`--gpu 1 --gpu-type`). */
export interface Gpu {
  /**
   * Accelerator. `nvidia-rtx-pro-6000` is accepted with a warning: its string is unverified.
   * @default "nvidia-l4"
   */
  readonly type?: "nvidia-l4" | "nvidia-rtx-pro-6000" | undefined;
  /**
   * Zonal redundancy (services and worker pools; jobs support only non-zonal).
   * @default true for services and worker pools, as Google defaults
   */
  readonly zonalRedundancy?: boolean | undefined;
}

/** Who sets the container image: Terraform, or CI with `gcloud run deploy --image`. */
export type ImageManagedBy = "terraform" | "external";

/** A container: the main one (props of the workload) or a sidecar. */
export interface ContainerProps {
  /**
   * Image reference; a digest (`@sha256:…`) is what promotion moves.
   * @default - required, unless `imageManagedBy: "external"` (then a Cloud Run placeholder)
   */
  readonly image?: string | undefined;
  /** Entrypoint (`--command`). @default - the image's ENTRYPOINT */
  readonly command?: readonly string[] | undefined;
  /** Arguments (`--args`). @default - the image's CMD */
  readonly args?: readonly string[] | undefined;
  /** Plain environment variables (`--set-env-vars`). @default - none */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Environment variables from Secret Manager (`--set-secrets`). @default - none */
  readonly secrets?: Readonly<Record<string, SecretEnv>> | undefined;
  /** CPU limit (`--cpu`): `"1"`, `2`, `"0.5"`, `"500m"`. @default "1" */
  readonly cpu?: Quantity | undefined;
  /** Memory limit (`--memory`): `"512Mi"`, `"2Gi"`. @default "512Mi" */
  readonly memory?: Quantity | undefined;
  /**
   * Names of sidecars that must start first (their startup probe decides when).
   * @default - no start order
   */
  readonly startAfter?: readonly string[] | undefined;
}

/** A sidecar container, keyed by its name in `sidecars`. */
export interface SidecarProps extends ContainerProps {
  readonly image: string;
  /** `{ volumeName: mountPath }`. @default - none */
  readonly volumeMounts?: Readonly<Record<string, string>> | undefined;
  /** @default - none (the start order needs one to be honoured) */
  readonly startupProbe?: Probe | undefined;
}

/** Props shared by `CloudRunService`, `CloudRunJob` and `WorkerPool`. */
export interface WorkloadProps extends ContainerProps {
  /** Cloud Run name. @default - the construct id, lower-cased */
  readonly name?: string | undefined;
  /** @default - the environment's (or the Google provider's) project */
  readonly project?: string | undefined;
  /** @default - the environment's (or the Google provider's) region */
  readonly region?: string | undefined;
  /**
   * Email of an existing service account to run as.
   * @default - a dedicated service account is created for this workload (never the Compute default)
   */
  readonly serviceAccount?: string | undefined;
  /** Labels on the resource (`--labels`). @default - none besides the environment's */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** VPC access: Direct VPC egress, or a connector. @default - no VPC access */
  readonly vpc?: VpcEgress | undefined;
  /** Volumes by name. @default - none */
  readonly volumes?: Readonly<Record<string, Volume>> | undefined;
  /** Sidecars by container name (at most 9; only the service's main container has a port). @default - none */
  readonly sidecars?: Readonly<Record<string, SidecarProps>> | undefined;
  /** Name of the main container. @default "app" when there are sidecars, otherwise unnamed */
  readonly containerName?: string | undefined;
  /** One GPU per instance on the main container. @default - no GPU */
  readonly gpu?: Gpu | undefined;
  /**
   * Blocks `terraform destroy` of the workload. Always written explicitly.
   * @default - true in a prod-tier environment, false elsewhere
   */
  readonly deletionProtection?: boolean | undefined;
  /**
   * `"external"`: CI runs `gcloud run deploy --image …`; Terraform then ignores the images,
   * `client`, `client_version`, the revision name and template labels/annotations, so plans stay
   * empty after a CI deploy. `image` may then be omitted (a placeholder is deployed first).
   * @default "terraform"
   */
  readonly imageManagedBy?: ImageManagedBy | undefined;
  /**
   * Resource label keys CI may set (`gcloud run deploy --update-labels`), ignored by Terraform
   * when `imageManagedBy` is `"external"`.
   * @default ["commit-sha", "build-id"]
   */
  readonly ciLabels?: readonly string[] | undefined;
  /**
   * Binary Authorization (`--binary-authorization default` or a policy name): only attested
   * images deploy. Enables binaryauthorization.googleapis.com.
   * @default - none: any image a deployer pushes runs (the checks warn about this in prod)
   */
  readonly binaryAuthorization?: BinaryAuthorization | undefined;
  /**
   * Customer-managed encryption key (`--key`): the Cloud KMS key
   * `projects/P/locations/REGION/keyRings/R/cryptoKeys/K` that encrypts the deployed image, in
   * the workload's region. The Cloud Run service agent gets
   * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it, and the workload waits for that grant.
   * @default - Google default encryption
   */
  readonly encryptionKey?: string | undefined;
}

/** Exactly one of `useDefault` and `policy`. */
export interface BinaryAuthorization {
  /**
   * Use the project's default policy.
   * @default false - give `useDefault: true` or `policy`
   */
  readonly useDefault?: boolean | undefined;
  /**
   * A policy `projects/P/platforms/cloudRun/policies/NAME`.
   * @default - none: give `policy` or `useDefault: true`
   */
  readonly policy?: string | undefined;
  /** Why a deploy skips enforcement (break-glass); only with `useDefault`. @default - none */
  readonly breakglassJustification?: string | undefined;
}

/**
 * Who may reach a service over the network (`--ingress`): CloudRunService's and
 * CloudRunFunction's prop, declared here so neither imports the other.
 */
export type Ingress = "all" | "internal" | "internal-and-cloud-load-balancing";

/** gcloud durations or seconds, re-exported for the construct props. */
export type { Duration, Quantity };
