import type { Rule, RuleFinding } from "../rule";
import { grantsOf, iamLevel } from "../terraform-config";

const BASIC = ["roles/owner", "roles/editor"];

/** roles/owner or roles/editor granted on a project, folder or organization. */
export const basicRole: Rule = {
  id: "CHECK_BASIC_ROLE",
  severity: "error",
  explanation:
    "Owner and Editor are basic roles with thousands of permissions across every service of the project; Google's IAM guidance is to grant predefined, least-privilege roles.",
  fix: "Grant the predefined roles the member needs (roles/run.developer, roles/run.invoker, roles/secretmanager.secretAccessor …).",
  appliesTo: (type) => iamLevel(type) !== "resource" && /_iam_(member|binding|policy)$/.test(type),
  check(r) {
    const level = iamLevel(r.type);
    return grantsOf(r)
      .filter((g) => g.role !== undefined && BASIC.includes(g.role))
      .map((g): RuleFinding => ({
        prop: g.prop === "policy_data" ? "policy_data" : "role",
        value: g.role,
        why: `${g.member} gets the basic role ${g.role} on the whole ${level}: every permission of almost every service`,
        fix: "Grant the predefined roles it needs instead (e.g. roles/run.developer, roles/run.invoker)",
      }));
  },
};
