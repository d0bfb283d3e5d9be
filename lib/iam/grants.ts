/**
 * The project-level grants the Cloud Run docs require, as helpers over `IamBinding.grant`
 * (additive `_iam_member` resources, de-duplicated, so calling twice is harmless):
 *
 * - `grantRunBuilder`: `roles/run.builder` for the account Cloud Build runs source builds as.
 * - `grantDeployers`: the deployer set for people and CI accounts that run `gcloud run deploy`.
 */
import { IConstruct } from "constructs";
import { TerraformResource } from "cdktf";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { IamBinding } from "./iam-binding";
import { serviceAccountEmail } from "./iam-targets";
import { ProjectApis } from "../apis/project-apis";
import { prepareStack } from "../core/stack-setup";
import { Problems } from "../core/errors";
import { iamErrors } from "./errors";
import { workloadDefaults } from "../core/context";
import { identitiesOf } from "../core/registry";
import { computeDefaultServiceAccount, projectData } from "../core/stack-singletons";
import { isUnresolved } from "../core/values";
import { assertArg } from "../core/prop-types";

/** The APIs a source build uses: Cloud Build runs it, Artifact Registry stores the image. */
export const BUILD_APIS = ["cloudbuild.googleapis.com", "artifactregistry.googleapis.com"] as const;

/** Roles each deployer gets on the project. */
export const DEPLOYER_PROJECT_ROLES = [
  "roles/run.admin",
  "roles/run.sourceDeveloper",
  "roles/logging.viewer",
] as const;

/** Role each deployer gets on every workload's service account (to deploy a workload as it). */
export const DEPLOYER_SERVICE_ACCOUNT_ROLE = "roles/iam.serviceAccountUser";

export interface GrantRunBuilderOptions {
  /**
   * Project to grant `roles/run.builder` on and to enable the build APIs in.
   * @default - the stack's project (environment file, then Google provider)
   */
  readonly project?: string | undefined;
  /**
   * The account Cloud Build runs source builds as: an email, `serviceAccount:EMAIL` or
   * `projects/PROJECT/serviceAccounts/EMAIL` (the form of `--build-service-account`).
   * @default - the Compute Engine default account, `PROJECT_NUMBER-compute@developer.gserviceaccount.com`, the number read from a `google_project` data source
   */
  readonly buildServiceAccount?: string | undefined;
}

/** What `grantRunBuilder` created (or found). */
export interface RunBuilderGrant {
  /** `serviceAccount:EMAIL` of the build identity. */
  readonly member: string;
  /** The `google_project_iam_member` granting `roles/run.builder`. */
  readonly grant: TerraformResource;
  /** The `google_project_service` resources of cloudbuild and artifactregistry. */
  readonly apis: readonly ProjectService[];
}

/**
 * Grants `roles/run.builder` on the project to the Cloud Build identity (by default the Compute
 * Engine default account, which Cloud Build uses in projects created since 2024; it exists only
 * once the Compute Engine API has been enabled in the project), and enables the Cloud Build and
 * Artifact Registry APIs. The grant waits for the APIs.
 *
 * ```ts
 * grantRunBuilder(this); // or { buildServiceAccount: "builder@acme-dev.iam.gserviceaccount.com" }
 * ```
 */
export function grantRunBuilder(
  scope: IConstruct,
  options: GrantRunBuilderOptions = {},
): RunBuilderGrant {
  prepareStack(scope);
  assertArg(scope, "options", options, {
    object: { project: "string", buildServiceAccount: "string" },
  });
  const given = options.buildServiceAccount;
  if (given !== undefined && !isUnresolved(given) && !isServiceAccount(given)) {
    const problems = new Problems(scope);
    problems.add(iamErrors.serviceAccount(scope, "buildServiceAccount", given));
    problems.throwIfAny();
  }
  // The stack's own project is left implicit, so each API and data source exists once.
  const otherProject =
    options.project === workloadDefaults(scope).project ? undefined : options.project;
  const email =
    given !== undefined
      ? serviceAccountEmail(given)
      : computeDefaultServiceAccount(scope, otherProject);
  const member = `serviceAccount:${email}`;

  const apis = ProjectApis.of(scope);
  const enabled = BUILD_APIS.map((api) => apis.enable(api, otherProject));

  const grant = IamBinding.grant(
    { project: projectOf(scope, options.project) },
    "roles/run.builder",
    member,
    scope,
  );
  apis.dependOn(grant);
  return { member, grant, apis: enabled };
}

export interface GrantDeployersOptions {
  /**
   * Project the deployer roles are granted on.
   * @default - the stack's project (environment file, then Google provider)
   */
  readonly project?: string | undefined;
}

/** What `grantDeployers` created (or found). */
export interface DeployerGrants {
  /** `roles/run.admin`, `roles/run.sourceDeveloper`, `roles/logging.viewer` per member, on the project. */
  readonly project: readonly TerraformResource[];
  /** `roles/iam.serviceAccountUser` per member, on each workload's service account. */
  readonly serviceAccounts: readonly TerraformResource[];
}

/**
 * The deployer set for each of `members`: `roles/run.admin`, `roles/run.sourceDeveloper` and
 * `roles/logging.viewer` on the project, and `roles/iam.serviceAccountUser` on the service
 * account of every workload registered in the stack so far (never on the project, which would
 * let deployers act as every account in it). Call it after the workloads are defined.
 *
 * ```ts
 * defineWorkloads(this, env);
 * grantDeployers(this, ["group:platform@acme.example"]);
 * ```
 */
export function grantDeployers(
  scope: IConstruct,
  members: readonly string[],
  options: GrantDeployersOptions = {},
): DeployerGrants {
  prepareStack(scope);
  assertArg(scope, "members", members, { list: "string", code: "CR_IAM_MEMBER" }, true);
  assertArg(scope, "options", options, { object: { project: "string" } });
  const project: TerraformResource[] = [];
  const serviceAccounts: TerraformResource[] = [];
  if (members.length === 0) return { project, serviceAccounts };

  const target = { project: projectOf(scope, options.project) };
  for (const role of DEPLOYER_PROJECT_ROLES) {
    for (const member of members) project.push(IamBinding.grant(target, role, member, scope));
  }
  const accounts = new Set<string>();
  for (const workload of identitiesOf(scope)) {
    const email = workload.email;
    if (accounts.has(email)) continue;
    accounts.add(email);
    for (const member of members) {
      serviceAccounts.push(
        IamBinding.grant(
          { serviceAccount: email },
          DEPLOYER_SERVICE_ACCOUNT_ROLE,
          member,
          workload.construct,
        ),
      );
    }
  }
  return { project: unique(project), serviceAccounts: unique(serviceAccounts) };
}

/** The project to grant on: given, else the stack's, else the provider's (via `google_project`). */
function projectOf(scope: IConstruct, project?: string): string {
  return project ?? workloadDefaults(scope).project ?? projectData(scope).projectId;
}

function isServiceAccount(value: string): boolean {
  return /^[^\s@/:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(serviceAccountEmail(value));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
