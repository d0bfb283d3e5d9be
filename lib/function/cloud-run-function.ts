import { Construct } from "constructs";
import { Annotations, TerraformResource } from "cdktf";
import {
  Cloudfunctions2Function,
  Cloudfunctions2FunctionServiceConfig,
} from "@cdktf/provider-google/lib/cloudfunctions2-function";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { IamBinding, IGrantable, WorkloadIamTarget } from "../iam/iam-binding";
import { ProjectApis } from "../apis/project-apis";
import { grantRunBuilder } from "../iam/grants";
import { prepareStack } from "../core/stack-setup";
import { defaultDeletionProtection, workloadDefaults } from "../core/context";
import { Problems, errors } from "../core/errors";
import { serviceAccountEmail, stableText } from "../iam/iam-targets";
import { registerIdentity } from "../core/registry";
import { addWorkloadOutputs } from "../core/outputs";
import { addDependsOn, computeDefaultServiceAccount, projectData } from "../core/stack-singletons";
import { uploadSource } from "./source-upload";
import { accountId } from "../workload/workload";
import { compact } from "../workload/container-mapping";
import { SECRET_REF } from "../workload/container-rules";
import { INGRESS_SETTINGS, functionCrossProblems, functionProblems } from "./function-validation";
import { defined, isUnresolved, parseDuration, toQuantityString } from "../core/values";
import { prerequisite } from "../workload/prerequisites";

// ---------------------------------------------------------------------------------------------
// Prerequisites of a function build, in one place (to be folded into the prerequisites table,
// lib/workload/prerequisites.ts, at merge).
// ---------------------------------------------------------------------------------------------

/**
 * APIs a function needs, each enabled with `disable_on_destroy = false` (ProjectApis); the
 * function waits for them. The `function` row of the prerequisites table (docs/prerequisites.md).
 */
export const FUNCTION_APIS: readonly string[] = prerequisite("function").apis;

/** A role for the build identity, and why. */
export interface BuildRoleGrant {
  readonly role: string;
  readonly why: string;
}

const BUILD_ROLE_WHY: Readonly<Record<string, string>> = {
  "roles/run.builder": "build from source (Cloud Run source deploys)",
  "roles/logging.logWriter": "write build logs",
  "roles/artifactregistry.writer": "push the built image",
  "roles/storage.objectViewer": "read the uploaded source archive",
};

const BUILD_GRANTS = prerequisite("function-build").grants.map((g) => ({
  role: g.role,
  why: BUILD_ROLE_WHY[g.role] ?? g.role,
  on: g.on,
}));

/**
 * Roles of the build identity (`build_config.service_account`) on the project: the
 * `function-build` row of the prerequisites table (Cloud Run "Custom service account for Cloud
 * Build", https://cloud.google.com/run/docs/configuring/services/build-service-account).
 */
export const FUNCTION_BUILD_PROJECT_ROLES: readonly BuildRoleGrant[] = BUILD_GRANTS.filter(
  (g) => g.on === "project",
).map(({ role, why }) => ({ role, why }));

/** Role of the build identity on the stack's source bucket only: read the uploaded archive. */
export const FUNCTION_BUILD_SOURCE_ROLE: BuildRoleGrant = BUILD_GRANTS.filter(
  (g) => g.on === "bucket",
).map(({ role, why }) => ({ role, why }))[0];

export type { CloudRunFunctionProps, FunctionSource } from "./function-props";
import type { CloudRunFunctionProps } from "./function-props";

/**
 * A Cloud Run function (`google_cloudfunctions2_function`): Terraform uploads the source as a
 * content-hashed object and the function resource builds it with Cloud Build (buildpacks) into a
 * Cloud Run service — the one build Terraform really starts. A dedicated identity, the APIs, the
 * build identity's roles and additive IAM come with it.
 *
 * ```ts
 * new CloudRunFunction(this, "hello", {
 *   source: { directory: "functions/hello" }, functionTarget: "hello", runtime: "nodejs22",
 * });
 * ```
 */
export class CloudRunFunction extends Construct implements IGrantable {
  public readonly resource: Cloudfunctions2Function;
  /** Function name (literal). */
  public readonly name: string;
  public readonly region: string;
  public readonly project?: string | undefined;
  /** The function's URL (`https://NAME-HASH.REGION.run.app`), known after apply. */
  public readonly uri: string;
  /** `projects/P/locations/R/services/NAME` of its Cloud Run service, known after apply. */
  public readonly serviceName: string;
  public readonly serviceAccountEmail: string;
  public readonly serviceAccountResource?: ServiceAccount | undefined;
  /** `serviceAccount:EMAIL` of the build identity. */
  public readonly buildServiceAccountMember: string;
  /** Grants to the build identity (none when the environment's `build.grantRunBuilder` is false). */
  public readonly buildGrants: readonly TerraformResource[];
  public readonly deletionProtection: boolean;
  public readonly allowUnauthenticated: boolean;
  private readonly target: WorkloadIamTarget;

  constructor(scope: Construct, id: string, props: CloudRunFunctionProps) {
    super(scope, id);
    prepareStack(this);
    const defaults = workloadDefaults(this);
    const problems = new Problems(this);
    this.name = props.name ?? id.toLowerCase();
    const region = props.region ?? defaults.region;
    if (!region) problems.add(errors.region(this));
    this.region = region ?? "";
    this.project = props.project ?? defaults.project;
    this.deletionProtection = props.deletionProtection ?? defaultDeletionProtection(this);
    this.allowUnauthenticated = props.allowUnauthenticated ?? false;

    const checked = functionProblems(this, props, this.name, new Date().toISOString().slice(0, 10));
    for (const p of checked.problems) problems.add(p);
    for (const w of checked.warnings) Annotations.of(this).addWarning(w);
    problems.throwIfAny();
    problems.validateLater(() => functionCrossProblems(this, props));

    // --- prerequisites: the `function` row of the table (FUNCTION_APIS) ---
    const apis = ProjectApis.of(this);
    const apiProject =
      props.project && props.project !== defaults.project ? props.project : undefined;
    for (const api of FUNCTION_APIS) apis.enable(api, apiProject);
    const secrets = Object.values(props.secrets ?? {}).map((s) => s.secret);
    if (secrets.length > 0) apis.enable("secretmanager.googleapis.com", apiProject);

    // Runtime identity.
    if (props.serviceAccount) {
      this.serviceAccountEmail = props.serviceAccount;
    } else {
      this.serviceAccountResource = new ServiceAccount(
        this,
        "ServiceAccount",
        defined({
          accountId: accountId(this.name, "fn"),
          displayName: `Cloud Run function ${this.name}`,
          description: `Dedicated identity of the Cloud Run function ${this.name} (managed by cdktf-cloud-run)`,
          project: props.project,
        }),
      );
      apis.dependOn(this.serviceAccountResource);
      this.serviceAccountEmail = this.serviceAccountResource.email;
    }
    const member = `serviceAccount:${this.serviceAccountEmail}`;

    // Source: an uploaded, content-hashed object, or the given archive.
    const upload = props.source.directory
      ? uploadSource(this, "Source", {
          directory: props.source.directory,
          region: this.region,
          project: props.project,
        })
      : undefined;
    const archive = upload ? undefined : parseArchive(props.source.archive!);
    const storageSource = upload
      ? { bucket: upload.bucket.name, object: upload.object.name }
      : archive!;

    // --- prerequisites: the `function-build` row (FUNCTION_BUILD_PROJECT_ROLES, _SOURCE_ROLE) ---
    const buildAccount =
      props.buildServiceAccount ??
      defaults.build?.serviceAccount ??
      computeDefaultServiceAccount(this, apiProject);
    this.buildServiceAccountMember = `serviceAccount:${serviceAccountEmail(buildAccount)}`;
    const grants: TerraformResource[] = [];
    if (defaults.build?.grantRunBuilder === false) {
      Annotations.of(this).addWarning(
        `[${this.node.path}] the environment's build.grantRunBuilder is false, so no role is granted to the build identity ${stableText(this, this.buildServiceAccountMember)}. It needs ${FUNCTION_BUILD_PROJECT_ROLES.map((g) => g.role).join(", ")} on the project and ${FUNCTION_BUILD_SOURCE_ROLE.role} on the source bucket; grant them outside this stack, or set build.grantRunBuilder: true.`,
      );
    } else {
      grants.push(...this.grantBuildRoles(buildAccount, props.project, upload?.bucket.name));
    }
    this.buildGrants = grants;

    const prerequisites: TerraformResource[] = [...grants];
    for (const secret of secrets) {
      if (!isUnresolved(secret) && !SECRET_REF.test(secret)) continue;
      prerequisites.push(
        IamBinding.grant(
          {
            secret,
            project: secret.startsWith("projects/") ? undefined : props.project,
          },
          "roles/secretmanager.secretAccessor",
          member,
          this,
          `${this.node.path.replace(/\//g, "-")}-identity`,
        ),
      );
    }

    this.resource = new Cloudfunctions2Function(
      this,
      "Resource",
      defined({
        name: this.name,
        location: this.region,
        project: props.project,
        description: props.description,
        labels: props.labels ? { ...props.labels } : undefined,
        buildConfig: compact({
          runtime: props.runtime,
          entryPoint: props.functionTarget,
          source: { storageSource },
          environmentVariables: props.buildEnv ? { ...props.buildEnv } : undefined,
          serviceAccount: buildAccountPath(this, buildAccount, props.project),
          automaticUpdatePolicy: (props.automaticUpdates ?? true) ? {} : undefined,
          onDeployUpdatePolicy: (props.automaticUpdates ?? true) ? undefined : {},
        }),
        serviceConfig: this.serviceConfig(props),
        lifecycle: this.deletionProtection ? { preventDestroy: true } : undefined,
      }),
    );
    apis.dependOn(this.resource);
    addDependsOn(this.resource, ...prerequisites);
    this.uri = this.resource.url;
    this.serviceName = this.resource.serviceConfig.service;
    this.target = {
      kind: "service",
      key: this.node.path,
      name: this.serviceName,
      location: this.region,
      project: props.project,
      scope: this,
    };
    registerIdentity({ construct: this, email: this.serviceAccountEmail });
    addWorkloadOutputs({
      kind: "function",
      construct: this,
      name: this.name,
      serviceAccountEmail: this.serviceAccountEmail,
      url: this.uri,
    });

    if (this.allowUnauthenticated) this.grantInvoke("allUsers");
    for (const m of props.invokers ?? []) this.grantInvoke(m);
  }

  /** What IamBinding needs to grant roles on the function's Cloud Run service. */
  get iamTarget(): WorkloadIamTarget {
    return this.target;
  }

  /** `serviceAccount:EMAIL` of the function identity. */
  get serviceAccountMember(): string {
    return `serviceAccount:${this.serviceAccountEmail}`;
  }

  /**
   * Grants `roles/run.invoker` on the function's Cloud Run service (what a Cloud Run function's
   * callers need) to `member`, additively; calling twice returns the same resource.
   */
  grantInvoke(member: string): TerraformResource {
    return IamBinding.grant(this, "roles/run.invoker", member);
  }

  private grantBuildRoles(
    account: string,
    project: string | undefined,
    bucket: string | undefined,
  ): TerraformResource[] {
    const out: TerraformResource[] = [];
    const builder = grantRunBuilder(this, { project, buildServiceAccount: account });
    out.push(builder.grant);
    const projectId = project ?? workloadDefaults(this).project ?? projectData(this).projectId;
    for (const g of FUNCTION_BUILD_PROJECT_ROLES) {
      if (g.role === "roles/run.builder") continue;
      out.push(IamBinding.grant({ project: projectId }, g.role, builder.member, this));
    }
    if (bucket)
      out.push(sourceBucketGrant(this, bucket, builder.member, FUNCTION_BUILD_SOURCE_ROLE));
    return out;
  }

  private serviceConfig(props: CloudRunFunctionProps): Cloudfunctions2FunctionServiceConfig {
    const timeout = props.timeout !== undefined ? parseDuration(props.timeout) : undefined;
    return compact({
      serviceAccountEmail: this.serviceAccountEmail,
      availableMemory: props.memory !== undefined ? toQuantityString(props.memory) : undefined,
      availableCpu: props.cpu !== undefined ? toQuantityString(props.cpu) : undefined,
      minInstanceCount: props.minInstances,
      maxInstanceCount: props.maxInstances,
      maxInstanceRequestConcurrency: props.concurrency,
      timeoutSeconds: timeout,
      environmentVariables: props.env ? { ...props.env } : undefined,
      secretEnvironmentVariables: Object.entries(props.secrets ?? {}).map(([key, s]) => {
        // The project number, which the API stores ("preferably project number" in the provider
        // schema; an id is read back as a number for gen-1 functions, provider issue #11383).
        const parsed = /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(s.secret);
        const project = parsed?.[1] ?? props.project;
        const own = project === undefined || project === workloadDefaults(this).project;
        return {
          key,
          projectId: projectData(this, own ? undefined : project).number,
          secret: parsed?.[2] ?? s.secret,
          version: s.version ?? "latest",
        };
      }),
      ingressSettings: INGRESS_SETTINGS[props.ingress ?? "all"],
      vpcConnector: props.vpcConnector,
      vpcConnectorEgressSettings: props.vpcEgress
        ? props.vpcEgress === "all-traffic"
          ? "ALL_TRAFFIC"
          : "PRIVATE_RANGES_ONLY"
        : undefined,
      allTrafficOnLatestRevision: true,
    }) as Cloudfunctions2FunctionServiceConfig;
  }
}

/** `{ bucket, object }` of `gs://BUCKET/OBJECT` (validated by functionProblems). */
function parseArchive(uri: string): { bucket: string; object: string } {
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  return { bucket: m?.[1] ?? uri, object: m?.[2] ?? "" };
}

/** `projects/P/serviceAccounts/EMAIL`, the form `build_config.service_account` takes. */
function buildAccountPath(scope: Construct, account: string, project?: string): string {
  if (account.startsWith("projects/")) return account;
  const email = serviceAccountEmail(account);
  const own = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
  return `projects/${own ?? project ?? workloadDefaults(scope).project ?? projectData(scope).projectId}/serviceAccounts/${email}`;
}

/**
 * `role` for `member` on the source bucket, once per stack, bucket and member (IamBinding has no
 * bucket target).
 */
function sourceBucketGrant(
  scope: Construct,
  bucket: string,
  member: string,
  grant: BuildRoleGrant,
): TerraformResource {
  const stack = ProjectApis.of(scope).node.scope as Construct;
  const id = `RunSourcesReader-${stableText(scope, member).replace(/[^A-Za-z0-9_-]+/g, "_")}`;
  const found = stack.node.tryFindChild(id);
  if (found instanceof StorageBucketIamMember) return found;
  return new StorageBucketIamMember(stack, id, { bucket, role: grant.role, member });
}
