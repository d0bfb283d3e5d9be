import { Construct, IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
import { prepareStack } from "../core/stack-setup";
import { Problems, pathOf } from "../core/errors";
import { iamErrors } from "./errors";
import { IAM_BINDING_TYPES, assertPropTypes } from "../core/prop-types";
import {
  constructId,
  createBinding,
  createMember,
  isGrantable,
  type ResolvedTarget,
  resolveOrThrow,
  resolveTarget,
  stableText,
} from "./iam-targets";

export { serviceAccountEmail, stableText } from "./iam-targets";

export type {
  IamTarget,
  IGrantable,
  JobIamTarget,
  ProjectIamTarget,
  RegionalIamTarget,
  SecretIamTarget,
  ServiceAccountIamTarget,
  ServiceIamTarget,
  SubscriptionIamTarget,
  WorkerPoolIamTarget,
  WorkloadIamTarget,
} from "./iam-target-types";
import type { IamTarget } from "./iam-target-types";

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
  readonly authoritative?: boolean | undefined;
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
  public readonly bindingResource?: TerraformResource | undefined;
  private readonly requested: string[] = [];
  /** Stable texts of `requested` (additive bindings), so each member is resolved once. */
  private readonly requestedTexts = new Set<string>();
  private readonly resolved: ResolvedTarget;

  constructor(scope: Construct, id: string, props: IamBindingProps) {
    super(scope, id);
    prepareStack(this);
    assertPropTypes(this, props, IAM_BINDING_TYPES, true);
    this.role = props.role;
    this.target = props.target;
    this.authoritative = props.authoritative ?? false;

    const problems = new Problems(this);
    const resolved = resolveTarget(this, props.target, problems);
    problems.add(iamErrors.role(this, "role", props.role));
    if (!Array.isArray(props.members)) problems.add(iamErrors.iamMember(this, props.members));
    else props.members.forEach((m, i) => problems.add(iamErrors.member(this, `members[${i}]`, m)));
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
    if (!this.requestedTexts.has(memberText)) {
      this.requestedTexts.add(memberText);
      this.requested.push(member);
    }

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

/** Grants on non-workload targets: `<stack>/Grants/<target key>/<role>/<member>`. */
function grantGroup(scope: IConstruct, target: ResolvedTarget): Construct {
  const stack = TerraformStack.of(scope);
  const grants =
    (stack.node.tryFindChild("Grants") as Construct | undefined) ?? new Construct(stack, "Grants");
  const id = constructId(target.key);
  return (grants.node.tryFindChild(id) as Construct | undefined) ?? new Construct(grants, id);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
