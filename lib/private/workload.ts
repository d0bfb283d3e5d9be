/**
 * The one implementation of what services, jobs and worker pools share: name, project and region
 * resolution, the dedicated identity, containers (image, command, args, env, secrets, CPU/memory,
 * probes, mounts, sidecars, GPU), volumes, Direct VPC egress, labels, deletion protection,
 * `imageManagedBy`, API enablement and IAM. Each construct maps these to its resource's block
 * shape (`template.containers` for services and worker pools, `template.template.containers` for
 * jobs) and adds its own props.
 */
import { Construct } from "constructs";
import { Annotations, TerraformResource } from "cdktf";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ProjectApis } from "../project-apis";
import { ArtifactRepository } from "../artifact-repository";
import { IamBinding, IGrantable, WorkloadIamTarget } from "../iam-binding";
import { defaultDeletionProtection, workloadDefaults } from "./context";
import { Problems, errors, problem } from "./errors";
import { parseImageRef } from "./image-ref";
import { registerWorkload } from "./registry";
import { addDependsOn } from "./stack-singletons";
import { isUnresolved, toQuantityString } from "./values";
import {
  Finding,
  SECRET_REF,
  SECRET_VERSION,
  WorkloadKind,
  envNameProblems,
  labelProblems,
  mountPathProblems,
  parseCpu,
  parseMemory,
  probeProblems,
  resourceProblems,
  volumeProblems,
} from "./container-rules";
import { ContainerProps, Probe, SidecarProps, Volume, WorkloadProps } from "./workload-props";

interface KindTraits {
  readonly nameMax: number;
  /** The length limit is unverified (constraints §2): a longer name is warned about, not rejected. */
  readonly nameMaxUnverified?: boolean;
  /** Suffix of the dedicated service account id. */
  readonly accountSuffix: string;
  /** What the placeholder image is when CI manages the image. */
  readonly placeholderImage: string;
  readonly noun: string;
}

const TRAITS: Record<WorkloadKind, KindTraits> = {
  service: {
    nameMax: 49,
    accountSuffix: "run",
    placeholderImage: "us-docker.pkg.dev/cloudrun/container/hello",
    noun: "service",
  },
  job: {
    nameMax: 63,
    nameMaxUnverified: true,
    accountSuffix: "job",
    placeholderImage: "us-docker.pkg.dev/cloudrun/container/job",
    noun: "job",
  },
  "worker-pool": {
    nameMax: 49,
    accountSuffix: "pool",
    placeholderImage: "us-docker.pkg.dev/cloudrun/container/worker-pool",
    noun: "worker pool",
  },
};

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
const WORKLOAD_PROP_KEYS: Record<keyof WorkloadProps, true> = {
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
};

const ENV_DEFAULT_CPU = "1";
const ENV_DEFAULT_MEMORY = "512Mi";

/** Per-container options a construct passes to `mapContainers`. */
export interface ContainerShape {
  /** Extra fields for the main container (ports, probes). */
  readonly main?: Record<string, unknown>;
  /** Extra fields for `resources` of every container (cpu_idle, startup_cpu_boost). */
  readonly resources?: Record<string, unknown>;
  /** Does this resource have startup probes on containers? */
  readonly startupProbes: boolean;
}

/** Mapped blocks are plain objects in the provider's camelCase config shape. */
export type Block = Record<string, unknown>;

/**
 * Base of `CloudRunService`, `CloudRunJob` and `WorkerPool`. Not exported from the public API.
 */
export abstract class Workload extends Construct implements IGrantable {
  /** Cloud Run name. */
  public readonly name: string;
  public readonly region: string;
  /** Project, when known at synth (the provider's project is used otherwise). */
  public readonly project?: string;
  /** Email of the identity the workload runs as. */
  public readonly serviceAccountEmail: string;
  /** The dedicated account, when this construct created one. */
  public readonly serviceAccountResource?: ServiceAccount;
  public readonly deletionProtection: boolean;
  public readonly imageManagedBy: "terraform" | "external";

  protected readonly kind: WorkloadKind;
  protected readonly problems: Problems;
  protected readonly sharedProps: WorkloadProps;
  /** Grants the workload must wait for (secret access). */
  private readonly prerequisites: TerraformResource[] = [];
  private target?: WorkloadIamTarget;

  constructor(scope: Construct, id: string, kind: WorkloadKind, props: WorkloadProps) {
    super(scope, id);
    this.kind = kind;
    this.sharedProps = props;
    this.problems = new Problems(this);
    const traits = TRAITS[kind];
    const defaults = workloadDefaults(this);

    this.name = props.name ?? id.toLowerCase();
    if (isUnresolved(this.name)) this.problems.add(errors.tokenNotAllowed(this, "name"));
    else if (!nameOk(this.name, traits.nameMaxUnverified ? Infinity : traits.nameMax))
      this.problems.add(errors.name(this, "name", this.name, traits.nameMax));
    else if (this.name.length > traits.nameMax)
      Annotations.of(this).addWarning(
        `[${this.node.path}] name "${this.name}" has ${this.name.length} characters; the ${traits.noun} name limit is unverified (${traits.nameMax} recommended). Shorten it to ${traits.nameMax} or fewer.`,
      );

    const region = props.region ?? defaults.region;
    if (!region) this.problems.add(errors.region(this));
    this.region = region ?? "";
    this.project = props.project ?? defaults.project;
    this.deletionProtection = props.deletionProtection ?? defaultDeletionProtection(this);
    this.imageManagedBy = props.imageManagedBy ?? "terraform";
    if (!["terraform", "external"].includes(this.imageManagedBy)) {
      this.problems.add(
        errors.enumValue("CR_IMAGE_MANAGED_BY", this, "imageManagedBy", this.imageManagedBy, [
          "terraform",
          "external",
        ]),
      );
    }

    this.validateShared(props);

    if (props.serviceAccount) {
      this.serviceAccountEmail = props.serviceAccount;
      if (
        !isUnresolved(props.serviceAccount) &&
        !/^[^@\s]+@[^@\s]+\.gserviceaccount\.com$/.test(props.serviceAccount)
      ) {
        this.problems.add(
          problem(
            "CR_SERVICE_ACCOUNT",
            this,
            "serviceAccount",
            props.serviceAccount,
            "serviceAccount is the email of an existing service account (NAME@PROJECT.iam.gserviceaccount.com)",
            "Pass the email, or omit serviceAccount to get a dedicated account",
          ),
        );
      }
    } else {
      this.serviceAccountResource = new ServiceAccount(this, "ServiceAccount", {
        accountId: accountId(this.name, traits.accountSuffix),
        displayName: `Cloud Run ${traits.noun} ${this.name}`,
        description: `Dedicated identity of the Cloud Run ${traits.noun} ${this.name} (managed by cdktf-cloud-run)`,
        project: props.project,
      });
      this.serviceAccountEmail = this.serviceAccountResource.email;
    }

    const apis = ProjectApis.of(this);
    const apiProject =
      props.project && props.project !== defaults.project ? props.project : undefined;
    apis.enable("run.googleapis.com", apiProject);
    apis.enable("iam.googleapis.com", apiProject);
    if (this.allSecrets().length > 0) apis.enable("secretmanager.googleapis.com", apiProject);
    if (this.serviceAccountResource) apis.dependOn(this.serviceAccountResource);
  }

  /** `serviceAccount:EMAIL` of the workload identity. */
  get serviceAccountMember(): string {
    return `serviceAccount:${this.serviceAccountEmail}`;
  }

  /** A stable construct id for grants to this workload's identity (its path, not the email token). */
  identityId(): string {
    return `${this.node.path.replace(/\//g, "-")}-identity`;
  }

  /** What IamBinding needs to grant roles on this workload. */
  get iamTarget(): WorkloadIamTarget {
    if (!this.target)
      throw new Error(`${this.node.path}: iamTarget used before the resource was created`);
    return this.target;
  }

  // -------------------------------------------------------------------------------------------
  // Validation shared by all kinds
  // -------------------------------------------------------------------------------------------

  /**
   * Props the construct does not know (a service prop on a job, a typo, a spread of a bigger
   * object) would be silently ignored: each is a `CR_UNKNOWN_PROP` problem instead. `own` lists
   * the construct's props beyond `WorkloadProps`.
   */
  protected rejectUnknownProps(props: object, own: readonly string[]): void {
    this.unknownProps(props, "", { ...WORKLOAD_PROP_KEYS }, own, `a ${TRAITS[this.kind].noun}`);
  }

  private unknownProps(
    props: object,
    prefix: string,
    known: Record<string, true>,
    own: readonly string[],
    what: string,
  ): void {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || key in known || own.includes(key)) continue;
      this.problems.add(
        problem(
          "CR_UNKNOWN_PROP",
          this,
          `${prefix}${key}`,
          value,
          `${what} has no prop ${key}, so the value would be silently ignored`,
          `Remove ${prefix}${key} or fix its name`,
        ),
      );
    }
  }

  private validateShared(props: WorkloadProps): void {
    const add = (f: Finding[]) => this.addFindings(f);
    const ingress = this.kind === "service";
    this.validateContainer(props, "", ingress);
    for (const [name, sidecar] of Object.entries(props.sidecars ?? {})) {
      this.unknownProps(sidecar ?? {}, `sidecars.${name}.`, SIDECAR_PROP_KEYS, [], "a sidecar");
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
        this.problems.add(
          problem(
            "CR_CONTAINER_NAME",
            this,
            `sidecars.${name}`,
            name,
            "a container name is a DNS label (lowercase letters, digits, hyphens)",
            "Rename the sidecar",
          ),
        );
      }
      if (!sidecar.image) {
        this.problems.add(
          problem(
            "CR_IMAGE_REQUIRED",
            this,
            `sidecars.${name}.image`,
            undefined,
            "every sidecar needs an image",
            "Set image",
          ),
        );
      }
      this.validateContainer(sidecar, `sidecars.${name}.`, false);
      for (const [vol, path] of Object.entries(sidecar.volumeMounts ?? {})) {
        for (const p of mountPathProblems(
          this,
          `sidecars.${name}.volumeMounts.${vol}`,
          path,
          props.volumes?.[vol]?.type,
        ))
          this.problems.add(p);
      }
      if (sidecar.startupProbe)
        for (const p of probeProblems(
          this,
          `sidecars.${name}.startupProbe`,
          sidecar.startupProbe,
          "startup",
        ))
          this.problems.add(p);
    }
    for (const [name, v] of Object.entries(props.volumes ?? {}))
      for (const p of volumeProblems(this, name, v, this.kind)) this.problems.add(p);
    if (props.labels)
      for (const p of labelProblems(this, "labels", props.labels)) this.problems.add(p);
    if (props.vpc) {
      if (!props.vpc.network && !props.vpc.subnetwork) {
        this.problems.add(
          problem(
            "CR_VPC",
            this,
            "vpc",
            props.vpc,
            "Direct VPC egress needs a network or a subnetwork",
            "Set vpc.network or vpc.subnetwork",
          ),
        );
      }
      if (
        props.vpc.egress !== undefined &&
        !["all-traffic", "private-ranges-only"].includes(props.vpc.egress)
      ) {
        this.problems.add(
          errors.enumValue("CR_VPC_EGRESS", this, "vpc.egress", props.vpc.egress, [
            "all-traffic",
            "private-ranges-only",
          ]),
        );
      }
    }
    if (props.gpu) {
      const type = props.gpu.type ?? "nvidia-l4";
      if (!["nvidia-l4", "nvidia-rtx-pro-6000"].includes(type)) {
        this.problems.add(
          errors.enumValue("CR_GPU_TYPE", this, "gpu.type", type, [
            "nvidia-l4",
            "nvidia-rtx-pro-6000",
          ]),
        );
      } else if (type === "nvidia-rtx-pro-6000") {
        add([
          {
            warning: `[${this.node.path}] gpu.type "nvidia-rtx-pro-6000": the accelerator string is unverified and the GPU is in Preview; check the Cloud Run GPU docs.`,
          },
        ]);
      }
    }
    const containers = 1 + Object.keys(props.sidecars ?? {}).length;
    if (containers > 10) {
      this.problems.add(
        problem(
          "CR_CONTAINERS",
          this,
          "sidecars",
          `${containers} containers`,
          "Cloud Run allows at most 10 containers per instance, including the main one",
          "Remove sidecars",
        ),
      );
    }
    if (
      props.containerName !== undefined &&
      !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.containerName)
    ) {
      this.problems.add(
        problem(
          "CR_CONTAINER_NAME",
          this,
          "containerName",
          props.containerName,
          "a container name is a DNS label",
          "Rename it",
        ),
      );
    }

    this.problems.validateLater(() => this.crossPropProblems(props));
  }

  private validateContainer(c: ContainerProps, prefix: string, ingress: boolean): void {
    const envNames = Object.keys(c.env ?? {});
    const secretNames = Object.keys(c.secrets ?? {});
    this.addFindings(envNameProblems(this, `${prefix}env`, envNames, this.kind, ingress));
    this.addFindings(envNameProblems(this, `${prefix}secrets`, secretNames, this.kind, ingress));
    for (const n of secretNames.filter((s) => envNames.includes(s))) {
      this.problems.add(
        problem(
          "CR_ENV_DUPLICATE",
          this,
          `${prefix}secrets.${n}`,
          n,
          "a name is set in both env and secrets",
          `Keep ${n} in one of them`,
        ),
      );
    }
    for (const [n, s] of Object.entries(c.secrets ?? {})) {
      if (!s || typeof s.secret !== "string" || s.secret === "") {
        this.problems.add(
          problem(
            "CR_SECRET_REF",
            this,
            `${prefix}secrets.${n}.secret`,
            s?.secret,
            "each secret env var names a Secret Manager secret",
            'Use { secret: "db-pass" }',
          ),
        );
      } else if (!isUnresolved(s.secret) && !SECRET_REF.test(s.secret)) {
        this.problems.add(
          problem(
            "CR_SECRET_REF",
            this,
            `${prefix}secrets.${n}.secret`,
            s.secret,
            'a secret is a name ("db-pass") or "projects/P/secrets/NAME"',
            "Fix the secret reference",
          ),
        );
      }
      if (s?.version !== undefined && !isUnresolved(s.version) && !SECRET_VERSION.test(s.version)) {
        this.problems.add(
          problem(
            "CR_SECRET_VERSION",
            this,
            `${prefix}secrets.${n}.version`,
            s.version,
            'a version is "latest", a number or an alias',
            'Use e.g. "3" or "latest"',
          ),
        );
      }
    }
    const cpu = parseCpu(this, `${prefix}cpu`, c.cpu);
    const mem = parseMemory(this, `${prefix}memory`, c.memory);
    this.problems.add(cpu.problem);
    this.problems.add(mem.problem);
    if (c.image !== undefined && typeof c.image !== "string") {
      this.problems.add(
        errors.imageRef(this, `${prefix}image`, c.image, "an image reference is a string"),
      );
    } else if (c.image !== undefined && !isUnresolved(c.image)) {
      const parsed = parseImageRef(c.image);
      if (!parsed.ok)
        this.problems.add(errors.imageRef(this, `${prefix}image`, c.image, parsed.reason));
    }
    for (const [i, a] of (c.args ?? []).entries()) {
      if (typeof a !== "string")
        this.problems.add(
          problem("CR_ARGS", this, `${prefix}args[${i}]`, a, "args are strings", "Quote the value"),
        );
    }
  }

  private crossPropProblems(props: WorkloadProps): Finding["problem"][] {
    const out: Finding[] = [];
    const sidecars = props.sidecars ?? {};
    const containers: Array<[string, ContainerProps & { volumeMounts?: Record<string, string> }]> =
      [
        ["", { ...props, volumeMounts: mainMounts(props.volumes) }],
        ...Object.entries(sidecars).map(([n, s]): [string, SidecarProps] => [`sidecars.${n}.`, s]),
      ];
    const names = new Set(Object.keys(sidecars));
    const main = this.mainContainerName();
    if (main) names.add(main);
    for (const [prefix, c] of containers) {
      const cpu = parseCpu(this, `${prefix}cpu`, c.cpu ?? ENV_DEFAULT_CPU).value;
      const mem = parseMemory(this, `${prefix}memory`, c.memory ?? ENV_DEFAULT_MEMORY).value;
      if (cpu !== undefined && mem !== undefined)
        out.push(
          ...resourceProblems(this, prefix, cpu, mem, prefix === "" ? props.gpu : undefined),
        );
      for (const dep of c.startAfter ?? []) {
        if (!names.has(dep) || dep === (prefix === "" ? main : prefix.slice(9, -1))) {
          out.push({
            problem: problem(
              "CR_START_AFTER",
              this,
              `${prefix}startAfter`,
              dep,
              `startAfter names another container of this workload (${[...names].join(", ") || "none"})`,
              "Fix the container name",
            ),
          });
        }
      }
      for (const vol of Object.keys(c.volumeMounts ?? {})) {
        if (!props.volumes?.[vol]) {
          out.push({
            problem: problem(
              "CR_MOUNT_VOLUME",
              this,
              `${prefix}volumeMounts.${vol}`,
              vol,
              `a mount names a volume of this workload (${Object.keys(props.volumes ?? {}).join(", ") || "none defined"})`,
              "Add the volume to volumes or fix the name",
            ),
          });
        }
      }
    }
    if (props.vpc === undefined) {
      for (const [name, v] of Object.entries(props.volumes ?? {})) {
        if (v.type === "nfs") {
          out.push({
            problem: problem(
              "CR_NFS_VPC",
              this,
              `volumes.${name}`,
              v.server,
              "an NFS server is reached through the VPC",
              "Set vpc (Direct VPC egress) to the server's network",
            ),
          });
        }
      }
    }
    out.push(...this.kindProblems());
    return out.map((f) => f.problem).filter((p) => p !== undefined);
  }

  /** Is an image required? (Services deployed from source are not.) */
  protected imageRequired(): boolean {
    return true;
  }

  /** Cross-prop rules of the concrete construct, checked at synth. */
  protected kindProblems(): Finding[] {
    return [];
  }

  protected addFindings(findings: Finding[]): void {
    for (const f of findings) {
      this.problems.add(f.problem);
      if (f.warning) Annotations.of(this).addWarning(f.warning);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Mapping to the provider's block shapes
  // -------------------------------------------------------------------------------------------

  /** Name of the main container: set when there are sidecars (start order needs names). */
  protected mainContainerName(): string | undefined {
    return (
      this.sharedProps.containerName ??
      (Object.keys(this.sharedProps.sidecars ?? {}).length > 0 ? "app" : undefined)
    );
  }

  /** The main image: the prop, or the placeholder when CI manages the image. */
  protected mainImage(): string {
    const image = this.sharedProps.image;
    if (image) return image;
    if (this.imageManagedBy === "external") return TRAITS[this.kind].placeholderImage;
    return "";
  }

  /** `template.containers` (or `template.template.containers`): main container first. */
  protected mapContainers(shape: ContainerShape, mainStartupProbe?: Probe): Block[] {
    const props = this.sharedProps;
    const gpu: Record<string, string> = props.gpu ? { "nvidia.com/gpu": "1" } : {};
    const main: Block = {
      name: this.mainContainerName(),
      image: this.mainImage(),
      ...this.mapContainer(props, shape, gpu),
      volumeMounts: mountsBlock(mainMounts(props.volumes)),
      startupProbe:
        shape.startupProbes && mainStartupProbe ? mapProbe(mainStartupProbe) : undefined,
      ...shape.main,
    };
    const sidecars = Object.entries(props.sidecars ?? {}).map(([name, s]) => ({
      name,
      image: s.image,
      ...this.mapContainer(s, shape, {}),
      volumeMounts: mountsBlock(s.volumeMounts),
      startupProbe: shape.startupProbes && s.startupProbe ? mapProbe(s.startupProbe) : undefined,
    }));
    return [main, ...sidecars].map(compact);
  }

  private mapContainer(
    c: ContainerProps,
    shape: ContainerShape,
    extraLimits: Record<string, string>,
  ): Block {
    const env = [
      ...Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(c.secrets ?? {}).map(([name, s]) => ({
        name,
        valueSource: { secretKeyRef: { secret: s.secret, version: s.version ?? "latest" } },
      })),
    ];
    return {
      command: c.command ? [...c.command] : undefined,
      args: c.args ? [...c.args] : undefined,
      env: env.length > 0 ? env : undefined,
      dependsOn: c.startAfter && c.startAfter.length > 0 ? [...c.startAfter] : undefined,
      resources: {
        limits: {
          cpu: toQuantityString(c.cpu ?? ENV_DEFAULT_CPU),
          memory: toQuantityString(c.memory ?? ENV_DEFAULT_MEMORY),
          ...extraLimits,
        },
        ...shape.resources,
      },
    };
  }

  /** `template.volumes`. */
  protected mapVolumes(): Block[] | undefined {
    const volumes = Object.entries(this.sharedProps.volumes ?? {}).map(([name, v]) => ({
      name,
      ...volumeSource(v),
    }));
    return volumes.length > 0 ? volumes : undefined;
  }

  /** `template.vpc_access` (Direct VPC egress). */
  protected mapVpcAccess(): Block | undefined {
    const vpc = this.sharedProps.vpc;
    if (!vpc) return undefined;
    return {
      egress: vpc.egress === "all-traffic" ? "ALL_TRAFFIC" : "PRIVATE_RANGES_ONLY",
      networkInterfaces: [
        compact({
          network: vpc.network,
          subnetwork: vpc.subnetwork,
          tags: vpc.tags ? [...vpc.tags] : undefined,
        }),
      ],
    };
  }

  /** `template.node_selector` for a GPU. */
  protected mapNodeSelector(): Block | undefined {
    return this.sharedProps.gpu
      ? { accelerator: this.sharedProps.gpu.type ?? "nvidia-l4" }
      : undefined;
  }

  /**
   * `lifecycle.ignore_changes` for `imageManagedBy: "external"`. `templatePath` is where the
   * containers live (`template[0]` or `template[0].template[0]`).
   */
  protected externalImageIgnores(templatePath: string, revisionPath?: string): string[] {
    if (this.imageManagedBy !== "external") return [];
    const count = 1 + Object.keys(this.sharedProps.sidecars ?? {}).length;
    const images = Array.from(
      { length: count },
      (_, i) => `${templatePath}.containers[${i}].image`,
    );
    const ciLabels = (this.sharedProps.ciLabels ?? ["commit-sha", "build-id"]).map(
      (k) => `labels["${k}"]`,
    );
    return [
      "client",
      "client_version",
      ...images,
      ...(revisionPath
        ? [`${revisionPath}.revision`, `${revisionPath}.labels`, `${revisionPath}.annotations`]
        : []),
      ...ciLabels,
    ];
  }

  /**
   * Wires the created resource: IAM target, secret access grants (the workload waits for them),
   * API dependency, registry entry.
   */
  protected finishResource(
    resource: TerraformResource & {
      readonly name: string;
      readonly location: string;
      readonly project: string;
    },
  ): void {
    this.target = {
      kind: this.kind,
      key: this.node.path,
      name: resource.name,
      location: resource.location,
      project: this.sharedProps.project,
      scope: this,
    };
    for (const secret of this.allSecrets()) {
      // A malformed reference is reported as CR_SECRET_REF (naming the prop), not granted.
      if (!isUnresolved(secret) && !SECRET_REF.test(secret)) continue;
      this.prerequisites.push(
        IamBinding.grant(
          {
            secret: secret,
            project: secret.startsWith("projects/") ? undefined : this.sharedProps.project,
          },
          "roles/secretmanager.secretAccessor",
          this.serviceAccountMember,
          this,
          this.identityId(),
        ),
      );
    }
    if (this.imageManagedBy === "terraform") {
      // Images in a repository of this stack but another project: Cloud Run's service agent
      // of the workload's project needs read access before the first revision can pull them.
      const images = [
        this.sharedProps.image,
        ...Object.values(this.sharedProps.sidecars ?? {}).map((s) => s.image),
      ];
      for (const image of images) {
        if (typeof image !== "string" || image === "") continue;
        this.prerequisites.push(
          ...ArtifactRepository.grantReadersForImage(this, image, { project: this.project }),
        );
      }
    }
    if (!this.mainImage() && this.imageRequired()) {
      this.problems.add(
        problem(
          "CR_IMAGE_REQUIRED",
          this,
          "image",
          undefined,
          `a ${TRAITS[this.kind].noun} needs an image unless imageManagedBy is "external"`,
          "Set image",
        ),
      );
    }
    ProjectApis.of(this).dependOn(resource);
    addDependsOn(resource, ...this.prerequisites);
    const binAuth = this.sharedProps.binaryAuthorization;
    if (binAuth) {
      const chosen = [binAuth.useDefault === true, binAuth.policy !== undefined].filter(
        Boolean,
      ).length;
      if (chosen !== 1) {
        this.problems.add(
          problem(
            "CR_BINARY_AUTHORIZATION",
            this,
            "binaryAuthorization",
            binAuth,
            "set exactly one of useDefault: true and policy",
            "Keep useDefault or policy, not both and not neither",
          ),
        );
      } else if (binAuth.breakglassJustification !== undefined && !binAuth.useDefault) {
        this.problems.add(
          problem(
            "CR_BINARY_AUTHORIZATION",
            this,
            "binaryAuthorization.breakglassJustification",
            binAuth.breakglassJustification,
            "a break-glass justification goes with useDefault only",
            "Remove it or use useDefault",
          ),
        );
      }
      resource.addOverride(
        "binary_authorization",
        compact({
          use_default: binAuth.useDefault,
          policy: binAuth.policy,
          breakglass_justification: binAuth.breakglassJustification,
        }),
      );
      ProjectApis.of(this).enable(
        "binaryauthorization.googleapis.com",
        this.sharedProps.project !== workloadDefaults(this).project
          ? this.sharedProps.project
          : undefined,
      );
    }
    registerWorkload({
      kind: this.kind,
      construct: this,
      name: this.name,
      serviceAccountEmail: this.serviceAccountEmail,
      dedicatedServiceAccount: this.serviceAccountResource !== undefined,
      project: this.project,
    });
    this.problems.throwIfAny();
  }

  /** Every secret the workload reads (env and volumes, all containers), de-duplicated. */
  protected allSecrets(): string[] {
    const p = this.sharedProps;
    const fromEnv = [p, ...Object.values(p.sidecars ?? {})].flatMap((c) =>
      Object.values(c.secrets ?? {}).map((s) => s?.secret),
    );
    const fromVolumes = Object.values(p.volumes ?? {}).flatMap((v) =>
      v.type === "secret" ? [v.secret] : [],
    );
    return [
      ...new Set(
        [...fromEnv, ...fromVolumes].filter((s): s is string => typeof s === "string" && s !== ""),
      ),
    ];
  }
}

/** `startupProbe` / `livenessProbe` block from a `Probe`. */
export function mapProbe(p: Probe, defaultPort?: number): Block {
  return compact({
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
    httpGet: p.httpGet
      ? compact({
          path: p.httpGet.path ?? "/",
          port: p.httpGet.port,
          httpHeaders: p.httpGet.headers
            ? Object.entries(p.httpGet.headers).map(([name, value]) => ({ name, value }))
            : undefined,
        })
      : undefined,
    tcpSocket: p.tcpSocket ? { port: p.tcpSocket.port ?? defaultPort } : undefined,
    grpc: p.grpc ? compact({ port: p.grpc.port, service: p.grpc.service }) : undefined,
  });
}

function volumeSource(v: Volume): Block {
  switch (v.type) {
    case "secret":
      return {
        secret: compact({
          secret: v.secret,
          defaultMode: v.defaultMode,
          items: v.items
            ? Object.entries(v.items).map(([path, version]) => ({ path, version }))
            : undefined,
        }),
      };
    case "cloud-sql":
      return {
        cloudSqlInstance: { instances: Array.isArray(v.instances) ? [...v.instances] : [] },
      };
    case "gcs":
      return { gcs: { bucket: v.bucket, readOnly: v.readOnly ?? false } };
    case "nfs":
      return { nfs: { server: v.server, path: v.path, readOnly: v.readOnly ?? false } };
    case "in-memory":
      return {
        emptyDir: compact({
          medium: "MEMORY",
          sizeLimit: v.sizeLimit !== undefined ? toQuantityString(v.sizeLimit) : undefined,
        }),
      };
  }
}

function mainMounts(volumes: Readonly<Record<string, Volume>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(volumes ?? {})) if (v.mountPath) out[name] = v.mountPath;
  return out;
}

function mountsBlock(mounts: Readonly<Record<string, string>> | undefined): Block[] | undefined {
  const list = Object.entries(mounts ?? {}).map(([name, mountPath]) => ({ name, mountPath }));
  return list.length > 0 ? list : undefined;
}

/** Drops undefined fields (so the JSON shows only what was set). */
export function compact<T extends Block>(block: T): T {
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined)) as T;
}

function nameOk(name: string, max: number): boolean {
  return name.length <= max && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** A service account id (6–30 chars) for a workload: `<name>-<suffix>`, shortened with a hash when long. */
export function accountId(name: string, suffix: string): string {
  let id = `${name}-${suffix}`;
  if (id.length < 6) id = `${id}-sa`.padEnd(6, "0");
  if (id.length > 30) id = `${id.slice(0, 25).replace(/-+$/, "")}-${hash(id).slice(0, 4)}`;
  return id;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(36).padStart(6, "0");
}
