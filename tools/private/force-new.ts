/**
 * Fields whose change makes Terraform destroy and re-create the resource, for `review`, which has
 * no plan to read `replace_paths` from. One entry per resource type the project can emit (the
 * constructs, the catalog, and `CloudRunFunction`'s `google_cloudfunctions2_function`), each read
 * from the provider source the project pins: terraform-provider-google at tag v6.50.0 (the
 * provider @cdktf/provider-google 16.12.1 binds), terraform-provider-time at v0.13.1
 * (@cdktf/provider-time 11.0.1). A field is listed when its schema says `ForceNew: true` (SDKv2)
 * or has a `RequiresReplace` plan modifier (plugin framework); nested fields are dotted paths
 * without indices (`remote_repository_config.docker_repository`), and a change anywhere below a
 * listed block replaces the resource too. Facts, not copies: the source file is named per entry.
 *
 * Not expressible as a field list, so noted instead: `google_storage_bucket` is replaced when a
 * locked `retention_policy.is_locked` changes (`customdiff.ForceNewIfChange` in
 * resource_storage_bucket.go); `google_storage_bucket_object` re-uploads (new `generation`,
 * `md5hash`) when its content changes, in place (`resourceStorageBucketObjectCustomizeDiff`).
 */
import { withoutIndices } from "./changes";

export const WORKLOAD_TYPES = [
  "google_cloud_run_v2_service",
  "google_cloud_run_v2_job",
  "google_cloud_run_v2_worker_pool",
] as const;

/** One resource type's ForceNew fields and where they were read. */
export interface ForceNewFacts {
  /** Path in the provider repository at the pinned tag. */
  readonly source: string;
  readonly fields: readonly string[];
}

const RUN = "google/services/cloudrunv2";

/**
 * Resource types (other than IAM, below). The Cloud Run v2 resources have no ForceNew field but
 * name, location and project in 6.50 (`tags` and worker-pool `template.containers.depends_on`,
 * immutable in later provider versions, do not exist or are not ForceNew in 6.50).
 */
export const FORCE_NEW: Readonly<Record<string, ForceNewFacts>> = {
  google_cloud_run_v2_service: {
    source: `${RUN}/resource_cloud_run_v2_service.go`,
    fields: ["location", "name", "project"],
  },
  google_cloud_run_v2_job: {
    source: `${RUN}/resource_cloud_run_v2_job.go`,
    fields: ["location", "name", "project"],
  },
  google_cloud_run_v2_worker_pool: {
    source: `${RUN}/resource_cloud_run_v2_worker_pool.go`,
    fields: ["location", "name", "project"],
  },
  google_cloud_scheduler_job: {
    source: "google/services/cloudscheduler/resource_cloud_scheduler_job.go",
    fields: ["name", "project", "region"],
  },
  google_eventarc_trigger: {
    source: "google/services/eventarc/resource_eventarc_trigger.go",
    // matching_criteria's elements (eventarcTriggerMatchingCriteriaSchema): attribute and value.
    fields: [
      "channel",
      "location",
      "matching_criteria.attribute",
      "matching_criteria.value",
      "name",
      "project",
      "transport",
    ],
  },
  google_artifact_registry_repository: {
    source: "google/services/artifactregistry/resource_artifact_registry_repository.go",
    // remote_repository_config is ForceNew as a block, so is every field below it (upstream,
    // docker_repository.public_repository, upstream_credentials …).
    fields: [
      "format",
      "kms_key_name",
      "location",
      "maven_config.allow_snapshot_overwrites",
      "maven_config.version_policy",
      "mode",
      "project",
      "remote_repository_config",
      "repository_id",
    ],
  },
  google_storage_bucket: {
    source: "google/services/storage/resource_storage_bucket.go",
    fields: [
      "custom_placement_config.data_locations",
      "enable_object_retention",
      "hierarchical_namespace",
      "location",
      "name",
      "project",
    ],
  },
  google_storage_bucket_object: {
    source: "google/services/storage/resource_storage_bucket_object.go",
    fields: [
      "bucket",
      "cache_control",
      "content_disposition",
      "content_encoding",
      "content_language",
      "content_type",
      "customer_encryption.encryption_algorithm",
      "customer_encryption.encryption_key",
      "force_empty_content_type",
      "kms_key_name",
      "metadata",
      "name",
      "source",
      "storage_class",
    ],
  },
  google_project_service: {
    source: "google/services/resourcemanager/resource_google_project_service.go",
    fields: ["project", "service"],
  },
  google_service_account: {
    source: "google/services/resourcemanager/resource_google_service_account.go",
    fields: ["account_id", "project"],
  },
  google_cloudfunctions2_function: {
    source: "google/services/cloudfunctions2/resource_cloudfunctions2_function.go",
    fields: ["build_config.source.repo_source.project_id", "location", "name", "project"],
  },
  time_sleep: {
    source: "terraform-provider-time internal/provider/resource_time_sleep.go",
    fields: ["triggers"],
  },
};

/**
 * IAM: every `_iam_member` / `_iam_binding` shares `role` and `condition` (ForceNew in
 * google/tpgiamresource/resource_iam_member.go and resource_iam_binding.go; `member` too for a
 * member, while a binding's `members` updates in place), plus the parent fields of its target,
 * ForceNew in each `iam_*.go` parent schema.
 */
export const IAM_PARENTS: Readonly<Record<string, ForceNewFacts>> = {
  google_cloud_run_v2_service: {
    source: `${RUN}/iam_cloud_run_v2_service.go`,
    fields: ["location", "name", "project"],
  },
  google_cloud_run_v2_job: {
    source: `${RUN}/iam_cloud_run_v2_job.go`,
    fields: ["location", "name", "project"],
  },
  google_cloud_run_v2_worker_pool: {
    source: `${RUN}/iam_cloud_run_v2_worker_pool.go`,
    fields: ["location", "name", "project"],
  },
  google_secret_manager_secret: {
    source: "google/services/secretmanager/iam_secret_manager_secret.go",
    fields: ["project", "secret_id"],
  },
  google_pubsub_subscription: {
    source: "google/services/pubsub/iam_pubsub_subscription.go",
    fields: ["project", "subscription"],
  },
  google_artifact_registry_repository: {
    source: "google/services/artifactregistry/iam_artifact_registry_repository.go",
    fields: ["location", "project", "repository"],
  },
  google_project: {
    source: "google/services/resourcemanager/iam_project.go",
    fields: ["project"],
  },
  google_service_account: {
    source: "google/services/resourcemanager/iam_service_account.go",
    fields: ["service_account_id"],
  },
  google_storage_bucket: {
    source: "google/services/storage/iam_storage_bucket.go",
    fields: ["bucket"],
  },
  // `encryptionKey` grants the Cloud Run service agent encrypterDecrypter on the key.
  google_kms_crypto_key: {
    source: "google/services/kms/iam_kms_crypto_key.go",
    fields: ["crypto_key_id"],
  },
};

const IAM = /^(.*)_iam_(member|binding)$/;

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

/** The ForceNew fields of `type` (dotted, no indices); `undefined` for a type not in the table. */
export function forceNewFields(type: string): readonly string[] | undefined {
  const iam = IAM.exec(type);
  if (iam) {
    const parent = IAM_PARENTS[iam[1]];
    if (!parent) return undefined;
    const own = iam[2] === "member" ? ["condition", "member", "role"] : ["condition", "role"];
    return [...own, ...parent.fields];
  }
  return FORCE_NEW[type]?.fields;
}

/** The changed paths (from `paths`) that force replacing a resource of `type`. */
export function forceNewPaths(type: string, allPaths: readonly string[]): string[] {
  const paths = allPaths.filter((p) => !META_ARGUMENTS.has(p.split(/[.[]/)[0]));
  const fields = forceNewFields(type);
  // An IAM member of a target type not in the table: all its arguments are ForceNew in
  // tpgiamresource/resource_iam_member.go (role, member, condition and the parent's fields).
  if (!fields) return IAM.exec(type)?.[2] === "member" ? [...paths] : [];
  return paths.filter((p) => {
    const bare = withoutIndices(p);
    return fields.some((f) => bare === f || bare.startsWith(`${f}.`));
  });
}
