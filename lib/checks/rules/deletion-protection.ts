import type { Rule } from "../rule";
import { isWorkload, workloadKind } from "../terraform-config";

/**
 * `deletion_protection = false` on a workload in a prod-tier environment: one `terraform destroy`
 * or a replacing change deletes the service and its revisions. Not written at all: a warning in
 * any tier, because the provider then silently protects the workload (its default is true), and
 * destroys in other tiers fail for a reason nobody wrote down.
 */
export const deletionProtection: Rule = {
  id: "CHECK_DELETION_PROTECTION",
  severity: "error",
  explanation:
    "In prod a destroy or a change that replaces a workload must not delete it by accident; deletion_protection makes Terraform refuse. Written explicitly in every tier, because the provider's silent default (true) makes destroys fail where nobody asked for it.",
  fix: "Leave deletionProtection unset on the construct in prod (on by tier), or set deletion_protection = true.",
  appliesTo: isWorkload,
  check(r, { env }) {
    const value = r.config.deletion_protection;
    const noun = workloadKind(r.type)!.replace("-", " ");
    if (value === false && env.tier === "prod") {
      return [
        {
          prop: "deletion_protection",
          value,
          why: `a prod-tier ${noun} must be protected from deletion by a destroy or a replacing change`,
          fix: "Remove deletionProtection: false (prod defaults to true), or set deletion_protection = true",
        },
      ];
    }
    if (value === undefined || value === null) {
      return [
        {
          prop: "deletion_protection",
          value: undefined,
          severity: "warning",
          why: `the provider then protects the ${noun} silently (its default is true), so destroys fail without anyone having asked for protection`,
          fix: `Write deletion_protection explicitly: true in prod, false where the ${noun} may be destroyed`,
        },
      ];
    }
    return [];
  },
};
