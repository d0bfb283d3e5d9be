/**
 * Cloud Run risk flags, the one implementation behind review and plan-summary: both turn their
 * input into `ChangeSet`s first, so a flag reads the same from cdk.tf.json and from a plan.
 */
import { ChangeSet, ResourceChange, isObject, valueAt, valuesAt } from "./changes";
import { WORKLOAD_TYPES } from "./force-new";
import { parseImageRef } from "@cdktf-cloud-run/constructs";

export type RiskCode =
  | "SERVICE_PUBLIC"
  | "DELETION_PROTECTION_OFF"
  | "IAM_MEMBER_REMOVED"
  | "IAM_AUTHORITATIVE"
  | "API_REMOVED"
  | "API_DISABLE_ON_DESTROY"
  | "IMAGE_TAG"
  | "WORKLOAD_DELETED"
  | "REPLACED"
  | "STACK_DELETED"
  | "BACKEND_CHANGED";

export interface Risk {
  readonly code: RiskCode;
  /** The stack (review) or plan the risk is in. */
  readonly scope: string;
  /** The resource address; absent for stack-level risks. */
  readonly address?: string;
  readonly message: string;
}

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];
const IMAGE_PATHS = ["template.containers.image", "template.template.containers.image"];

function isWorkload(type: string): boolean {
  return (WORKLOAD_TYPES as readonly string[]).includes(type);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function members(value: unknown): string[] {
  return valuesAt(value, "members").filter((m): m is string => typeof m === "string");
}

function label(value: unknown): string {
  const name = isObject(value) ? str(value.name) : undefined;
  return name ? ` "${name}"` : "";
}

type Check = (c: ResourceChange) => Array<[RiskCode, string]>;

const publicAccess: Check = (c) => {
  if (c.action === "delete" || c.action === "read") return [];
  const out: Array<[RiskCode, string]> = [];
  const role = str(valueAt(c.after, "role")) ?? "a role";
  if (c.type.endsWith("_iam_member")) {
    const m = str(valueAt(c.after, "member"));
    if (m && PUBLIC_MEMBERS.includes(m) && m !== str(valueAt(c.before, "member")))
      out.push(["SERVICE_PUBLIC", `grants ${role} to ${m}: anyone can call it`]);
  } else if (c.type.endsWith("_iam_binding")) {
    const was = members(c.before);
    for (const m of members(c.after).filter((x) => PUBLIC_MEMBERS.includes(x) && !was.includes(x)))
      out.push(["SERVICE_PUBLIC", `binds ${role} to ${m}: anyone can call it`]);
  } else if (c.type.endsWith("_iam_policy")) {
    const now = str(valueAt(c.after, "policy_data")) ?? "";
    const was = str(valueAt(c.before, "policy_data")) ?? "";
    for (const m of PUBLIC_MEMBERS.filter((x) => now.includes(`"${x}"`) && !was.includes(`"${x}"`)))
      out.push(["SERVICE_PUBLIC", `policy grants to ${m}: anyone can call it`]);
  }
  if (
    c.type === "google_cloud_run_v2_service" &&
    valueAt(c.after, "invoker_iam_disabled") === true &&
    valueAt(c.before, "invoker_iam_disabled") !== true
  )
    out.push([
      "SERVICE_PUBLIC",
      `service${label(c.after)} turns invoker_iam_disabled on: no IAM check on calls`,
    ]);
  return out;
};

const deletionProtection: Check = (c) =>
  (c.action === "update" || c.action === "replace") &&
  valueAt(c.after, "deletion_protection") === false &&
  valueAt(c.before, "deletion_protection") !== false
    ? [
        [
          "DELETION_PROTECTION_OFF",
          `deletion_protection turned off${label(c.after) && ` on${label(c.after)}`}`,
        ],
      ]
    : [];

const iam: Check = (c) => {
  const out: Array<[RiskCode, string]> = [];
  if (c.type.endsWith("_iam_member") && (c.action === "delete" || c.action === "replace")) {
    const m = str(valueAt(c.before, "member"));
    const r = str(valueAt(c.before, "role"));
    const same =
      c.action === "replace" &&
      m === str(valueAt(c.after, "member")) &&
      r === str(valueAt(c.after, "role"));
    if (!same) out.push(["IAM_MEMBER_REMOVED", `removes ${m ?? "a member"} from ${r ?? "a role"}`]);
  }
  if (c.type.endsWith("_iam_binding") && c.action !== "create" && c.action !== "read") {
    const now = c.action === "delete" ? [] : members(c.after);
    const role = str(valueAt(c.before, "role")) ?? "a role";
    for (const m of members(c.before).filter((x) => !now.includes(x)))
      out.push(["IAM_MEMBER_REMOVED", `removes ${m} from ${role}`]);
  }
  if (
    (c.type.endsWith("_iam_binding") || c.type.endsWith("_iam_policy")) &&
    c.action === "create"
  ) {
    const role = str(valueAt(c.after, "role"));
    out.push([
      "IAM_AUTHORITATIVE",
      `authoritative ${c.type.endsWith("_policy") ? "policy" : `binding of ${role ?? "a role"}`}: removes every member it does not list (prefer *_iam_member)`,
    ]);
  }
  return out;
};

const apis: Check = (c) => {
  if (c.type !== "google_project_service") return [];
  const api = str(valueAt(c.before ?? c.after, "service")) ?? "an API";
  const disables = valueAt(c.before, "disable_on_destroy") !== false;
  if (c.action === "delete")
    return [
      [
        "API_REMOVED",
        `${api} is no longer managed${disables ? " and will be DISABLED (disable_on_destroy is not false)" : ""}`,
      ],
    ];
  const b = valueAt(c.before, "disable_on_destroy");
  const a = valueAt(c.after, "disable_on_destroy");
  if ((c.action === "update" || c.action === "replace") && a !== b)
    return [
      [
        "API_DISABLE_ON_DESTROY",
        `${api}: disable_on_destroy ${JSON.stringify(b ?? null)} → ${JSON.stringify(a ?? null)}`,
      ],
    ];
  return [];
};

const imageTags: Check = (c) => {
  if (!isWorkload(c.type) || (c.action !== "update" && c.action !== "replace")) return [];
  const out: Array<[RiskCode, string]> = [];
  for (const path of IMAGE_PATHS) {
    const before = valuesAt(c.before, path);
    valuesAt(c.after, path).forEach((image, i) => {
      const was = before[i];
      if (typeof image !== "string" || typeof was !== "string") return;
      const now = parseImageRef(image);
      const old = parseImageRef(was);
      if (old.ok && old.ref.digest && !(now.ok && now.ref.digest))
        out.push(["IMAGE_TAG", `image moves from a digest to a tag: ${was} → ${image}`]);
    });
  }
  return out;
};

const workloads: Check = (c) => {
  if (c.mode !== "managed") return [];
  if (isWorkload(c.type) && c.action === "delete")
    return [["WORKLOAD_DELETED", `workload${label(c.before)} is destroyed`]];
  if (c.action === "replace") {
    const why = c.movedFrom
      ? `its address changed from ${c.movedFrom} (add a moved block to keep it)`
      : `${(c.replacePaths ?? []).join(", ") || "a field that forces replacement"} changed`;
    return [["REPLACED", `destroyed and re-created${label(c.after)}: ${why}`]];
  }
  if (c.type === "backend" && c.action === "update")
    return [["BACKEND_CHANGED", "the state backend changed: Terraform starts from the new state"]];
  return [];
};

const CHECKS: readonly Check[] = [
  publicAccess,
  deletionProtection,
  iam,
  apis,
  imageTags,
  workloads,
];

/** Risks of one resource change. */
export function resourceRisks(scope: string, change: ResourceChange): Risk[] {
  return CHECKS.flatMap((check) =>
    check(change).map(([code, message]) => ({ code, scope, address: change.address, message })),
  );
}

/** Risks of a change set: a deleted stack, then each resource's. */
export function detectRisks(sets: readonly ChangeSet[]): Risk[] {
  const out: Risk[] = [];
  for (const set of sets) {
    if (set.status === "removed")
      out.push({
        code: "STACK_DELETED",
        scope: set.name,
        message: `stack ${set.name} is gone: every resource in it will be destroyed`,
      });
    const risks = set.resources.flatMap((c) => resourceRisks(set.name, c));
    // In a deleted stack every resource goes: name the workloads, not every grant and API.
    for (const r of risks)
      if (set.status !== "removed" || r.code === "WORKLOAD_DELETED") out.push(r);
  }
  return out;
}
