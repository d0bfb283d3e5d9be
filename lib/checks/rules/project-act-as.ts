import type { Rule, RuleFinding } from "../rule";
import { grantsOf, iamLevel } from "../terraform-config";

const ACT_AS = ["roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"];

/**
 * roles/iam.serviceAccountUser or serviceAccountTokenCreator on a whole project: the member can
 * act as every service account of the project, including the default ones with Editor.
 */
export const projectActAs: Rule = {
  id: "CHECK_PROJECT_ACT_AS",
  severity: "warning",
  explanation:
    "Granted on the project, serviceAccountUser or serviceAccountTokenCreator lets the member deploy as, or mint tokens for, every service account in it, including the Compute Engine default account. The Cloud Run docs grant it on each workload's account.",
  fix: "Grant the role on the workload's service account (IamBinding with target { serviceAccount: email }); the deployer grants of EnvironmentStack already do.",
  appliesTo: (type) => iamLevel(type) !== "resource" && /_iam_(member|binding|policy)$/.test(type),
  check(r) {
    const level = iamLevel(r.type);
    return grantsOf(r)
      .filter((g) => g.role !== undefined && ACT_AS.includes(g.role))
      .map((g): RuleFinding => ({
        prop: g.prop === "policy_data" ? "policy_data" : "role",
        value: g.role,
        why: `${g.member} may act as every service account of the ${level}, including the default ones`,
        fix: "Grant it on each workload's service account instead (IamBinding target { serviceAccount: email })",
      }));
  },
};
