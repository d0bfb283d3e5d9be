/**
 * Fields whose change makes Terraform destroy and re-create the resource (ForceNew in the Google
 * provider), for review, which has no plan to read `replace_paths` from. Paths follow
 * shared/reference/cloudrun-constraints.json: snake_case, blocks joined with ".", no indices.
 */
import { withoutIndices } from "./changes";

export const WORKLOAD_TYPES = [
  "google_cloud_run_v2_service",
  "google_cloud_run_v2_job",
  "google_cloud_run_v2_worker_pool",
] as const;

const FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  // cloudrun-constraints.json service.immutable / job.immutable / workerPool.immutable (verified).
  google_cloud_run_v2_service: ["name", "location", "project", "tags"],
  google_cloud_run_v2_job: ["name", "location", "project", "tags"],
  google_cloud_run_v2_worker_pool: [
    "name",
    "location",
    "project",
    "template.containers.depends_on",
  ],
  google_service_account: ["account_id", "project"],
  google_project_service: ["service", "project"],
  time_sleep: ["triggers"],
};

/** Every argument of an additive `*_iam_member` resource is ForceNew. */
const IAM_MEMBER = /_iam_member$/;

/** Terraform meta-arguments: changing them never replaces a resource. */
const META_ARGUMENTS = new Set([
  "depends_on",
  "lifecycle",
  "provider",
  "count",
  "for_each",
  "provisioner",
  "connection",
]);

/** The changed paths (from `paths`) that force replacing a resource of `type`. */
export function forceNewPaths(type: string, allPaths: readonly string[]): string[] {
  const paths = allPaths.filter((p) => !META_ARGUMENTS.has(p.split(/[.[]/)[0]));
  if (IAM_MEMBER.test(type)) return [...paths];
  const fields = FORCE_NEW[type] ?? [];
  return paths.filter((p) => {
    const bare = withoutIndices(p);
    return fields.some((f) => bare === f || bare.startsWith(`${f}.`));
  });
}
