/**
 * IAM problems (`CR_IAM_*`): the checks on roles, members and targets, and their messages.
 * Kept apart from `core/errors.ts` so the IAM rules read in one place. Same message shape:
 *
 *   CR_IAM_MEMBER: [dev/Invokers] members[0] is "alice@acme.example"; "alice@acme.example" has no
 *   kind prefix; a member is "user:EMAIL", ... . Write it as "user:alice@acme.example".
 */
import { IConstruct } from "constructs";
import { Problem, problem } from "../core/errors";
import { isUnresolved } from "../core/values";

type Scope = IConstruct | string;

/** The member forms IAM accepts, as listed in every `CR_IAM_MEMBER` message. */
export const MEMBER_FORMS =
  '"user:EMAIL", "group:EMAIL", "serviceAccount:EMAIL", "domain:DOMAIN", "principal://…", ' +
  '"principalSet://…", "allUsers" or "allAuthenticatedUsers"';

/** The role forms IAM accepts. */
export const ROLE_FORMS =
  '"roles/NAME", "projects/PROJECT_ID/roles/NAME" or "organizations/ORG_ID/roles/NAME"';

const EMAIL = /^[^\s@:/]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** GKE Workload Identity's legacy member: `serviceAccount:PROJECT.svc.id.goog[NAMESPACE/KSA]`. */
const WORKLOAD_IDENTITY = /^[a-z0-9.:-]+\.svc\.id\.goog\[[a-z0-9-]+\/[a-z0-9-]+\]$/;
const KINDS = ["user", "group", "serviceAccount", "domain", "principal", "principalSet"] as const;
const TOKEN_START = "${TfToken[";

const ROLE_NAME = "[A-Za-z0-9_.]+";
const PROJECT_ID = "(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]";
const ROLE = new RegExp(
  `^(?:roles/${ROLE_NAME}|projects/${PROJECT_ID}/roles/${ROLE_NAME}|organizations/\\d+/roles/${ROLE_NAME})$`,
);

/** Why `member` is not an IAM member and how to fix it, or `undefined` when it is one. */
function memberFault(member: unknown): { why: string; fix: string } | undefined {
  const listFix = `Write one of the accepted forms`;
  if (typeof member !== "string") return { why: "a member is a string", fix: listFix };
  if (isUnresolved(member)) {
    // "serviceAccount:${sa.email}": check the literal kind written before the token, if any.
    const literal = member.slice(0, member.indexOf(TOKEN_START));
    if (literal === "" || KINDS.some((k) => literal.startsWith(`${k}:`))) return undefined;
    return {
      why: `the text before the reference ("${literal}") is not a member kind`,
      fix: listFix,
    };
  }
  if (member.trim() === "") return { why: "a member cannot be empty", fix: "Remove it" };
  if (/\s/.test(member)) {
    return { why: "a member has no spaces", fix: `Write it as "${member.replace(/\s+/g, "")}"` };
  }
  if (member === "allUsers" || member === "allAuthenticatedUsers") return undefined;
  const lower = member.toLowerCase();
  if (lower === "allusers" || lower === "allauthenticatedusers") {
    const right = lower === "allusers" ? "allUsers" : "allAuthenticatedUsers";
    return { why: "the special members are case-sensitive", fix: `Write "${right}"` };
  }
  const colon = member.indexOf(":");
  if (colon < 0) {
    if (EMAIL.test(member)) {
      const kind = member.endsWith(".gserviceaccount.com") ? "serviceAccount" : "user";
      return {
        why: "an email needs its kind as a prefix",
        fix: `Write "${kind}:${member}" (or "group:${member}" for a group)`,
      };
    }
    return { why: "a member starts with its kind", fix: listFix };
  }
  const kind = member.slice(0, colon);
  const rest = member.slice(colon + 1);
  if (kind === "deleted") {
    return { why: "a deleted principal cannot be granted a role", fix: "Remove the member" };
  }
  if (!(KINDS as readonly string[]).includes(kind)) {
    const right = KINDS.find((k) => k.toLowerCase() === kind.toLowerCase());
    if (right) return { why: "the kind is case-sensitive", fix: `Write "${right}:${rest}"` };
    return { why: `"${kind}" is not a member kind`, fix: listFix };
  }
  if (kind === "principal" || kind === "principalSet") {
    if (/^\/\/[^/\s]+\/\S+$/.test(rest)) return undefined;
    return {
      why: `a ${kind} is an identifier URI "${kind}://iam.googleapis.com/…"`,
      fix: `Copy the identifier from the workload or workforce identity pool`,
    };
  }
  if (kind === "domain") {
    if (DOMAIN.test(rest)) return undefined;
    return {
      why: "a domain member names a Google Workspace or Cloud Identity domain",
      fix: `Write e.g. "domain:acme.example"`,
    };
  }
  if (EMAIL.test(rest)) return undefined;
  if (kind === "serviceAccount" && WORKLOAD_IDENTITY.test(rest)) return undefined;
  return {
    why: `a ${kind} member is "${kind}:EMAIL"`,
    fix: `Write e.g. "${kind}:name@acme.example"`,
  };
}

/** Why `role` is not an IAM role, or `undefined` when it is one (tokens are not checked). */
function roleFault(role: unknown): { why: string; fix: string } | undefined {
  if (isUnresolved(role)) return undefined;
  if (typeof role !== "string")
    return { why: "a role is a string", fix: 'Use e.g. "roles/run.invoker"' };
  if (ROLE.test(role)) return undefined;
  if (role.trim() === "")
    return { why: "a role cannot be empty", fix: 'Use e.g. "roles/run.invoker"' };
  if (/\s/.test(role))
    return { why: "a role has no spaces", fix: `Write "${role.replace(/\s+/g, "")}"` };
  if (/^[A-Za-z0-9_]+\.[A-Za-z0-9_.]+$/.test(role)) {
    return { why: "a predefined role starts with roles/", fix: `Write "roles/${role}"` };
  }
  if (/^role\//.test(role)) {
    return {
      why: "the prefix is roles/, plural",
      fix: `Write "${role.replace(/^role\//, "roles/")}"`,
    };
  }
  return { why: "that is not a role name", fix: 'Use e.g. "roles/run.invoker"' };
}

export const iamErrors = {
  /** `CR_IAM_MEMBER`, or `undefined` when `member` is valid. */
  member(scope: IConstruct | string, prop: string, member: unknown): Problem | undefined {
    const fault = memberFault(member);
    if (!fault) return undefined;
    return problem(
      "CR_IAM_MEMBER",
      scope,
      prop,
      member,
      `${fault.why}; a member is ${MEMBER_FORMS}`,
      fault.fix,
    );
  },

  /** `CR_IAM_ROLE`, or `undefined` when `role` is valid. */
  role(scope: IConstruct | string, prop: string, role: unknown): Problem | undefined {
    const fault = roleFault(role);
    if (!fault) return undefined;
    return problem(
      "CR_IAM_ROLE",
      scope,
      prop,
      role,
      `${fault.why}; a role is ${ROLE_FORMS}`,
      fault.fix,
    );
  },

  noMembers: (scope: IConstruct | string, role: string) =>
    problem(
      "CR_IAM_NO_MEMBERS",
      scope,
      "members",
      [],
      `an IamBinding for ${role} needs at least one member`,
      "Pass members, or remove the binding",
    ),

  authoritativeEmpty: (scope: IConstruct | string, role: string) =>
    problem(
      "CR_IAM_NO_MEMBERS",
      scope,
      "members",
      [],
      `an authoritative binding with no members removes every member of ${role} from the target`,
      "Pass the members that should hold the role, or remove the binding",
    ),

  target: (scope: IConstruct | string, value: unknown, why: string) =>
    problem(
      "CR_IAM_TARGET",
      scope,
      "target",
      value,
      `${why}; a target is a CloudRunService, CloudRunJob or WorkerPool, or one of { project }, ` +
        "{ serviceAccount }, { secret, project? }, { service | job | workerPool, location?, project? }, " +
        "{ subscription, project? }",
      'Pass e.g. { project: "acme-dev" } or the workload construct',
    ),

  location: (scope: IConstruct | string, kind: string) =>
    problem(
      "CR_IAM_LOCATION",
      scope,
      "target.location",
      undefined,
      `a ${kind} is regional and no region was found on the target, the environment or the Google provider`,
      'Pass location, e.g. { location: "us-central1" }',
    ),

  serviceAccount: (scope: IConstruct | string, prop: string, value: unknown) =>
    problem(
      "CR_IAM_SERVICE_ACCOUNT",
      scope,
      prop,
      value,
      'a service account is an email ("NAME@PROJECT.iam.gserviceaccount.com"), ' +
        '"serviceAccount:EMAIL" or "projects/PROJECT/serviceAccounts/EMAIL"',
      "Pass the account's email",
    ),

  conflict: (scope: IConstruct | string, role: string, others: string) =>
    problem(
      "CR_IAM_CONFLICT",
      scope,
      "authoritative",
      true,
      `an authoritative binding of ${role} fights with other grants of ${role} on the same target (${others}): ` +
        "each apply would remove the other's members",
      "Put every member in this binding, or drop authoritative: true",
    ),
  iamMember: (scope: Scope, value: unknown) =>
    problem(
      "CR_IAM_MEMBER",
      scope,
      "members",
      value,
      "members is a list of members",
      'Write e.g. members: ["group:qa@acme.example"]',
    ),
};
