/**
 * The prerequisites table: for every feature the constructs offer, the Google APIs it needs, the
 * roles its identity (or a Google service agent) needs, and what the dependent resource (the
 * workload, a Scheduler job, an Eventarc trigger) must wait for. Constructs never enable an API,
 * grant a prerequisite role or add such a `depends_on` by hand: they call `requireFeature` (a
 * feature a method offers: `schedule`, `onEvent`, `grantSubscribe`) or `requireDetected` (every
 * row with a `detect` function, run over a workload's props), and both read this table only.
 * docs/prerequisites.md holds the same table, checked by __tests__/lib/workload/prerequisites.test.ts.
 *
 * Adding a feature (e.g. CMEK, a Serverless VPC Access connector, a function build):
 * 1. Add a row to `PREREQUISITES` below. Its key is the feature id (kebab-case). Fill in
 *    `title`, `doc` (the Google page that lists what the feature needs; cite it in a comment
 *    too), `apis`, `grants` (`to`: who gets the role; `on`: what it is granted on) and `waitFor`.
 *    A new kind of grantee or grant target is one more member of `Grantee` / `GrantOn` and one
 *    more case in `memberOf` / `grantOn` below.
 * 2. Detection: a feature a workload prop turns on gets `detect(input)`, returning one
 *    `FeatureUse` per use (e.g. one per secret, naming it in `target`) or `[]` when unused; it is
 *    applied to every service, job and worker pool automatically. A feature a method or another
 *    construct turns on leaves `detect` out and sets `appliedBy`; that code calls
 *    `requireFeature("my-feature", requirer, dependent, uses)`.
 * 3. Run `npx jest __tests__/lib/workload/prerequisites.test.ts`: it fails with the regenerated Markdown
 *    table until docs/prerequisites.md matches; paste it in. Add a test of the row's effect on
 *    the synthesized JSON there (the test file checks that every row has one).
 */
import { Construct, IConstruct } from "constructs";
import { ITerraformDependable, TerraformResource, TerraformStack } from "cdktf";
import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { IamBinding, IGrantable } from "../iam/iam-binding";
import { ProjectApis } from "../apis/project-apis";
import { workloadDefaults } from "../core/context";
import { addDependsOn, projectData, safeId } from "../core/stack-singletons";
import { SECRET_REF } from "./container-rules";
import { isUnresolved } from "../core/values";
import { CRYPTO_KEY, cryptoKeyGrant } from "./encryption";
import type { WorkloadProps } from "./workload-props";

/** Who receives a role. */
export type Grantee =
  /** The workload's own identity (its dedicated or given service account). */
  | "workload"
  /** The identity of a trigger that calls the workload (Scheduler job, Eventarc trigger). */
  | "trigger"
  /** The Cloud Run service agent of the workload's project (`service-NUMBER@serverless-robot-prod…`). */
  | "cloud-run-agent"
  /** The Cloud Storage service agent of the workload's project (`service-NUMBER@gs-project-accounts…`). */
  | "storage-agent"
  /** The identity that builds a function's source (`build_config.service_account`). */
  | "build";

/** What a role is granted on: the `FeatureUse` names the resource. */
export type GrantOn =
  /** A project: `use.target`, else the workload's project. */
  | "project"
  /** A Secret Manager secret: `use.target` (id or `projects/P/secrets/S`). */
  | "secret"
  /** A Cloud Storage bucket: `use.target`. */
  | "bucket"
  /** An Artifact Registry repository of this stack: `use.repository`. */
  | "repository"
  /** The workload itself (service, job). */
  | "workload"
  /** A Pub/Sub subscription: `use.target` in `use.targetProject`. */
  | "subscription"
  /** A Cloud KMS key: `use.target` (`projects/P/locations/L/keyRings/R/cryptoKeys/K`). */
  | "crypto-key";

/** What the dependent resource waits for besides the APIs' propagation (always waited for). */
export type Wait =
  /** The grants of the row (a revision or a trigger fails until its identity has them). */
  | "grants"
  /** The same-stack repository the image is pulled from (`use.repository`). */
  | "repository";

/** One role a feature needs. */
export interface PrerequisiteGrant {
  readonly role: string;
  readonly to: Grantee;
  readonly on: GrantOn;
}

/** A repository of this stack, as rows see it (ArtifactRepository, without importing it). */
export interface StackRepository {
  /** Image prefix `REGION-docker.pkg.dev/PROJECT/NAME`. */
  readonly url: string;
  /**
   * Project of the repository (`undefined`: the stack's).
   * @default - the stack's project
   */
  readonly project?: string | undefined;
  readonly resource: TerraformResource;
  grantPull(member: string, memberId?: string): TerraformResource;
}

const STACK_REPOSITORIES = new WeakMap<TerraformStack, StackRepository[]>();

/**
 * The `ArtifactRepository`s created so far in the stack that holds `scope`: a workload whose
 * image starts with one's `url` waits for it (and, across projects, for its reader grant), as
 * the prerequisites table says (`image-same-stack-repository`, `image-other-project-repository`).
 */
export function stackRepositories(scope: IConstruct): readonly StackRepository[] {
  return STACK_REPOSITORIES.get(TerraformStack.of(scope)) ?? [];
}

/** Called by each `ArtifactRepository` once its resource exists (see `stackRepositories`). */
export function registerStackRepository(repository: StackRepository & IConstruct): void {
  const stack = TerraformStack.of(repository);
  STACK_REPOSITORIES.set(stack, [...(STACK_REPOSITORIES.get(stack) ?? []), repository]);
}

/** What a `detect` function reads. */
export interface DetectInput {
  readonly props: WorkloadProps;
  /** The workload's images that Terraform deploys (main and sidecars), literal or tokens. */
  readonly images: readonly string[];
  /**
   * The workload's project (given, else the stack's; `undefined`: only the provider knows).
   * @default - the stack's project
   */
  readonly project?: string | undefined;
  /**
   * The stack's project (environment, else provider; `undefined`: only the provider knows).
   * @default - the provider's project
   */
  readonly stackProject?: string | undefined;
  /** Artifact Registry repositories created in this stack so far. */
  readonly repositories: readonly StackRepository[];
}

/** One use of a feature: the resource its grants are on. */
export interface FeatureUse {
  /**
   * Secret, bucket, subscription or project the grants are on (see `GrantOn`).
   * @default - none: the grants are on the workload or the project
   */
  readonly target?: string | undefined;
  /**
   * Project of `target` when it is not the workload's.
   * @default - the workload's project
   */
  readonly targetProject?: string | undefined;
  /**
   * The same-stack repository (`on: "repository"`, `waitFor: "repository"`).
   * @default - none: no same-stack repository involved
   */
  readonly repository?: StackRepository | undefined;
}

/** One row of the table. */
export interface Prerequisite {
  /** What the feature is, for the docs table. */
  readonly title: string;
  /** The Google page that lists what the feature needs. */
  readonly doc: string;
  /** APIs enabled in the workload's project. */
  readonly apis: readonly string[];
  readonly grants: readonly PrerequisiteGrant[];
  readonly waitFor: readonly Wait[];
  /**
   * Uses of the feature in a workload's props; absent for features a method turns on.
   * @default - none: a method or construct applies the row (`appliedBy`)
   */
  readonly detect?: ((input: DetectInput) => readonly FeatureUse[]) | undefined;
  /**
   * The method or construct that applies a row without `detect` (docs).
   * @default - none: the row is applied by `detect`
   */
  readonly appliedBy?: string | undefined;
  /**
   * What the table cannot do for you (docs).
   * @default - none
   */
  readonly note?: string | undefined;
}

const CLOUD_RUN_AGENT_DOMAIN = "serverless-robot-prod.iam.gserviceaccount.com";

/** Every container of a workload: main first, then sidecars. */
function containers(p: WorkloadProps) {
  return [p, ...Object.values(p.sidecars ?? {})];
}

function volumes(p: WorkloadProps) {
  return Object.values(p.volumes ?? {});
}

/** The same-stack repositories that hold one of `images`. */
function repositoriesOf(input: DetectInput): StackRepository[] {
  return input.repositories.filter((r) =>
    input.images.some((image) => image.startsWith(`${r.url}/`)),
  );
}

/** `PROJECT:REGION:INSTANCE` → `PROJECT` (`undefined` for a token or a malformed name). */
function instanceProject(connectionName: string): string | undefined {
  if (isUnresolved(connectionName)) return undefined;
  const parts = connectionName.split(":");
  return parts.length === 3 && parts[0] !== "" ? parts[0] : undefined;
}

const EVENTARC_APIS = ["eventarc.googleapis.com", "pubsub.googleapis.com"];

/** What every Eventarc trigger's own identity needs: receive events, and invoke the service. */
const EVENTARC_TRIGGER_GRANTS = [
  { role: "roles/eventarc.eventReceiver", to: "trigger", on: "project" },
  { role: "roles/run.invoker", to: "trigger", on: "workload" },
] as const satisfies readonly PrerequisiteGrant[];

/** `LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/…`: location, project, repository. */
const AR_IMAGE = /^([a-z0-9-]+)-docker\.pkg\.dev\/([^/]+)\/([^/]+)\//;

/**
 * The table. Keys are feature ids; each row cites the Google page it follows.
 */
export const PREREQUISITES = {
  // https://cloud.google.com/run/docs/deploying#permissions-required and
  // https://cloud.google.com/run/docs/securing/service-identity: the Admin API, and the IAM API
  // for the dedicated service account each workload gets.
  "cloud-run": {
    title: "Every service, job and worker pool",
    doc: "https://cloud.google.com/run/docs/securing/service-identity",
    apis: ["run.googleapis.com", "iam.googleapis.com"],
    grants: [],
    waitFor: [],
    detect: () => [{}],
  },
  // https://cloud.google.com/run/docs/configuring/services/secrets#access-secret: the service
  // identity needs Secret Manager Secret Accessor on each secret, before the revision starts.
  secret: {
    title: "Secret as env var or volume (`secrets`, `volumes: { type: secret }`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/secrets",
    apis: ["secretmanager.googleapis.com"],
    grants: [{ role: "roles/secretmanager.secretAccessor", to: "workload", on: "secret" }],
    waitFor: ["grants"],
    detect: ({ props }) => {
      const names = [
        ...containers(props).flatMap((c) => Object.values(c.secrets ?? {}).map((s) => s?.secret)),
        ...volumes(props).flatMap((v) => (v.type === "secret" ? [v.secret] : [])),
      ].filter((s): s is string => typeof s === "string" && s !== "");
      // A malformed reference is reported as CR_SECRET_REF (naming the prop), not granted.
      return [...new Set(names)]
        .filter((s) => isUnresolved(s) || SECRET_REF.test(s))
        .map((target) => ({ target }));
    },
  },
  // https://cloud.google.com/sql/docs/mysql/connect-run#configure: "enable the Cloud SQL Admin
  // API" and grant the service account Cloud SQL Client in the instance's project.
  "cloud-sql": {
    title: "Cloud SQL socket (`volumes: { type: cloud-sql }`)",
    doc: "https://cloud.google.com/sql/docs/mysql/connect-run",
    apis: ["sqladmin.googleapis.com"],
    grants: [{ role: "roles/cloudsql.client", to: "workload", on: "project" }],
    waitFor: ["grants"],
    detect: ({ props, project }) => {
      const projects = new Set<string | undefined>();
      for (const v of volumes(props)) {
        if (v.type !== "cloud-sql" || !Array.isArray(v.instances)) continue;
        for (const i of v.instances) projects.add(instanceProject(i) ?? project);
      }
      return [...projects].map((target) => ({ target }));
    },
  },
  // https://cloud.google.com/run/docs/configuring/services/cloud-storage-volume-mounts: the
  // service identity needs read access (Storage Object Viewer) or read-write access (Storage
  // Object User) on the bucket.
  "gcs-volume-read-only": {
    title: "Cloud Storage volume, read-only (`volumes: { type: gcs, readOnly: true }`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/cloud-storage-volume-mounts",
    apis: [],
    grants: [{ role: "roles/storage.objectViewer", to: "workload", on: "bucket" }],
    waitFor: ["grants"],
    detect: ({ props }) => gcsUses(props, true),
  },
  "gcs-volume": {
    title: "Cloud Storage volume, read-write (`volumes: { type: gcs }`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/cloud-storage-volume-mounts",
    apis: [],
    grants: [{ role: "roles/storage.objectUser", to: "workload", on: "bucket" }],
    waitFor: ["grants"],
    detect: ({ props }) => gcsUses(props, false),
  },
  // https://cloud.google.com/run/docs/configuring/services/nfs-volume-mounts: no API or role;
  // the NFS server must be reachable over a VPC network.
  "nfs-volume": {
    title: "NFS volume (`volumes: { type: nfs }`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/nfs-volume-mounts",
    apis: [],
    grants: [],
    waitFor: [],
    detect: ({ props }) => (volumes(props).some((v) => v.type === "nfs") ? [{}] : []),
    note: "the server is reached through the VPC: without `vpc`, synth fails (`CR_NFS_VPC`)",
  },
  // https://cloud.google.com/run/docs/configuring/vpc-direct-vpc: the network and subnetwork are
  // Compute Engine resources; the Cloud Run service agent's default role covers their use in
  // the same project. A Shared VPC subnet needs Compute Network User for that agent in the host
  // project (https://cloud.google.com/run/docs/configuring/shared-vpc-direct-vpc), which only
  // the host project's admins can grant.
  "direct-vpc-egress": {
    title: "Direct VPC egress (`vpc`)",
    doc: "https://cloud.google.com/run/docs/configuring/vpc-direct-vpc",
    apis: ["compute.googleapis.com"],
    grants: [],
    waitFor: [],
    detect: ({ props }) => (props.vpc && props.vpc.connector === undefined ? [{}] : []),
    note: "a Shared VPC subnet needs `roles/compute.networkUser` for the Cloud Run service agent in the host project, granted there",
  },
  // https://cloud.google.com/run/docs/configuring/vpc-connectors ("Before you begin": the
  // Serverless VPC Access API enabled for your project; connectors incur a monthly charge); the
  // connector itself is created outside (google_vpc_access_connector). A connector shared from a
  // Shared VPC host project (https://cloud.google.com/run/docs/configuring/connecting-shared-vpc)
  // needs Serverless VPC Access User for the Cloud Run service agent in the host project, which
  // only the host project's admins can grant.
  "vpc-connector": {
    title: "Serverless VPC Access connector (`vpc.connector`)",
    doc: "https://cloud.google.com/run/docs/configuring/vpc-connectors",
    apis: ["vpcaccess.googleapis.com"],
    grants: [],
    waitFor: [],
    detect: ({ props }) => (props.vpc?.connector !== undefined ? [{}] : []),
    note: "a connector in a Shared VPC host project needs `roles/vpcaccess.user` for the Cloud Run service agent in the host project, granted there",
  },
  // https://cloud.google.com/artifact-registry/docs/repositories/remote-repo and
  // https://cloud.google.com/run/docs/deploying#images: a revision pulls its image when it is
  // created, so the repository (standard or remote) must exist first.
  "image-same-stack-repository": {
    title: "Image from a repository of this stack (`ArtifactRepository`, standard or remote)",
    doc: "https://cloud.google.com/run/docs/deploying#images",
    apis: ["artifactregistry.googleapis.com"],
    grants: [],
    waitFor: ["repository"],
    detect: (input) => repositoriesOf(input).map((repository) => ({ repository })),
  },
  // https://cloud.google.com/run/docs/deploying#other-projects: the Cloud Run service agent of
  // the workload's project needs Artifact Registry Reader on a repository in another project.
  "image-other-project-repository": {
    title: "Image from a repository of this stack in another project",
    doc: "https://cloud.google.com/run/docs/deploying#other-projects",
    apis: ["artifactregistry.googleapis.com"],
    grants: [{ role: "roles/artifactregistry.reader", to: "cloud-run-agent", on: "repository" }],
    waitFor: ["grants", "repository"],
    detect: (input) =>
      repositoriesOf(input)
        .filter((r) => (r.project ?? input.stackProject) !== (input.project ?? input.stackProject))
        .map((repository) => ({ repository })),
    note: "a repository outside this stack needs the same grant, made in its own project",
  },
  // https://cloud.google.com/run/docs/deploying#other-projects: the same grant for a repository
  // that another stack (the CI project's) owns. It is not made from here: it needs IAM admin on
  // a repository of another project, which a workload stack's deployer should not hold.
  "image-external-repository": {
    title: "Image from another project's repository outside this stack",
    doc: "https://cloud.google.com/run/docs/deploying#other-projects",
    apis: [],
    grants: [],
    waitFor: [],
    detect: (input) => {
      const own = input.project ?? input.stackProject;
      const repos = new Set<string>();
      for (const image of input.images) {
        const m = AR_IMAGE.exec(image);
        if (!m || m[2] === own || isUnresolved(image)) continue;
        if (input.repositories.some((r) => image.startsWith(`${r.url}/`))) continue;
        repos.add(`${m[1]}/${m[2]}/${m[3]}`);
      }
      return [...repos].map((target) => ({ target }));
    },
    note: "grant `roles/artifactregistry.reader` on the repository to the Cloud Run service agent of the workload's project (`service-NUMBER@serverless-robot-prod.iam.gserviceaccount.com`) in the repository's project, e.g. from the CI project's stack",
  },
  // https://cloud.google.com/run/docs/execute/jobs-on-schedule: the Scheduler job's account
  // needs Cloud Run Invoker on the job.
  scheduler: {
    title: "Job on a schedule (`CloudRunJob` `schedule`)",
    doc: "https://cloud.google.com/run/docs/execute/jobs-on-schedule",
    apis: ["cloudscheduler.googleapis.com"],
    grants: [{ role: "roles/run.invoker", to: "trigger", on: "workload" }],
    waitFor: ["grants"],
    appliedBy: "`CloudRunJob` `schedule`",
  },
  // https://cloud.google.com/eventarc/docs/run/create-trigger-storage-gcloud: the trigger's
  // account needs Eventarc Event Receiver and Cloud Run Invoker, and the Cloud Storage service
  // agent needs Pub/Sub Publisher in the project, or creating the trigger fails.
  "eventarc-storage": {
    title: "Eventarc trigger, Cloud Storage events (`onEvent`, `google.cloud.storage.*`)",
    doc: "https://cloud.google.com/eventarc/docs/run/create-trigger-storage-gcloud",
    apis: [...EVENTARC_APIS, "storage.googleapis.com"],
    grants: [
      ...EVENTARC_TRIGGER_GRANTS,
      { role: "roles/pubsub.publisher", to: "storage-agent", on: "project" },
    ],
    waitFor: ["grants"],
    appliedBy: "`CloudRunService.onEvent`",
  },
  // https://cloud.google.com/eventarc/docs/run/create-trigger-pubsub-gcloud: Cloud Run Invoker
  // for the trigger's account. Event Receiver is granted as for every other source: Google's
  // role table (https://cloud.google.com/eventarc/docs/all-roles-permissions) lists baseline
  // roles for all event sources, and a missing role fails the first apply while an extra one
  // costs nothing. The Pub/Sub service agent's Token Creator role is needed only in projects
  // created before 8 April 2021 (not granted here).
  "eventarc-pubsub": {
    title:
      "Eventarc trigger, Pub/Sub messages (`onEvent`, `google.cloud.pubsub.topic.v1.messagePublished`)",
    doc: "https://cloud.google.com/eventarc/docs/run/create-trigger-pubsub-gcloud",
    apis: EVENTARC_APIS,
    grants: EVENTARC_TRIGGER_GRANTS,
    waitFor: ["grants"],
    appliedBy: "`CloudRunService.onEvent`",
  },
  // https://cloud.google.com/eventarc/docs/run/create-trigger-cloud-audit-logs-gcloud: Event
  // Receiver and Invoker for the trigger's account; the source service's Data Access audit logs
  // must be on (an organization or project setting, not managed here).
  "eventarc-audit-log": {
    title: "Eventarc trigger, Cloud Audit Logs (`onEvent`, `google.cloud.audit.log.v1.written`)",
    doc: "https://cloud.google.com/eventarc/docs/run/create-trigger-cloud-audit-logs-gcloud",
    apis: EVENTARC_APIS,
    grants: EVENTARC_TRIGGER_GRANTS,
    waitFor: ["grants"],
    appliedBy: "`CloudRunService.onEvent`",
    note: "turn on the source service's Data Access audit logs",
  },
  // https://cloud.google.com/eventarc/docs/run/create-trigger-gcloud (direct events from other
  // Google sources): Event Receiver and Invoker for the trigger's account.
  "eventarc-direct": {
    title: "Eventarc trigger, other direct events (`onEvent`, any other type)",
    doc: "https://cloud.google.com/eventarc/docs/run/route-trigger-cloud-run",
    apis: EVENTARC_APIS,
    grants: EVENTARC_TRIGGER_GRANTS,
    waitFor: ["grants"],
    appliedBy: "`CloudRunService.onEvent`",
  },
  // https://cloud.google.com/pubsub/docs/pull#before-you-begin and
  // https://cloud.google.com/pubsub/docs/access-control: a pull subscriber needs Pub/Sub
  // Subscriber on the subscription.
  "pubsub-pull": {
    title: "Pub/Sub pull subscriber (`WorkerPool.grantSubscribe`)",
    doc: "https://cloud.google.com/pubsub/docs/access-control",
    apis: ["pubsub.googleapis.com"],
    grants: [{ role: "roles/pubsub.subscriber", to: "workload", on: "subscription" }],
    waitFor: ["grants"],
    appliedBy: "`WorkerPool.grantSubscribe`",
  },
  // https://cloud.google.com/binary-authorization/docs/run/enabling-binauthz-cloud-run: the
  // Binary Authorization API; the default policy needs no role of the workload.
  "binary-authorization": {
    title: "Binary Authorization (`binaryAuthorization`)",
    doc: "https://cloud.google.com/binary-authorization/docs/run/enabling-binauthz-cloud-run",
    apis: ["binaryauthorization.googleapis.com"],
    grants: [],
    waitFor: [],
    detect: ({ props }) => (props.binaryAuthorization ? [{}] : []),
  },
  // https://cloud.google.com/run/docs/securing/using-cmek: the Cloud KMS API, and the Cloud Run
  // service agent of the workload's project with Cloud KMS CryptoKey Encrypter/Decrypter on the
  // key, before a revision (or execution) is created with it. The key may live in another project
  // (its grant is made on the key). The image's Artifact Registry repository may use CMEK too:
  // the page's set-up starts by configuring Artifact Registry with a key; a repository setting,
  // not checked here.
  cmek: {
    title: "Customer-managed encryption key (`encryptionKey`)",
    doc: "https://cloud.google.com/run/docs/securing/using-cmek",
    apis: ["cloudkms.googleapis.com"],
    grants: [
      {
        role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        to: "cloud-run-agent",
        on: "crypto-key",
      },
    ],
    waitFor: ["grants"],
    detect: ({ props }) => {
      const key: unknown = props.encryptionKey;
      // A malformed key is reported as CR_ENCRYPTION_KEY (naming the prop), not granted.
      return typeof key === "string" && (isUnresolved(key) || CRYPTO_KEY.test(key))
        ? [{ target: key }]
        : [];
    },
    note: "the key is in the workload's region; the image's repository can use CMEK too (a repository setting)",
  },
  // https://cloud.google.com/run/docs/configuring/services/gpu: no API or role beyond Cloud Run;
  // GPU quota in the region (granted on request, not by Terraform).
  gpu: {
    title: "GPU (`gpu`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/gpu",
    apis: [],
    grants: [],
    waitFor: [],
    detect: ({ props }) => (props.gpu ? [{}] : []),
    note: "needs GPU quota in the region, requested in the console",
  },
  // https://cloud.google.com/functions/docs/deploy#before_you_begin: Cloud Functions (the
  // resource), Cloud Build (the build), Artifact Registry (the image, in gcf-artifacts), Cloud Run
  // (the service the function runs as), Cloud Storage (the uploaded source); IAM for the
  // dedicated identity. CloudRunFunction enables these rows' APIs and waits for them.
  function: {
    title: "A function built from source (`CloudRunFunction`)",
    doc: "https://cloud.google.com/functions/docs/deploy",
    apis: [
      "cloudfunctions.googleapis.com",
      "cloudbuild.googleapis.com",
      "artifactregistry.googleapis.com",
      "run.googleapis.com",
      "storage.googleapis.com",
      "iam.googleapis.com",
    ],
    grants: [],
    waitFor: [],
    appliedBy: "`CloudRunFunction`",
  },
  // https://cloud.google.com/run/docs/configuring/services/build-service-account: the build
  // identity of a source build (build_config.service_account) needs Cloud Run Builder (the
  // source-deploy row of Cloud Run's required roles), Logs Writer (build logs) and Artifact
  // Registry Writer (push the image), and read access to the uploaded archive.
  "function-build": {
    title: "The build identity of a function (`CloudRunFunction`, `buildServiceAccount`)",
    doc: "https://cloud.google.com/run/docs/configuring/services/build-service-account",
    apis: [],
    grants: [
      { role: "roles/run.builder", to: "build", on: "project" },
      { role: "roles/logging.logWriter", to: "build", on: "project" },
      { role: "roles/artifactregistry.writer", to: "build", on: "project" },
      { role: "roles/storage.objectViewer", to: "build", on: "bucket" },
    ],
    waitFor: ["grants"],
    appliedBy: "`CloudRunFunction`",
    note: "not granted where the environment says `build.grantRunBuilder: false` (a warning names the roles)",
  },
} as const satisfies Record<string, Prerequisite>;

/** A feature id: a key of the table. */
export type Feature = keyof typeof PREREQUISITES;

function gcsUses(props: WorkloadProps, readOnly: boolean): FeatureUse[] {
  const buckets = volumes(props).flatMap((v) =>
    v.type === "gcs" && (v.readOnly ?? false) === readOnly && typeof v.bucket === "string"
      ? [v.bucket]
      : [],
  );
  return [...new Set(buckets)].map((target) => ({ target }));
}

/** The row of `feature`. */
export function prerequisite(feature: Feature): Prerequisite {
  return PREREQUISITES[feature];
}

/** Who asks for a feature: where grants and APIs go, and who the grantees are. */
export interface Requirer {
  /** Grants to the workload's identity live below it; APIs go to its stack's ProjectApis. */
  readonly scope: Construct;
  /**
   * The workload's project as given (`undefined`: the provider's).
   * @default - the provider's project
   */
  readonly project?: string | undefined;
  /**
   * The workload, for `on: "workload"`.
   * @default - none: the requirer is not a workload (rows on the workload are skipped)
   */
  readonly workload?: IGrantable | undefined;
  /**
   * The workload's identity (`to: "workload"`): member and construct id of its grants.
   * @default - none: no workload identity to grant (rows `to: "workload"` are skipped)
   */
  readonly identity?: { readonly member: string; readonly memberId?: string };
  /**
   * A trigger's identity (`to: "trigger"`).
   * @default - none: no trigger identity (rows `to: "trigger"` are skipped)
   */
  readonly trigger?: { readonly member: string; readonly memberId?: string };
  /**
   * A function's build identity (`to: "build"`).
   * @default - none: no build identity (a `to: "build"` grant fails, naming the identity)
   */
  readonly build?: { readonly member: string; readonly memberId?: string };
}

/**
 * Applies `feature` for each of `uses`: enables its APIs (in the workload's project), creates its
 * grants, and makes `dependent` wait for the APIs and for what the row says. Returns the grants.
 */
export function requireFeature(
  feature: Feature,
  requirer: Requirer,
  dependent: TerraformResource,
  uses: readonly FeatureUse[] = [{}],
): TerraformResource[] {
  const row: Prerequisite = PREREQUISITES[feature];
  if (uses.length === 0) return [];
  const apis = ProjectApis.of(requirer.scope);
  const apiProject = otherProject(requirer.scope, requirer.project);
  for (const api of row.apis) apis.enable(api, apiProject);
  apis.dependOn(dependent);
  const created = grantFeature(feature, requirer, uses);
  const waits: ITerraformDependable[] = row.waitFor.includes("grants") ? [...created] : [];
  if (row.waitFor.includes("repository"))
    for (const use of uses) if (use.repository) waits.push(use.repository.resource);
  addDependsOn(dependent, ...waits);
  return created;
}

/** Only the grants of `feature` for each of `uses` (no APIs, no waiting). */
export function grantFeature(
  feature: Feature,
  requirer: Requirer,
  uses: readonly FeatureUse[],
): TerraformResource[] {
  const row: Prerequisite = PREREQUISITES[feature];
  return uses.flatMap((use) => row.grants.map((grant) => grantOn(requirer, grant, use)));
}

/** Applies every row with `detect` that `input` uses. */
export function requireDetected(
  requirer: Requirer,
  dependent: TerraformResource,
  input: DetectInput,
): void {
  for (const [feature, row] of Object.entries(PREREQUISITES) as [Feature, Prerequisite][]) {
    if (!row.detect) continue;
    const uses = row.detect(input);
    if (uses.length > 0) requireFeature(feature, requirer, dependent, uses);
  }
}

/** The features `input` uses, in table order (for tests and docs). */
export function detectedFeatures(input: DetectInput): Feature[] {
  return (Object.entries(PREREQUISITES) as [Feature, Prerequisite][])
    .filter(([, row]) => row.detect && row.detect(input).length > 0)
    .map(([feature]) => feature);
}

/** `project` when it differs from the stack's (where ProjectApis enables by default). */
function otherProject(scope: IConstruct, project: string | undefined): string | undefined {
  return project && project !== workloadDefaults(scope).project ? project : undefined;
}

function memberOf(
  requirer: Requirer,
  to: Grantee,
  project: string | undefined,
): { member: string; memberId?: string } {
  const scope = requirer.scope;
  const dataProject = otherProject(scope, project);
  const suffix = safeId(project ?? workloadDefaults(scope).project ?? "provider-project");
  switch (to) {
    case "workload":
    case "trigger":
    case "build": {
      const who =
        to === "workload"
          ? requirer.identity
          : to === "trigger"
            ? requirer.trigger
            : requirer.build;
      if (!who) throw new Error(`${scope.node.path}: a "${to}" grant needs the ${to} identity`);
      return who;
    }
    case "cloud-run-agent":
      return {
        member: `serviceAccount:service-${projectData(scope, dataProject).number}@${CLOUD_RUN_AGENT_DOMAIN}`,
        memberId: `run-service-agent-${suffix}`,
      };
    case "storage-agent":
      return {
        member: `serviceAccount:${storageAgent(scope, dataProject).emailAddress}`,
        memberId: `storage-agent-${suffix}`,
      };
  }
}

function grantOn(requirer: Requirer, grant: PrerequisiteGrant, use: FeatureUse): TerraformResource {
  const { scope, project } = requirer;
  const { member, memberId } = memberOf(requirer, grant.to, project);
  switch (grant.on) {
    case "project":
      return IamBinding.grant(
        {
          project:
            use.target ??
            project ??
            workloadDefaults(scope).project ??
            projectData(scope).projectId,
        },
        grant.role,
        member,
        scope,
        memberId,
      );
    case "secret": {
      const secret = use.target ?? "";
      return IamBinding.grant(
        { secret, project: secret.startsWith("projects/") ? undefined : project },
        grant.role,
        member,
        scope,
        memberId,
      );
    }
    case "subscription":
      return IamBinding.grant(
        { subscription: use.target ?? "", project: use.targetProject },
        grant.role,
        member,
        scope,
        memberId,
      );
    case "workload":
      if (!requirer.workload) throw new Error(`${scope.node.path}: no workload to grant on`);
      return IamBinding.grant(requirer.workload, grant.role, member, undefined, memberId);
    case "repository":
      if (!use.repository) throw new Error(`${scope.node.path}: no repository to grant on`);
      return use.repository.grantPull(member, memberId);
    case "bucket":
      return bucketGrant(scope, use.target ?? "", grant.role, member, memberId);
    case "crypto-key":
      return cryptoKeyGrant(scope, use.target ?? "", grant.role, member, memberId);
  }
}

/** `google_storage_bucket_iam_member` below `scope`, once per bucket, role and member. */
function bucketGrant(
  scope: Construct,
  bucket: string,
  role: string,
  member: string,
  memberId?: string,
): TerraformResource {
  const group =
    (scope.node.tryFindChild("BucketGrants") as Construct | undefined) ??
    new Construct(scope, "BucketGrants");
  const id = safeId(`${bucket}-${role.replace(/^roles\//, "")}-${memberId ?? member}`);
  const existing = group.node.tryFindChild(id);
  if (existing instanceof StorageBucketIamMember) return existing;
  return new StorageBucketIamMember(group, id, { bucket, role, member });
}

const STORAGE_AGENTS = new WeakMap<
  TerraformStack,
  Map<string, DataGoogleStorageProjectServiceAccount>
>();

/**
 * The `google_storage_project_service_account` data source of `project` (once per stack and
 * project): reading it also creates the Cloud Storage service agent when it does not exist yet.
 */
function storageAgent(
  scope: IConstruct,
  project: string | undefined,
): DataGoogleStorageProjectServiceAccount {
  const stack = TerraformStack.of(scope);
  let byProject = STORAGE_AGENTS.get(stack);
  if (!byProject) STORAGE_AGENTS.set(stack, (byProject = new Map()));
  const key = project ?? "";
  let data = byProject.get(key);
  if (!data) {
    const id = project ? `storage-agent-${safeId(project)}` : "storage-agent";
    data = new DataGoogleStorageProjectServiceAccount(stack, id, project ? { project } : {});
    byProject.set(key, data);
  }
  return data;
}

/** The Eventarc row for a CloudEvents type. */
export function eventarcFeature(eventType: string): Feature {
  if (isUnresolved(eventType)) return "eventarc-direct";
  if (eventType.startsWith("google.cloud.storage.")) return "eventarc-storage";
  if (eventType === "google.cloud.pubsub.topic.v1.messagePublished") return "eventarc-pubsub";
  if (eventType === "google.cloud.audit.log.v1.written") return "eventarc-audit-log";
  return "eventarc-direct";
}

/** The table as Markdown (docs/prerequisites.md holds it between its markers). */
export function prerequisitesMarkdown(): string {
  const code = (items: readonly string[]) =>
    items.length > 0 ? items.map((i) => `\`${i}\``).join(", ") : "—";
  const who: Record<Grantee, string> = {
    workload: "workload identity",
    trigger: "trigger identity",
    "cloud-run-agent": "Cloud Run service agent",
    "storage-agent": "Cloud Storage service agent",
    build: "build identity",
  };
  const on: Record<GrantOn, string> = {
    project: "the project",
    secret: "each secret",
    bucket: "the bucket",
    repository: "the repository",
    workload: "the workload",
    subscription: "the subscription",
    "crypto-key": "the key",
  };
  const waits: Record<Wait, string> = { grants: "the grants", repository: "the repository" };
  const lines = [
    "| feature | id | APIs | roles | waits for | notes | source |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [feature, row] of Object.entries(PREREQUISITES) as [Feature, Prerequisite][]) {
    const roles = row.grants.map((g) => `${who[g.to]}: \`${g.role}\` on ${on[g.on]}`);
    const wait = ["the APIs", ...row.waitFor.map((w) => waits[w])].join(", ");
    const notes = [
      row.detect ? "detected from the props" : `applied by ${row.appliedBy ?? "its construct"}`,
      ...(row.note ? [row.note] : []),
    ].join("; ");
    lines.push(
      `| ${row.title} | \`${feature}\` | ${code(row.apis)} | ${roles.length > 0 ? roles.join("; ") : "—"} | ${wait} | ${notes} | [docs](${row.doc}) |`,
    );
  }
  return lines.join("\n");
}
