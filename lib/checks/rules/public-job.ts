import type { Rule, RuleFinding } from "../rule";
import { grantsOf, isPublicMember } from "../terraform-config";

const JOB_IAM = /^google_cloud_run_v2_(job|worker_pool)_iam_(member|binding|policy)$/;

/**
 * `allUsers` or `allAuthenticatedUsers` on a job or a worker pool: anyone could run the job
 * (with overrides of its arguments) or change the pool. `allowPublic` concerns services only.
 */
export const publicJob: Rule = {
  id: "CHECK_PUBLIC_JOB",
  severity: "error",
  explanation:
    "A role for allUsers or allAuthenticatedUsers on a job or worker pool lets anyone on the internet run the job (with their own arguments) or act on the pool; allowPublic covers services only.",
  fix: "Grant the role to named principals (grantRun, IamBinding).",
  appliesTo: (type) => JOB_IAM.test(type),
  check(r) {
    const what = r.type.includes("_job_") ? "job" : "worker pool";
    return grantsOf(r)
      .filter((g) => isPublicMember(g.member))
      .map((g): RuleFinding => ({
        prop: g.prop,
        value: g.member,
        why: `a ${what} is never public: ${g.role ?? "this role"} would let anyone ${what === "job" ? "run it" : "act on it"}`,
        fix: `Grant ${g.role ?? "the role"} to named principals instead`,
      }));
  },
};
