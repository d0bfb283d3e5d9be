import { Construct, IConstruct } from "constructs";
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from "cdktf";
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
import { Problems, pathOf } from "./private/errors";
import { iamErrors } from "./private/errors-iam";
import { workloadDefaults } from "./private/context";
import { isUnresolved } from "./private/values";

/** What a Cloud Run workload construct exposes so IAM can be granted on it. */
export interface WorkloadIamTarget {
  readonly kind: "service" | "job" | "worker-pool";
  /** Stable key for de-duplication: the workload's construct path. */
  readonly key: string;
  /** The workload's name (a reference to the resource, so grants wait for it). */
  readonly name: string;
  readonly location: string;
  readonly project?: string;
  /** The workload construct: grants on it are created below it. */
  readonly scope: Construct;
}

/** A construct that can be the target of an `IamBinding` (services, jobs, worker pools). */
export interface IGrantable {
  readonly iamTarget: WorkloadIamTarget;
}

/** A project: `{ project: "acme-dev" }`. */
export interface ProjectIamTarget {
  readonly project: string;
}

/** A service account, by email (or `projects/P/serviceAccounts/EMAIL`). */
export interface ServiceAccountIamTarget {
  readonly serviceAccount: string;
}

/** A Secret Manager secret, by name (or `projects/P/secrets/NAME`). */
export interface SecretIamTarget {
  readonly secret: string;
  /** @default - the provider's project */
  readonly project?: string;
}

/** Where a Cloud Run resource named by string lives. */
export interface RegionalIamTarget {
  /** @default - the stack's region (environment, then Google provider) */
  readonly location?: string;
  /** @default - the provider's project */
  readonly project?: string;
}

/** A Cloud Run service by name (or `projects/P/locations/L/services/NAME`), when the construct is not at hand. */
export interface ServiceIamTarget extends RegionalIamTarget {
  readonly service: string;
}

/** A Cloud Run job by name (or `projects/P/locations/L/jobs/NAME`). */
export interface JobIamTarget extends RegionalIamTarget {
  readonly job: string;
}

/** A Cloud Run worker pool by name (or `projects/P/locations/L/workerPools/NAME`). */
export interface WorkerPoolIamTarget extends RegionalIamTarget {
  readonly workerPool: string;
}

/** A Pub/Sub subscription by name (or `projects/P/subscriptions/NAME`): pull consumers need `roles/pubsub.subscriber` on it. */
export interface SubscriptionIamTarget {
  readonly subscription: string;
  /** @default - the provider's project */
  readonly project?: string;
}

/** Where an `IamBinding` grants its role. */
export type IamTarget =
  | IGrantable
  | ProjectIamTarget
  | ServiceAccountIamTarget
  | SecretIamTarget
  | ServiceIamTarget
  | JobIamTarget
  | WorkerPoolIamTarget
  | SubscriptionIamTarget;

export interface IamBindingProps {
  /** The resource the role is granted on. */
  readonly target: IamTarget;
  /** A predefined (`roles/run.invoker`) or custom (`projects/P/roles/R`, `organizations/O/roles/R`) role. */
  readonly role: string;
  /**
   * Members: `user:EMAIL`, `group:EMAIL`, `serviceAccount:EMAIL`, `domain:DOMAIN`,
   * `principal://…`, `principalSet://…`, `allUsers`, `allAuthenticatedUsers`. Duplicates are
   * granted once.
   */
  readonly members: readonly string[];
  /**
   * Use an authoritative `_iam_binding`: Terraform then REMOVES every member of this role on the
   * target that it did not add itself (members granted in the console, by gcloud, or by another
   * stack). Only for roles this stack owns entirely; it may not be combined with other grants of
   * the same role on the same target in this stack.
   * @default false - one additive `_iam_member` per member
   */
  readonly authoritative?: boolean;
}

type TargetKind =
  "project" | "service-account" | "secret" | "service" | "job" | "worker-pool" | "subscription";

/** A target reduced to what the resources need, plus a stable key. */
interface ResolvedTarget {
  readonly kind: TargetKind;
  /** Unique per target within a stack, free of tokens (references are written out). */
  readonly key: string;
  /** Project id, account path, secret id, subscription or workload name. */
  readonly id: string;
  readonly project?: string;
  readonly location?: string;
}

interface StackIam {
  /** `targetKey|role|member` → its `_iam_member`. */
  readonly members: Map<string, TerraformResource>;
  /** `targetKey|role` → the bindings that grant it. */
  readonly roles: Map<string, IamBinding[]>;
}

const STACKS = new WeakMap<TerraformStack, StackIam>();

function stackIam(scope: IConstruct): StackIam {
  const stack = TerraformStack.of(scope);
  let found = STACKS.get(stack);
  if (!found) STACKS.set(stack, (found = { members: new Map(), roles: new Map() }));
  return found;
}

/**
 * One role for many members on a target, additive by default: one `google_*_iam_member` per
 * member, with construct ids derived from the member (never array positions), de-duplicated per
 * stack, so granting the same member the same role on the same target twice yields one resource.
 * Never writes an `_iam_policy`; writes an `_iam_binding` only with `authoritative: true`.
 *
 * ```ts
 * new IamBinding(this, "QaInvokers", {
 *   target: api, role: "roles/run.invoker", members: ["group:qa@acme.example"],
 * });
 * ```
 */
export class IamBinding extends Construct {
  /**
   * Grants `role` to `member` on `target`, additively and idempotently. Workload grants live
   * under the workload; other targets need `scope` (any construct of the stack) and their grants
   * live under the stack's `Grants` construct. `memberId` names the member's resource when the
   * member is a reference whose written-out form is not a good id (default: derived from the
   * member). Returns the `_iam_member` resource (the existing one when already granted).
   */
  static grant(
    target: IamTarget,
    role: string,
    member: string,
    scope?: IConstruct,
    memberId?: string,
  ): TerraformResource {
    let parent: Construct;
    if (isGrantable(target)) {
      parent = target.iamTarget.scope;
    } else {
      if (!scope) {
        throw new Error(
          `IamBinding.grant(${JSON.stringify(target)}, "${role}", …) needs a scope: ` +
            "pass any construct of the stack as the fourth argument",
        );
      }
      parent = grantGroup(scope, resolveOrThrow(scope, target));
    }
    const id = constructId(role);
    const existing = parent.node.tryFindChild(id);
    const binding =
      existing instanceof IamBinding
        ? existing
        : new IamBinding(parent, id, { target, role, members: [] });
    return binding.addMember(member, memberId);
  }

  public readonly role: string;
  public readonly target: IamTarget;
  public readonly authoritative: boolean;
  /** The `_iam_member` resources this binding created (additive), in the order members were added. */
  public readonly memberResources: TerraformResource[] = [];
  /** The `_iam_binding` resource (authoritative only). */
  public readonly bindingResource?: TerraformResource;
  private readonly requested: string[] = [];
  private readonly resolved: ResolvedTarget;

  constructor(scope: Construct, id: string, props: IamBindingProps) {
    super(scope, id);
    this.role = props.role;
    this.target = props.target;
    this.authoritative = props.authoritative ?? false;

    const problems = new Problems(this);
    const resolved = resolveTarget(this, props.target, problems);
    problems.add(iamErrors.role(this, "role", props.role));
    props.members.forEach((m, i) => problems.add(iamErrors.member(this, `members[${i}]`, m)));
    if (this.authoritative && props.members.length === 0) {
      problems.add(iamErrors.authoritativeEmpty(this, props.role));
    }
    problems.throwIfAny();
    this.resolved = resolved!;

    const roleKey = `${this.resolved.key}|${this.role}`;
    const iam = stackIam(this);
    const siblings = iam.roles.get(roleKey) ?? [];
    iam.roles.set(roleKey, [...siblings, this]);

    if (this.authoritative) {
      const members = unique(props.members);
      this.requested.push(...members);
      this.bindingResource = createBinding(this, "Binding", this.resolved, this.role, members);
      problems.validateLater(() => {
        const others = (iam.roles.get(roleKey) ?? []).filter(
          (b) => b !== this && (b.authoritative || b.requested.length > 0),
        );
        if (others.length === 0) return [];
        return [iamErrors.conflict(this, this.role, others.map((b) => pathOf(b)).join(", "))];
      });
    } else {
      for (const m of props.members) this.addMember(m);
      problems.validateLater(() =>
        this.requested.length === 0 ? [iamErrors.noMembers(this, this.role)] : [],
      );
    }
  }

  /** The members requested on this binding (de-duplicated), including ones granted elsewhere. */
  get members(): readonly string[] {
    return [...this.requested];
  }

  /**
   * Adds a member (additive bindings only); returns its `_iam_member`, existing or new.
   * @param id construct id of the member's resource (default: derived from the member)
   */
  addMember(member: string, id?: string): TerraformResource {
    if (this.authoritative) {
      throw new Error(
        `${pathOf(this)}: addMember() is for additive bindings; pass the members of an authoritative binding to its constructor`,
      );
    }
    const problems = new Problems(this);
    problems.add(iamErrors.member(this, "member", member));
    problems.throwIfAny();
    const memberText = stableText(this, member);
    if (!this.requested.some((m) => stableText(this, m) === memberText))
      this.requested.push(member);

    const iam = stackIam(this);
    const key = `${this.resolved.key}|${this.role}|${memberText}`;
    const found = iam.members.get(key);
    if (found) return found;
    const resourceId = constructId(id ?? memberText);
    const resource = createMember(this, resourceId, this.resolved, this.role, member);
    iam.members.set(key, resource);
    this.memberResources.push(resource);
    return resource;
  }
}

function isGrantable(t: IamTarget): t is IGrantable {
  return typeof t === "object" && t !== null && "iamTarget" in t;
}

/** Grants on non-workload targets: `<stack>/Grants/<target key>/<role>/<member>`. */
function grantGroup(scope: IConstruct, target: ResolvedTarget): Construct {
  const stack = TerraformStack.of(scope);
  const grants =
    (stack.node.tryFindChild("Grants") as Construct | undefined) ?? new Construct(stack, "Grants");
  const id = constructId(target.key);
  return (grants.node.tryFindChild(id) as Construct | undefined) ?? new Construct(grants, id);
}

/** A construct id from any text: path separators and reference braces removed. */
function constructId(text: string): string {
  return text.replace(/\$\{|\}/g, "").replace(/\//g, "-");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
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

function resolveOrThrow(scope: IConstruct, target: IamTarget): ResolvedTarget {
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
function resolveTarget(
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

function createMember(
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
      const c = { name: t.id, location: t.location, project: t.project, role, member };
      if (t.kind === "service") return new CloudRunV2ServiceIamMember(scope, id, c);
      if (t.kind === "job") return new CloudRunV2JobIamMember(scope, id, c);
      return new CloudRunV2WorkerPoolIamMember(scope, id, c);
    }
    case "secret":
      return new SecretManagerSecretIamMember(scope, id, {
        secretId: t.id,
        project: t.project,
        role,
        member,
      });
    case "subscription":
      return new PubsubSubscriptionIamMember(scope, id, {
        subscription: t.id,
        project: t.project,
        role,
        member,
      });
    case "service-account":
      return new ServiceAccountIamMember(scope, id, { serviceAccountId: t.id, role, member });
    case "project":
      return new ProjectIamMember(scope, id, { project: t.id, role, member });
  }
}

function createBinding(
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
      const c = { name: t.id, location: t.location, project: t.project, role, members };
      if (t.kind === "service") return new CloudRunV2ServiceIamBinding(scope, id, c);
      if (t.kind === "job") return new CloudRunV2JobIamBinding(scope, id, c);
      return new CloudRunV2WorkerPoolIamBinding(scope, id, c);
    }
    case "secret":
      return new SecretManagerSecretIamBinding(scope, id, {
        secretId: t.id,
        project: t.project,
        role,
        members,
      });
    case "subscription":
      return new PubsubSubscriptionIamBinding(scope, id, {
        subscription: t.id,
        project: t.project,
        role,
        members,
      });
    case "service-account":
      return new ServiceAccountIamBinding(scope, id, { serviceAccountId: t.id, role, members });
    case "project":
      return new ProjectIamBinding(scope, id, { project: t.id, role, members });
  }
}
