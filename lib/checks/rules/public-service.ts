import type { Rule, RuleFinding } from "../rule";
import { grantsOf, isPublicMember } from "../terraform-config";

const SERVICE_IAM = /^google_cloud_run(_v2)?_service_iam_(member|binding|policy)$/;

const FIX =
  "Grant roles/run.invoker to the callers instead (invokers, grantInvoke), or set allowPublic: true in the environment file if this environment may serve the public";

/**
 * A service that anyone may call (`allUsers` / `allAuthenticatedUsers`, or
 * `invoker_iam_disabled = true`) in an environment whose `allowPublic` is false.
 */
export const publicService: Rule = {
  id: "CHECK_PUBLIC_SERVICE",
  severity: "error",
  explanation:
    "A service reachable without authentication exposes its data and its bill to the internet; the environment file decides whether that is allowed (allowPublic).",
  fix: "Grant roles/run.invoker to named principals, or set allowPublic: true for the environment.",
  appliesTo: (type) => type === "google_cloud_run_v2_service" || SERVICE_IAM.test(type),
  check(r, { env }) {
    if (env.allowPublic) return [];
    const why = "the environment does not allow unauthenticated calls (allowPublic is false)";
    if (r.type === "google_cloud_run_v2_service") {
      return r.config.invoker_iam_disabled === true
        ? [{ prop: "invoker_iam_disabled", value: true, why, fix: FIX }]
        : [];
    }
    return grantsOf(r)
      .filter((g) => isPublicMember(g.member))
      .map((g): RuleFinding => ({ prop: g.prop, value: g.member, why, fix: FIX }));
  },
};
