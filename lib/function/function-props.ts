/**
 * The props of `CloudRunFunction` (cloud-run-function.ts), apart so that its validation reads them
 * without an import cycle.
 */
import type { Ingress, Duration, Quantity, SecretEnv } from "../workload/workload-props";

/** Where the function's source comes from: exactly one of `directory` and `archive`. */
export interface FunctionSource {
  /**
   * A local directory, packed at synth as gcloud would pack it (`.gcloudignore`, or gcloud's
   * default: `.git`, `.gitignore`, `node_modules`; never `.env*` or keys) and uploaded to the
   * stack's source bucket under the SHA-256 of the archive: a changed file means a new object and
   * a new build, an unchanged directory an empty plan.
   * @default - none; set this or `archive`
   */
  readonly directory?: string | undefined;
  /**
   * An existing archive, `gs://BUCKET/OBJECT.zip`, built as it is. The build identity must be able
   * to read it. @default - none; set this or `directory`
   */
  readonly archive?: string | undefined;
}

export interface CloudRunFunctionProps {
  /** Function name (also the name of its Cloud Run service). @default - the construct id, lower-cased */
  readonly name?: string | undefined;
  /** @default - the environment's (or the Google provider's) project */
  readonly project?: string | undefined;
  /** @default - the environment's (or the Google provider's) region */
  readonly region?: string | undefined;
  /** The source to build (`--source`). */
  readonly source: FunctionSource;
  /** The exported function Cloud Run calls (`--function`), e.g. `"hello"`. */
  readonly functionTarget: string;
  /**
   * Language runtime (`--runtime` / `--base-image`), one of the ids Google lists for Cloud Run
   * functions: `"nodejs22"`, `"python313"`, `"go125"`, `"java21"` …
   */
  readonly runtime: string;
  /**
   * Let Google patch the runtime's base image without a redeploy (`--automatic-updates`):
   * `automatic_update_policy {}`; false: patches only on the next deploy (`on_deploy_update_policy {}`).
   * Always written.
   * @default true - as Google defaults
   */
  readonly automaticUpdates?: boolean | undefined;
  /** Memory per instance (`--memory`): `"256Mi"`, `"1Gi"`. @default - Google's, "256M" */
  readonly memory?: Quantity | undefined;
  /** CPU per instance (`--cpu`): `"0.5"`, `"1"`, `2`. @default - Google derives it from memory */
  readonly cpu?: Quantity | undefined;
  /** Instances kept warm (`--min-instances`). @default - not written: Google's 0 */
  readonly minInstances?: number | undefined;
  /** Upper bound on instances (`--max-instances`). @default - Google's (100) */
  readonly maxInstances?: number | undefined;
  /** Concurrent requests per instance (`--concurrency`), 1–1000; above 1 needs cpu ≥ 1. @default - Google's, 1 */
  readonly concurrency?: number | undefined;
  /** Request timeout (`--timeout`), at most 3600s. @default - Google's, "60s" */
  readonly timeout?: Duration | undefined;
  /** Plain environment variables (`--set-env-vars`). @default - none */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Build-time environment variables (`--set-build-env-vars`). @default - none */
  readonly buildEnv?: Readonly<Record<string, string>> | undefined;
  /**
   * Environment variables from Secret Manager (`--set-secrets`); the function identity gets
   * `roles/secretmanager.secretAccessor` on each secret. @default - none
   */
  readonly secrets?: Readonly<Record<string, SecretEnv>> | undefined;
  /** Network paths that may reach the function (`--ingress`). Always written. @default "all" */
  readonly ingress?: Ingress | undefined;
  /**
   * Let anyone call the function (`--allow-unauthenticated`): `roles/run.invoker` for `allUsers`
   * on its Cloud Run service (the function resource has no `invoker_iam_disabled`, so a
   * domain-restricted-sharing org policy refuses this). Whether an environment may do this is the
   * checks' `CHECK_PUBLIC_SERVICE` rule.
   * @default false
   */
  readonly allowUnauthenticated?: boolean | undefined;
  /** Members granted `roles/run.invoker` on the function's Cloud Run service. @default - none */
  readonly invokers?: readonly string[] | undefined;
  /**
   * Serverless VPC Access connector for egress (`--vpc-connector`): a name or
   * `projects/P/locations/R/connectors/NAME`. Provider 6.50's function resource has no Direct VPC
   * egress. @default - no VPC access
   */
  readonly vpcConnector?: string | undefined;
  /** Which traffic goes through the connector (`--vpc-egress`). @default - Google's, "private-ranges-only" */
  readonly vpcEgress?: "all-traffic" | "private-ranges-only" | undefined;
  /**
   * Email of an existing service account to run as.
   * @default - a dedicated service account `<name>-fn` is created (never the Compute default)
   */
  readonly serviceAccount?: string | undefined;
  /**
   * Account Cloud Build builds the function as (`--build-service-account`): an email or
   * `projects/P/serviceAccounts/EMAIL`. Always written.
   * @default - the environment's `build.serviceAccount`, else the Compute Engine default account
   */
  readonly buildServiceAccount?: string | undefined;
  /** Labels on the function. @default - none besides the environment's */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** Description. @default - none */
  readonly description?: string | undefined;
  /**
   * Refuse to destroy or replace the function: `lifecycle.prevent_destroy` (the function resource
   * has no `deletion_protection` in provider 6.50).
   * @default - true in a prod-tier environment, false elsewhere
   */
  readonly deletionProtection?: boolean | undefined;
}
