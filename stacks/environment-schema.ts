/**
 * The schema of environment files, on zod (stacks/schema.ts): it validates the files
 * (stacks/environment.ts) and generates environments/schema.json (tools/schema.ts).
 */
import { z } from "zod";
import { bool, field, jsonSchema, list, num, object, oneOf, record, str, strOrNum } from "./schema";

const NAME = /^[a-z][a-z0-9-]*$/;
const MEMBER =
  /^(user:|group:|serviceAccount:|domain:|principal:\/\/|principalSet:\/\/)[^\s]+$|^allUsers$|^allAuthenticatedUsers$/;
/** Environment variable names (what `secrets:` overrides are keyed by). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Secret Manager version: a number, `latest`, or an alias. */
const SECRET_VERSION = /^([1-9][0-9]{0,18}|[A-Za-z][A-Za-z0-9_-]{0,62})$/;

const overridesSchema = object(
  {
    enabled: field(
      bool("false leaves the workload out of this environment (then it needs no image)"),
    ),
    minInstances: field(num("minimum instances", { integer: true, min: 0 })),
    maxInstances: field(num("maximum instances", { integer: true, min: 1 })),
    instances: field(num("worker pool instance count", { integer: true, min: 0 })),
    concurrency: field(num("requests per instance", { integer: true, min: 1, max: 1000 })),
    cpu: field(strOrNum('CPU limit, e.g. "1" or 2')),
    memory: field(str('memory limit, e.g. "512Mi"')),
    timeout: field(strOrNum('request timeout, e.g. "300s"')),
    tasks: field(num("job task count", { integer: true, min: 1, max: 10000 })),
    parallelism: field(num("job parallelism", { integer: true, min: 0 })),
    maxRetries: field(num("job retries per task", { integer: true, min: 0, max: 10 })),
    taskTimeout: field(strOrNum('job task timeout, e.g. "10m"')),
    env: field(record(str("value"), "extra environment variables")),
    labels: field(record(str("value"), "extra labels")),
    deletionProtection: field(bool("deletion protection, overriding the tier default")),
    ingress: field(
      oneOf(
        ["all", "internal", "internal-and-cloud-load-balancing"],
        "network paths that may reach the service",
      ),
    ),
    allowUnauthenticated: field(
      bool("may anyone call the service? (needs allowPublic: true in this file)"),
    ),
    imageManagedBy: field(
      oneOf(
        ["terraform", "external"],
        "external: CI deploys the image (gcloud run deploy) and Terraform ignores it",
      ),
    ),
    vpc: field(
      object(
        {
          network: field(str("VPC network name or path")),
          subnetwork: field(str("subnetwork name or path")),
          egress: field(
            oneOf(["all-traffic", "private-ranges-only"], "which traffic leaves through the VPC"),
          ),
          tags: field(list(str("network tag"), "network tags for firewall rules")),
        },
        "Direct VPC egress",
      ),
    ),
    secrets: field(
      record(
        object(
          {
            version: field(
              z
                .union([
                  str("secret version", {
                    pattern: SECRET_VERSION,
                    patternHint: 'a secret version: a number such as "3", "latest", or an alias',
                  }),
                  num("secret version", { integer: true, min: 1 }),
                ])
                .describe('Secret Manager version: a number such as "3", "latest", or an alias'),
              true,
            ),
          },
          "one secret environment variable of the workload",
        ),
        "secret versions by environment variable name",
        { pattern: ENV_NAME, hint: "an environment variable name" },
      ),
    ),
  },
  "per-environment values for one workload of the catalog",
);

export const environmentSchema = object(
  {
    project: field(
      str("Google Cloud project id", {
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        patternHint: "a project id (6–30 lowercase letters, digits, hyphens; starts with a letter)",
      }),
      true,
    ),
    region: field(
      str("default region of every workload", {
        pattern: /^[a-z]+-[a-z]+[0-9]$/,
        patternHint: 'a region such as "us-central1"',
      }),
      true,
    ),
    tier: field(oneOf(["dev", "staging", "prod"], "safety defaults: dev | staging | prod"), true),
    state: field(
      object(
        {
          bucket: field(
            str("GCS bucket of the Terraform state", {
              pattern: /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/,
              patternHint: "a bucket name",
            }),
            true,
          ),
          prefix: field(
            str("object prefix of the state", {
              pattern: /^[A-Za-z0-9._/-]{0,200}$/,
              patternHint: "a prefix of letters, digits, . _ - and / (at most 200)",
            }),
          ),
        },
        "GCS backend; omitted: local state (dev tier only)",
      ),
    ),
    allowPublic: field(bool("may services allow unauthenticated calls?")),
    deployers: field(
      list(
        str("IAM member", {
          pattern: MEMBER,
          patternHint: "an IAM member such as group:platform@acme.example",
        }),
        "who deploys: members granted the Cloud Run deployer roles",
      ),
    ),
    build: field(
      object(
        {
          grantRunBuilder: field(
            bool("grant roles/run.builder to the Cloud Build service account"),
          ),
          serviceAccount: field(
            str("build service account email", {
              pattern:
                /^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$|^[^@\s]+@developer\.gserviceaccount\.com$/,
              patternHint: "a service account email",
            }),
          ),
        },
        "source builds",
      ),
    ),
    apis: field(
      list(
        str("API", {
          pattern: /^[a-z][a-z0-9.-]*\.googleapis\.com$/,
          patternHint: "an API such as pubsub.googleapis.com",
        }),
        "extra APIs to enable",
      ),
    ),
    labels: field(
      record(
        str("label value"),
        "labels on every resource (environment and managed-by are set by cdktf-cloud-run)",
      ),
    ),
    images: field(
      record(str("image reference"), "what promotion moves: workload name → image", {
        pattern: NAME,
        hint: "a workload name",
      }),
    ),
    overrides: field(
      record(overridesSchema, "per-workload overrides", { pattern: NAME, hint: "a workload name" }),
    ),
  },
  "a cdktf-cloud-run environment",
);

/** The JSON Schema of environment files, as written to environments/schema.json. */
export function environmentJsonSchema(): Record<string, unknown> {
  return jsonSchema(environmentSchema);
}

export type EnvironmentFile = z.infer<typeof environmentSchema>;

/** `T` with every key present and not empty. */
export type Present<T> = { -readonly [K in keyof T]-?: Exclude<T[K], null | undefined> };
/** Per-environment values of one workload, as written in `overrides.<workload>`. */
export type WorkloadOverrides = Partial<Present<z.infer<typeof overridesSchema>>>;
