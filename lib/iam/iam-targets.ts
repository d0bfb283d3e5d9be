/**
 * What `IamBinding` does with a target: reduce it to the fields the `google_*_iam_*` resources
 * take plus a stable key (tokens written out), and create those resources. One place maps every
 * target kind (project, service account, secret, subscription, service, job, worker pool).
 */
import { Construct, IConstruct } from "constructs";
import { DefaultTokenResolver, StringConcat, TerraformResource, Token, Tokenization } from "cdktf";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ProjectIamBinding } from "@cdktf/provider-google/lib/project-iam-binding";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { ServiceAccountIamBinding } from "@cdktf/provider-google/lib/service-account-iam-binding";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { SecretManagerSecretIamBinding } from "@cdktf/provider-google/lib/secret-manager-secret-iam-binding";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { CloudRunV2JobIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-job-iam-member";
import { CloudRunV2JobIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-job-iam-binding";
import { CloudRunV2WorkerPoolIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-worker-pool-iam-member";
import { CloudRunV2WorkerPoolIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-worker-pool-iam-binding";
import { PubsubSubscriptionIamMember } from "@cdktf/provider-google/lib/pubsub-subscription-iam-member";
import { PubsubSubscriptionIamBinding } from "@cdktf/provider-google/lib/pubsub-subscription-iam-binding";
import type { IamTarget, IGrantable } from "./iam-target-types";
import { Problems } from "../core/errors";
import { iamErrors } from "./errors";
import { workloadDefaults } from "../core/context";
import { defined, isUnresolved } from "../core/values";
import type { WorkloadKind } from "../core/kinds";

type TargetKind = "project" | "service-account" | "secret" | WorkloadKind | "subscription";

/** A target reduced to what the resources need, plus a stable key. */
export interface ResolvedTarget {
  readonly kind: TargetKind;
  /** Unique per target within a stack, free of tokens (references are written out). */
  readonly key: string;
  /** Project id, account path, secret id, subscription or workload name. */
  readonly id: string;
  /** @default - the provider's project */
  readonly project?: string | undefined;
  /** @default - none: the target is not regional (project, account, secret, subscription) */
  readonly location?: string | undefined;
}

export function isGrantable(t: IamTarget): t is IGrantable {
  return typeof t === "object" && t !== null && "iamTarget" in t;
}

/** A construct id from any text: path separators and reference braces removed. */
export function constructId(text: string): string {
  return text.replace(/\$\{|\}/g, "").replace(/\//g, "-");
}

/**
 * `value` with its tokens written out as Terraform expressions (`${google_service_account.x.email}`),
 * so keys and construct ids built from it do not depend on token numbering (creation order).
 */
export function stableText(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  try {
    const out: unknown = Tokenization.resolve(value, {
      scope,
      resolver: new DefaultTokenResolver(new StringConcat()),
      preparing: false,
    });
    return typeof out === "string" ? out : value;
  } catch {
    return value;
  }
}

export function resolveOrThrow(scope: IConstruct, target: IamTarget): ResolvedTarget {
  const problems = new Problems(scope);
  const resolved = resolveTarget(scope, target, problems);
  problems.throwIfAny();
  return resolved!;
}

const PROJECT_ID = /^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;
const EMAIL = /^[^\s@/]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const TARGET_KEYS = ["serviceAccount", "secret", "service", "job", "workerPool", "subscription"];

/** Reduces a target to its resource fields and a stable key; adds problems when it is malformed. */
export function resolveTarget(
  scope: IConstruct,
  target: IamTarget,
  problems: Problems,
): ResolvedTarget | undefined {
  if (isGrantable(target)) {
    const w = target.iamTarget;
    return {
      kind: w.kind,
      key: `${w.kind}:${stableText(scope, w.key)}`,
      id: w.name,
      project: w.project,
      location: w.location,
    };
  }
  if (typeof target !== "object" || target === null) {
    problems.add(iamErrors.target(scope, target, "the target is not an object"));
    return undefined;
  }
  const given = TARGET_KEYS.filter((k) => k in target);
  if (given.length > 1) {
    problems.add(
      iamErrors.target(scope, target, `the target names ${given.join(" and ")}; give exactly one`),
    );
    return undefined;
  }
  const t = target as unknown as Record<string, string | undefined>;
  const defaultProject = workloadDefaults(scope).project ?? "";
  const kind = given[0];
  if (kind === undefined) {
    if (!("project" in t)) {
      problems.add(iamErrors.target(scope, target, "the target names no resource"));
      return undefined;
    }
    const project = checkedProject(scope, stripPrefix(t.project, "projects/"), problems);
    return { kind: "project", key: `project:${stableText(scope, project)}`, id: project };
  }
  const value = t[kind];
  if (typeof value !== "string" || value === "") {
    problems.add(iamErrors.target(scope, target, `${kind} must be a non-empty string`));
    return undefined;
  }
  const project = t.project === undefined ? undefined : checkedProject(scope, t.project, problems);

  if (kind === "serviceAccount") {
    const email = serviceAccountEmail(value);
    if (!isUnresolved(value) && !EMAIL.test(email)) {
      problems.add(iamErrors.serviceAccount(scope, "target.serviceAccount", value));
    }
    const id = value.startsWith("projects/") ? value : `projects/-/serviceAccounts/${email}`;
    return { kind: "service-account", key: `service-account:${stableText(scope, email)}`, id };
  }

  if (kind === "secret" || kind === "subscription") {
    const collection = kind === "secret" ? "secrets" : "subscriptions";
    const parsed = parsePath(value, [collection]);
    const name = parsed?.name ?? value;
    const inProject = parsed?.project ?? project;
    if (parsed && project !== undefined && project !== parsed.project) {
      problems.add(
        iamErrors.target(scope, target, `project ${project} differs from the one in ${value}`),
      );
    }
    if (kind === "secret" && !isUnresolved(name) && !SECRET_ID.test(name)) {
      problems.add(
        iamErrors.target(scope, target, "a secret id is 1–255 letters, digits, - and _"),
      );
    }
    const key = `${kind}:${stableText(scope, inProject ?? defaultProject)}/${stableText(scope, name)}`;
    return { kind, key, id: name, project: inProject };
  }

  // service, job, workerPool
  const workload = ({ service: "service", job: "job", workerPool: "worker-pool" } as const)[
    kind as "service" | "job" | "workerPool"
  ];
  const parsed = parsePath(value, [`${kind}s`]);
  const location = parsed?.location ?? t.location ?? workloadDefaults(scope).region;
  if (location === undefined) {
    problems.add(iamErrors.location(scope, workload));
    return undefined;
  }
  const name = parsed?.name ?? value;
  const inProject = parsed?.project ?? project;
  const key =
    `${workload}:${stableText(scope, inProject ?? defaultProject)}/` +
    `${stableText(scope, location)}/${stableText(scope, name)}`;
  return { kind: workload, key, id: name, project: inProject, location };
}

function checkedProject(
  scope: IConstruct,
  project: string | undefined,
  problems: Problems,
): string {
  if (typeof project !== "string" || (!isUnresolved(project) && !PROJECT_ID.test(project))) {
    problems.add(
      iamErrors.target(
        scope,
        { project },
        "a project id is 6–30 lowercase letters, digits and hyphens, starting with a letter",
      ),
    );
  }
  return project ?? "";
}

function stripPrefix(value: string | undefined, prefix: string): string | undefined {
  return typeof value === "string" && value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** The email in `EMAIL`, `serviceAccount:EMAIL` or `projects/P/serviceAccounts/EMAIL`. */
export function serviceAccountEmail(value: string): string {
  if (value.startsWith("serviceAccount:")) return value.slice("serviceAccount:".length);
  const m = /^projects\/[^/]+\/serviceAccounts\/(.+)$/.exec(value);
  return m ? m[1] : value;
}

/** `projects/P/[locations/L/]COLLECTION/NAME` → its parts; `undefined` for a bare name. */
function parsePath(
  value: string,
  collections: string[],
): { project: string; location?: string; name: string } | undefined {
  if (!value.startsWith("projects/")) return undefined;
  const m = /^projects\/([^/]+)\/(?:locations\/([^/]+)\/)?([A-Za-z]+)\/([^/]+)$/.exec(value);
  if (!m || !collections.includes(m[3])) return undefined;
  return { project: m[1], location: m[2], name: m[4] };
}

export function createMember(
  scope: Construct,
  id: string,
  t: ResolvedTarget,
  role: string,
  member: string,
): TerraformResource {
  switch (t.kind) {
    case "service":
    case "job":
    case "worker-pool": {
      const c = defined({ name: t.id, location: t.location, project: t.project, role, member });
      if (t.kind === "service") return new CloudRunV2ServiceIamMember(scope, id, c);
      if (t.kind === "job") return new CloudRunV2JobIamMember(scope, id, c);
      return new CloudRunV2WorkerPoolIamMember(scope, id, c);
    }
    case "secret":
      return new SecretManagerSecretIamMember(
        scope,
        id,
        defined({
          secretId: t.id,
          project: t.project,
          role,
          member,
        }),
      );
    case "subscription":
      return new PubsubSubscriptionIamMember(
        scope,
        id,
        defined({
          subscription: t.id,
          project: t.project,
          role,
          member,
        }),
      );
    case "service-account":
      return new ServiceAccountIamMember(scope, id, { serviceAccountId: t.id, role, member });
    case "project":
      return new ProjectIamMember(scope, id, { project: t.id, role, member });
  }
}

export function createBinding(
  scope: Construct,
  id: string,
  t: ResolvedTarget,
  role: string,
  members: string[],
): TerraformResource {
  switch (t.kind) {
    case "service":
    case "job":
    case "worker-pool": {
      const c = defined({ name: t.id, location: t.location, project: t.project, role, members });
      if (t.kind === "service") return new CloudRunV2ServiceIamBinding(scope, id, c);
      if (t.kind === "job") return new CloudRunV2JobIamBinding(scope, id, c);
      return new CloudRunV2WorkerPoolIamBinding(scope, id, c);
    }
    case "secret":
      return new SecretManagerSecretIamBinding(
        scope,
        id,
        defined({
          secretId: t.id,
          project: t.project,
          role,
          members,
        }),
      );
    case "subscription":
      return new PubsubSubscriptionIamBinding(
        scope,
        id,
        defined({
          subscription: t.id,
          project: t.project,
          role,
          members,
        }),
      );
    case "service-account":
      return new ServiceAccountIamBinding(scope, id, { serviceAccountId: t.id, role, members });
    case "project":
      return new ProjectIamBinding(scope, id, { project: t.id, role, members });
  }
}
