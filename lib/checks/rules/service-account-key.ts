import type { Rule } from "../rule";

/**
 * A `google_service_account_key`: a long-lived credential that lands in the Terraform state.
 * Cloud Run workloads get short-lived tokens for their attached identity.
 */
export const serviceAccountKey: Rule = {
  id: "CHECK_SERVICE_ACCOUNT_KEY",
  severity: "warning",
  explanation:
    "A service account key is a long-lived credential; created by Terraform, its private key is stored in the state. Cloud Run workloads get short-lived tokens for their attached identity, and CI can use Workload Identity Federation.",
  fix: "Attach the account to the workload (serviceAccount) or use Workload Identity Federation instead of a key.",
  appliesTo: (type) => type === "google_service_account_key",
  check(r) {
    return [
      {
        prop: "service_account_id",
        value: r.config.service_account_id,
        why: "a key is a long-lived credential and Terraform stores its private key in the state",
        fix: "Attach the account to the workload, or use Workload Identity Federation for callers outside Google Cloud",
      },
    ];
  },
};
