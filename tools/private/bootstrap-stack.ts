/**
 * The state-bucket stacks of `npm run bootstrap`: one small stack per GCS bucket named in the
 * environment files' `state:`, with LOCAL state (the bucket cannot hold the state of the stack
 * that creates it until it exists), creating the bucket as Google's "Store Terraform state in a
 * Cloud Storage bucket" tutorial does
 * (https://cloud.google.com/docs/terraform/resource-management/store-state):
 * `force_destroy = false`, `public_access_prevention = "enforced"`,
 * `uniform_bucket_level_access = true`, `versioning { enabled = true }` (old state versions can
 * be restored), plus Terraform's `lifecycle { prevent_destroy = true }` so no plan can delete the
 * state of every environment. The Cloud Storage API is enabled first (the tutorial's
 * prerequisite), with `disable_on_destroy = false`.
 *
 * Several environments may share one bucket with distinct prefixes; two environments with the
 * same bucket and prefix would overwrite each other's state, and are refused.
 */
import * as path from "path";
import { Construct } from "constructs";
import { LocalBackend, GcsBackend, TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import type { Environment } from "../../stacks/environment";

/** One bucket and the environments whose state it holds. */
export interface StateBucketPlan {
  readonly bucket: string;
  /** Project that owns the bucket. */
  readonly project: string;
  /** Bucket location (a region, dual-region or multi-region such as `US`). */
  readonly location: string;
  /** Environments stored in the bucket, with their prefixes, sorted by name. */
  readonly environments: ReadonlyArray<{ readonly name: string; readonly prefix: string }>;
  /** Name of the bootstrap stack (`bootstrap-<bucket>`, dots replaced). */
  readonly stackName: string;
  /** Notes for the person running it (project chosen among several …). */
  readonly notes: readonly string[];
}

export interface PlanOptions {
  /** Project of every bucket, instead of the environments' project. */
  readonly project?: string;
  /** Location of every bucket, instead of the chosen environment's region. */
  readonly location?: string;
}

const TIER_RANK: Record<Environment["tier"], number> = { prod: 0, staging: 1, dev: 2 };

/** Thrown for environments that cannot be bootstrapped (no state, clashing prefixes). */
export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BootstrapError";
  }
}

/**
 * Groups `envs` by state bucket. An environment without `state:` (local state, dev tier only)
 * has nothing to bootstrap: it is refused when `requireState` (named with `--env`), skipped
 * otherwise (`--all`), and reported in `skipped`.
 */
export function planStateBuckets(
  envs: readonly Environment[],
  options: PlanOptions = {},
  requireState = true,
): { buckets: StateBucketPlan[]; skipped: string[] } {
  const skipped: string[] = [];
  const byBucket = new Map<string, Environment[]>();
  const problems: string[] = [];
  for (const env of envs) {
    if (!env.state) {
      if (requireState)
        problems.push(
          `${env.file}: has no state: (local state), so there is no bucket to create. Add state: { bucket, prefix } to the file, or leave ${env.name} out.`,
        );
      else skipped.push(env.name);
      continue;
    }
    const list = byBucket.get(env.state.bucket) ?? [];
    list.push(env);
    byBucket.set(env.state.bucket, list);
  }

  const buckets: StateBucketPlan[] = [];
  for (const [bucket, list] of [...byBucket.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
    const byPrefix = new Map<string, string[]>();
    for (const env of sorted) {
      const prefix = env.state!.prefix;
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), env.file]);
    }
    for (const [prefix, files] of byPrefix) {
      if (prefix === BOOTSTRAP_PREFIX)
        problems.push(
          `${files.join(" and ")}: state.prefix "${prefix}" is where the bootstrap stack keeps its own state once migrated into ${bucket}. Choose another prefix (e.g. cloud-run/<env>).`,
        );
      if (files.length > 1)
        problems.push(
          `${files.join(" and ")}: share the state bucket ${bucket} AND the prefix "${prefix}", so each apply would overwrite the other's state. Give each environment its own state.prefix (e.g. cloud-run/<env>).`,
        );
    }
    // The bucket lives in the most protected environment's project unless --project says otherwise.
    const owner = [...sorted].sort((a, b) => TIER_RANK[a.tier] - TIER_RANK[b.tier])[0];
    const project = options.project ?? owner.project;
    const notes: string[] = [];
    const projects = [...new Set(sorted.map((e) => e.project))];
    if (!options.project && projects.length > 1) {
      notes.push(
        `environments ${sorted.map((e) => `${e.name} (${e.project})`).join(", ")} share this bucket; it is created in ${project}, the project of ${owner.name} (tier ${owner.tier}). Pass --project to choose another.`,
      );
    }
    buckets.push({
      bucket,
      project,
      location: options.location ?? owner.region,
      environments: sorted.map((e) => ({ name: e.name, prefix: e.state!.prefix })),
      stackName: `bootstrap-${bucket.replace(/[^A-Za-z0-9_-]/g, "-")}`,
      notes,
    });
  }
  if (problems.length > 0) throw new BootstrapError(problems.join("\n"));
  return { buckets, skipped };
}

export interface BootstrapStackOptions {
  /**
   * Where the bootstrap stack keeps its own state: a local file (first apply), or, after
   * `--migrate`, the bucket itself under `bootstrap/<bucket>`.
   */
  readonly backend: { readonly local: string } | { readonly gcs: true };
}

/** The prefix the bootstrap stack's own state uses once migrated into its bucket. */
export const BOOTSTRAP_PREFIX = "bootstrap";

/** A stack creating one state bucket. */
export class StateBucketStack extends TerraformStack {
  public readonly bucket: StorageBucket;

  constructor(scope: Construct, plan: StateBucketPlan, options: BootstrapStackOptions) {
    super(scope, plan.stackName);
    new GoogleProvider(this, "google", { project: plan.project });
    if ("local" in options.backend) {
      new LocalBackend(this, { path: path.resolve(options.backend.local) });
    } else {
      new GcsBackend(this, { bucket: plan.bucket, prefix: BOOTSTRAP_PREFIX });
    }
    // Enabled in most projects already; written so a fresh project works, never disabled on destroy.
    const storageApi = new ProjectService(this, "storage-api", {
      project: plan.project,
      service: "storage.googleapis.com",
      disableOnDestroy: false,
    });

    this.bucket = new StorageBucket(this, "state", {
      name: plan.bucket,
      project: plan.project,
      location: plan.location,
      storageClass: "STANDARD",
      forceDestroy: false,
      publicAccessPrevention: "enforced",
      uniformBucketLevelAccess: true,
      versioning: { enabled: true },
      labels: { "managed-by": "cdktf-cloud-run", purpose: "terraform-state" },
      lifecycle: { preventDestroy: true },
      dependsOn: [storageApi],
    });

    new TerraformOutput(this, "bucket", {
      value: this.bucket.name,
      description: "State bucket",
      staticId: true,
    });
    for (const env of plan.environments) {
      new TerraformOutput(this, `${env.name.replace(/-/g, "_")}_state`, {
        value: `gs://${plan.bucket}/${env.prefix}`,
        description: `Where the state of environment ${env.name} lives`,
        staticId: true,
      });
    }
  }
}
