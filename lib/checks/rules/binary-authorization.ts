import type { Rule } from "../rule";
import { block, isWorkload, workloadKind } from "../terraform-config";

/**
 * A prod-tier workload without Binary Authorization: any image the deployer can push runs in
 * production, signed or not.
 */
export const binaryAuthorization: Rule = {
  id: "CHECK_BINARY_AUTHORIZATION",
  severity: "warning",
  explanation:
    "Binary Authorization lets only images that passed your build pipeline (attested, or from allowed registries) deploy; without it, anyone who can deploy can run any image in production.",
  fix: "Enforce the project's policy with binary_authorization { use_default = true } (or a named policy), or suppress with the reason (e.g. enforced by an organization policy).",
  appliesTo: isWorkload,
  check(r, { env }) {
    if (env.tier !== "prod") return [];
    const ba = block(r.config.binary_authorization);
    if (ba && (ba.use_default === true || typeof ba.policy === "string")) return [];
    return [
      {
        prop: "binary_authorization",
        value: ba ? { use_default: ba.use_default ?? false } : undefined,
        why: `a prod-tier ${workloadKind(r.type)!.replace("-", " ")} then runs any image a deployer pushes, attested or not`,
        fix: "Add binary_authorization { use_default = true } (binaryAuthorization: { useDefault: true }, or resource.putBinaryAuthorization({ useDefault: true }) on a raw resource), or suppress CHECK_BINARY_AUTHORIZATION with the reason",
      },
    ];
  },
};
