import type { Rule } from "../rule";
import { iamKind, iamLevel } from "../terraform-config";

/**
 * Authoritative IAM (`google_*_iam_binding`, `google_*_iam_policy`) removes every member Terraform
 * did not add: grants made in the console, by gcloud, by Google itself (service agents) or by
 * another stack. A warning on a single resource; an error on a project, folder or organization,
 * where it can lock people and Google's own service agents out.
 */
export const authoritativeIam: Rule = {
  id: "CHECK_AUTHORITATIVE_IAM",
  severity: "warning",
  explanation:
    "An _iam_binding or _iam_policy owns the role (or the whole policy): Terraform removes members it did not add, including grants from the console, gcloud, other stacks and Google's service agents. On a project, folder or organization that can lock out people and break Google services.",
  fix: "Use additive grants (IamBinding without authoritative, grantInvoke, grantRun): one _iam_member per member.",
  appliesTo: (type) => iamKind(type) === "binding" || iamKind(type) === "policy",
  check(r) {
    const kind = iamKind(r.type)!;
    const level = iamLevel(r.type);
    const broad = level !== "resource";
    const prop = kind === "policy" ? "policy_data" : "role";
    const value = kind === "policy" ? "<policy>" : r.config.role;
    return [
      {
        prop,
        value,
        severity: broad ? "error" : "warning",
        why: `${r.type} is authoritative: Terraform removes every member of ${kind === "policy" ? "every role" : "this role"} it did not add${broad ? `, here on a whole ${level}, which can lock people and Google's service agents out` : ""}`,
        fix: `Use ${r.type.replace(/_iam_(binding|policy)$/, "_iam_member")} (IamBinding without authoritative: true), one additive grant per member`,
      },
    ];
  },
};
