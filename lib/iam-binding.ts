import { Construct, IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
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
import { Problems, problem } from "./private/errors";
import { safeId } from "./private/stack-singletons";
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

/** Where an `IamBinding` grants its role. */
export type IamTarget =
  | IGrantable
  | { readonly project: string }
  | { readonly serviceAccount: string }
  | { readonly secret: string; readonly project?: string };

export interface IamBindingProps {
  /** The resource the role is granted on. */
  readonly target: IamTarget;
  /** A predefined (`roles/run.invoker`) or custom (`projects/P/roles/R`) role. */
  readonly role: string;
  /** Members: `user:`, `group:`, `serviceAccount:`, `domain:`, `principal:`, `principalSet:`, `allUsers`, `allAuthenticatedUsers`. */
  readonly members: readonly string[];
  /**
   * Use an authoritative `_iam_binding`: Terraform then REMOVES every member of this role on the
   * target that it did not add itself (members granted in the console, by gcloud, or by another
   * stack). Only for roles this stack owns entirely.
   * @default false - one additive `_iam_member` per member
   */
  readonly authoritative?: boolean;
}

type MemberResource = TerraformResource & { readonly member: string };

const REGISTRY = new WeakMap<TerraformStack, Map<string, TerraformResource>>();

/**
 * One role for many members on a target, additive by default: one `google_*_iam_member` per
 * member, with construct ids derived from the member (never array positions), and de-duplicated
 * per stack, so granting the same member the same role twice yields one resource.
 *
 * ```ts
 * new IamBinding(this, "Invokers", { target: api, role: "roles/run.invoker", members: ["group:qa@acme.example"] });
 * ```
 */
export class IamBinding extends Construct {
  /**
   * Grants `role` to `member` on `target`, additively and idempotently, under a construct the
   * target owns. Returns the `_iam_member` resource (the existing one when already granted).
   */
  static grant(
    target: IamTarget,
    role: string,
    member: string,
    scope?: IConstruct,
    memberId?: string,
  ): TerraformResource {
    const parent = grantParent(target, scope);
    const id = `Grant-${safeId(role)}`;
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
  /** The `_iam_member` resources (additive), in the order members were added. */
  public readonly memberResources: TerraformResource[] = [];
  /** The `_iam_binding` resource (authoritative only). */
  public readonly bindingResource?: TerraformResource;
  private readonly members: string[] = [];

  constructor(scope: Construct, id: string, props: IamBindingProps) {
    super(scope, id);
    this.role = props.role;
    this.target = props.target;
    this.authoritative = props.authoritative ?? false;

    const problems = new Problems(this);
    problems.add(checkRole(this, props.role));
    props.members.forEach((m, i) => problems.add(checkMember(this, `members[${i}]`, m)));
    problems.throwIfAny();

    if (this.authoritative) {
      this.members.push(...props.members);
      this.bindingResource = createBinding(this, "Binding", props.target, props.role, this.members);
    } else {
      for (const m of props.members) this.addMember(m);
    }
  }

  /**
   * Adds a member (additive bindings only); returns its `_iam_member`, existing or new.
   * `id` names the construct; it is required when `member` holds a reference (e.g. a service
   * account created in this stack), whose text is not stable across changes.
   */
  addMember(member: string, id?: string): TerraformResource {
    if (this.authoritative) {
      throw new Error(
        `${this.node.path}: addMember() is for additive bindings; pass members to the constructor`,
      );
    }
    const problems = new Problems(this);
    problems.add(checkMember(this, "member", member));
    problems.throwIfAny();
    const stack = TerraformStack.of(this);
    let registry = REGISTRY.get(stack);
    if (!registry) REGISTRY.set(stack, (registry = new Map()));
    const key = `${targetKey(this.target)}|${this.role}|${member}`;
    const found = registry.get(key);
    if (found) return found;
    if (id === undefined && isUnresolved(member)) {
      throw new Error(
        `${this.node.path}: addMember() needs an id for a member that is a reference (${member})`,
      );
    }
    const resource = createMember(this, safeId(id ?? member), this.target, this.role, member);
    registry.set(key, resource);
    this.members.push(member);
    this.memberResources.push(resource);
    return resource;
  }
}

function isGrantable(t: IamTarget): t is IGrantable {
  return "iamTarget" in t;
}

function targetKey(t: IamTarget): string {
  if (isGrantable(t)) return `${t.iamTarget.kind}:${t.iamTarget.key}`;
  if ("secret" in t) return `secret:${t.project ?? ""}/${t.secret}`;
  if ("serviceAccount" in t) return `sa:${t.serviceAccount}`;
  return `project:${t.project}`;
}

/** Workload grants live under the workload; the rest under the stack's `Grants` construct. */
function grantParent(target: IamTarget, scope?: IConstruct): Construct {
  if (isGrantable(target)) return target.iamTarget.scope;
  const stack = TerraformStack.of(scope ?? (target as unknown as IConstruct));
  const grants = (stack.node.tryFindChild("Grants") as Construct) ?? new Construct(stack, "Grants");
  const id = safeId(targetKey(target));
  return (grants.node.tryFindChild(id) as Construct) ?? new Construct(grants, id);
}

function createMember(
  scope: Construct,
  id: string,
  t: IamTarget,
  role: string,
  member: string,
): MemberResource {
  if (isGrantable(t)) {
    const w = t.iamTarget;
    const common = { name: w.name, location: w.location, project: w.project, role, member };
    if (w.kind === "service") return new CloudRunV2ServiceIamMember(scope, id, common);
    if (w.kind === "job") return new CloudRunV2JobIamMember(scope, id, common);
    return new CloudRunV2WorkerPoolIamMember(scope, id, common);
  }
  if ("secret" in t)
    return new SecretManagerSecretIamMember(scope, id, {
      secretId: t.secret,
      project: t.project,
      role,
      member,
    });
  if ("serviceAccount" in t) {
    return new ServiceAccountIamMember(scope, id, {
      serviceAccountId: serviceAccountPath(t.serviceAccount),
      role,
      member,
    });
  }
  return new ProjectIamMember(scope, id, { project: t.project, role, member });
}

function createBinding(
  scope: Construct,
  id: string,
  t: IamTarget,
  role: string,
  members: string[],
): TerraformResource {
  if (isGrantable(t)) {
    const w = t.iamTarget;
    const common = { name: w.name, location: w.location, project: w.project, role, members };
    if (w.kind === "service") return new CloudRunV2ServiceIamBinding(scope, id, common);
    if (w.kind === "job") return new CloudRunV2JobIamBinding(scope, id, common);
    return new CloudRunV2WorkerPoolIamBinding(scope, id, common);
  }
  if ("secret" in t)
    return new SecretManagerSecretIamBinding(scope, id, {
      secretId: t.secret,
      project: t.project,
      role,
      members,
    });
  if ("serviceAccount" in t) {
    return new ServiceAccountIamBinding(scope, id, {
      serviceAccountId: serviceAccountPath(t.serviceAccount),
      role,
      members,
    });
  }
  return new ProjectIamBinding(scope, id, { project: t.project, role, members });
}

/** `projects/-/serviceAccounts/EMAIL`, the form the service-account IAM resources take. */
function serviceAccountPath(email: string): string {
  return email.startsWith("projects/") ? email : `projects/-/serviceAccounts/${email}`;
}

const ROLE =
  /^(roles\/[A-Za-z0-9_.]+|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/roles\/[A-Za-z0-9_.]+|organizations\/\d+\/roles\/[A-Za-z0-9_.]+)$/;
const MEMBER =
  /^((user|group|serviceAccount|domain):[^\s:]+|principal:\/\/\S+|principalSet:\/\/\S+|allUsers|allAuthenticatedUsers|(deleted:)?(user|group|serviceAccount):\S+)$/;

function checkRole(scope: IConstruct, role: string) {
  if (isUnresolved(role) || ROLE.test(role)) return undefined;
  return problem(
    "CR_IAM_ROLE",
    scope,
    "role",
    role,
    'a role is "roles/NAME", "projects/PROJECT/roles/NAME" or "organizations/ORG_ID/roles/NAME"',
    'Use e.g. "roles/run.invoker"',
  );
}

function checkMember(scope: IConstruct, prop: string, member: string) {
  if (isUnresolved(member) || MEMBER.test(member)) return undefined;
  return problem(
    "CR_IAM_MEMBER",
    scope,
    prop,
    member,
    'a member is "user:EMAIL", "group:EMAIL", "serviceAccount:EMAIL", "domain:DOMAIN", "principal://…", "principalSet://…", "allUsers" or "allAuthenticatedUsers"',
    `Prefix the identity with its kind, e.g. "user:${String(member).replace(/^\w+:/, "")}"`,
  );
}
