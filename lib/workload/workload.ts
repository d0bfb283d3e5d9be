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
import { ProjectApis } from "../apis/project-apis";
import { IGrantable, WorkloadIamTarget } from "../iam/iam-binding";
import { prepareStack } from "../core/stack-setup";
import { defaultDeletionProtection, workloadDefaults } from "../core/context";
import { KIND_TYPES, WORKLOAD_TYPES, assertPropTypes } from "../core/prop-types";
import { Problems, errors } from "../core/errors";
import { workloadErrors } from "./errors";
import { registerWorkload } from "../core/registry";
import { projectData } from "../core/stack-singletons";
import { Requirer, requireDetected, stackRepositories } from "./prerequisites";
import { encryptionKeyFindings, encryptionKeyRegionFindings } from "./encryption";
import {
  connectorPath,
  vpcAccessBlock,
  vpcConnectorFindings,
  vpcConnectorRegionFindings,
} from "./vpc-mapping";
import { defined, isUnresolved, toQuantityString } from "../core/values";
import { Finding } from "./container-rules";
import type { WorkloadKind } from "../core/kinds";
import {
  Block,
  compact,
  mainMounts,
  mapProbe,
  mountsBlock,
  volumeSource,
} from "./container-mapping";
import {
  ENV_DEFAULT_CPU,
  ENV_DEFAULT_MEMORY,
  WORKLOAD_PROP_KEYS,
  crossPropFindings,
  sharedPropFindings,
  unknownPropFindings,
} from "./workload-validation";
import { ContainerProps, Probe, WorkloadProps } from "./workload-props";

interface KindTraits {
  readonly nameMax: number;
  /** The length limit is unverified (constraints §2): a longer name is warned about, not rejected. */
  readonly nameMaxUnverified?: boolean | undefined;
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

/** Per-container options a construct passes to `mapContainers`. */
export interface ContainerShape {
  /**
   * Extra fields for the main container (ports, probes).
   * @default - none: no extra fields
   */
  readonly main?: Record<string, unknown> | undefined;
  /**
   * Extra fields for `resources` of every container (cpu_idle, startup_cpu_boost).
   * @default - none: no extra fields
   */
  readonly resources?: Record<string, unknown> | undefined;
  /** Does this resource have startup probes on containers? */
  readonly startupProbes: boolean;
}

/**
 * Base of `CloudRunService`, `CloudRunJob` and `WorkerPool`. Not exported from the public API.
 */
export abstract class Workload extends Construct implements IGrantable {
  /** Cloud Run name. */
  public readonly name: string;
  public readonly region: string;
  /** Project, when known at synth (the provider's project is used otherwise). */
  public readonly project?: string | undefined;
  /** Email of the identity the workload runs as. */
  public readonly serviceAccountEmail: string;
  /** The dedicated account, when this construct created one. */
  public readonly serviceAccountResource?: ServiceAccount | undefined;
  public readonly deletionProtection: boolean;
  public readonly imageManagedBy: "terraform" | "external";

  protected readonly kind: WorkloadKind;
  protected readonly problems: Problems;
  protected readonly sharedProps: WorkloadProps;
  private target?: WorkloadIamTarget;

  constructor(scope: Construct, id: string, kind: WorkloadKind, props: WorkloadProps) {
    super(scope, id);
    prepareStack(this);
    // JavaScript callers: wrong types fail here, before anything reads them.
    assertPropTypes(this, props, { ...WORKLOAD_TYPES, ...KIND_TYPES[kind] });
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

    this.addFindings(sharedPropFindings(this, kind, props));
    this.addFindings(encryptionKeyFindings(this, props));
    this.addFindings(vpcConnectorFindings(this, kind, props.vpc));
    this.problems.validateLater(() =>
      [...crossPropFindings(this, props, this.mainContainerName()), ...this.kindProblems()].map(
        (f) => f.problem,
      ),
    );
    this.problems.validateLater(() =>
      [
        ...encryptionKeyRegionFindings(this, props.encryptionKey, this.region),
        ...vpcConnectorRegionFindings(this, props.vpc, this.region),
      ].map((f) => f.problem),
    );

    if (props.serviceAccount !== undefined) {
      this.serviceAccountEmail = props.serviceAccount;
      if (
        !isUnresolved(props.serviceAccount) &&
        !/^[^@\s]+@[^@\s]+\.gserviceaccount\.com$/.test(props.serviceAccount)
      ) {
        this.problems.add(workloadErrors.serviceAccount(this, props.serviceAccount));
      }
    } else {
      this.serviceAccountResource = new ServiceAccount(
        this,
        "ServiceAccount",
        defined({
          accountId: accountId(this.name, traits.accountSuffix),
          displayName: `Cloud Run ${traits.noun} ${this.name}`,
          description: `Dedicated identity of the Cloud Run ${traits.noun} ${this.name} (managed by cdktf-cloud-run)`,
          project: props.project,
        }),
      );
      this.serviceAccountEmail = this.serviceAccountResource.email;
    }

    // The workload's APIs, grants and waits come from the prerequisites table (finishResource);
    // its own account waits for the APIs too.
    if (this.serviceAccountResource) ProjectApis.of(this).dependOn(this.serviceAccountResource);
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
    this.addFindings(
      unknownPropFindings(this, props, "", WORKLOAD_PROP_KEYS, own, `a ${TRAITS[this.kind].noun}`),
    );
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

  /** `template.vpc_access`: Direct VPC egress or a connector (./vpc-mapping.ts). */
  protected mapVpcAccess(): Block | undefined {
    const connector = this.sharedProps.vpc?.connector;
    if (connector === undefined) return vpcAccessBlock(this.sharedProps.vpc, undefined);
    const project = this.project ?? projectData(this).projectId;
    return vpcAccessBlock(this.sharedProps.vpc, connectorPath(connector, project, this.region));
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
      putBinaryAuthorization(value: {
        useDefault?: boolean;
        policy?: string;
        breakglassJustification?: string;
      }): void;
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
    if (!this.mainImage() && this.imageRequired()) {
      this.problems.add(workloadErrors.imageRequired(this, TRAITS[this.kind].noun));
    }
    // APIs, grants and depends_on of every feature the props use: one table
    // (./prerequisites.ts, docs/prerequisites.md).
    requireDetected(this.requirer(), resource, {
      props: this.sharedProps,
      images: this.imageManagedBy === "terraform" ? this.terraformImages() : [],
      project: this.project,
      stackProject: workloadDefaults(this).project,
      repositories: stackRepositories(this),
    });
    const binAuth = this.sharedProps.binaryAuthorization;
    if (binAuth) {
      const chosen = [binAuth.useDefault === true, binAuth.policy !== undefined].filter(
        Boolean,
      ).length;
      if (chosen !== 1) {
        this.problems.add(workloadErrors.binaryAuthorization(this, binAuth));
      } else if (binAuth.breakglassJustification !== undefined && !binAuth.useDefault) {
        this.problems.add(
          workloadErrors.breakglassWithPolicy(this, binAuth.breakglassJustification),
        );
      }
      // The provider classes' typed block, so `cdktf synth --hcl` writes a
      // `binary_authorization { … }` block (an override is written as an argument, `= { … }`,
      // which Terraform rejects for a block).
      resource.putBinaryAuthorization(
        compact({
          useDefault: binAuth.useDefault,
          policy: binAuth.policy,
          breakglassJustification: binAuth.breakglassJustification,
        }),
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

  /** The workload as the prerequisites table's grantee and grant target. */
  protected requirer(): Requirer {
    return {
      scope: this,
      project: this.sharedProps.project,
      workload: this,
      identity: { member: this.serviceAccountMember, memberId: this.identityId() },
    };
  }

  /** The images Terraform deploys: main and sidecars, as written. */
  private terraformImages(): string[] {
    return [
      this.sharedProps.image,
      ...Object.values(this.sharedProps.sidecars ?? {}).map((s) => s.image),
    ].filter((i): i is string => typeof i === "string" && i !== "");
  }
}

function nameOk(name: string, max: number): boolean {
  return name.length <= max && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/**
 * A service account id (6–30 chars) for a workload: `<name>-<suffix>`, shortened with a hash when
 * long. Suffixes in use: `run` (services), `job` (jobs), `pool` (worker pools), `fn` (function
 * builds), `sched` (job schedulers), `ev` (event triggers).
 * Public as `workloadAccountId` (lib/index.ts).
 */
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
