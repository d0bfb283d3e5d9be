/**
 * Named error factories of `CloudRunFunction` (codes `CR_FUNCTION_*`). Codes never change once
 * shipped. Message shape: see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { errors, problem } from "../core/errors";
import { workloadErrors } from "../workload/errors";

type Scope = IConstruct | string;

export const functionErrors = {
  source: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_SOURCE",
      scope,
      "source",
      value,
      "a function is built from exactly one of source.directory (a local directory, uploaded at synth) and source.archive (gs://BUCKET/OBJECT.zip)",
      "Set one of them",
    ),
  archive: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_SOURCE",
      scope,
      "source.archive",
      value,
      "an archive is a Cloud Storage URI of a .zip, gs://BUCKET/OBJECT",
      'Use e.g. "gs://acme-sources/hello.zip", or source.directory for a local directory',
    ),
  functionTarget: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_TARGET",
      scope,
      "functionTarget",
      value,
      "a function target is the name of the exported function (an identifier, or a dotted class name for Java)",
      'Use e.g. "helloHttp"',
    ),
  runtime: (scope: Scope, value: unknown, why: string, allowed: readonly string[]) =>
    problem(
      "CR_FUNCTION_RUNTIME",
      scope,
      "runtime",
      value,
      `${why} (deployable: ${allowed.join(", ")}; source: https://cloud.google.com/run/docs/runtimes/function-runtimes)`,
      "Pick a runtime from that list",
    ),
  timeout: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_TIMEOUT",
      scope,
      "timeout",
      value,
      "an HTTP function may run 1 to 3600 seconds (1h) per request",
      'Set timeout between "1s" and "3600s"',
    ),
  instances: (scope: Scope, prop: string, value: unknown, min: number) =>
    workloadErrors.instanceCount("CR_FUNCTION_INSTANCES", scope, prop, value, min),
  minAboveMax: (scope: Scope, min: number, max: number) =>
    workloadErrors.minAboveMax("CR_FUNCTION_INSTANCES", scope, min, max),
  concurrency: (scope: Scope, value: unknown) =>
    errors.range(
      "CR_FUNCTION_CONCURRENCY",
      scope,
      "concurrency",
      value,
      1,
      1000,
      "concurrent requests per instance",
    ),
  concurrencyCpu: (scope: Scope, concurrency: number, cpu: string) =>
    problem(
      "CR_FUNCTION_CONCURRENCY",
      scope,
      "concurrency",
      concurrency,
      `more than one concurrent request needs at least 1 CPU, and cpu is ${cpu}`,
      'Set cpu to "1" or more, or concurrency to 1',
    ),
  vpcEgress: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_VPC",
      scope,
      "vpcEgress",
      value,
      "vpcEgress says which traffic goes through vpcConnector, and no vpcConnector is set",
      "Set vpcConnector, or remove vpcEgress",
    ),
  vpcConnector: (scope: Scope, value: unknown) =>
    problem(
      "CR_FUNCTION_VPC",
      scope,
      "vpcConnector",
      value,
      "a Serverless VPC Access connector is a name or projects/P/locations/R/connectors/NAME (google_cloudfunctions2_function has no Direct VPC egress in provider 6.50)",
      'Use e.g. "run-connector"',
    ),
  reservedEnv: (scope: Scope, prop: string, name: string) =>
    problem(
      "CR_ENV_RESERVED",
      scope,
      `${prop}.${name}`,
      name,
      `Cloud Run functions set ${name} themselves (reserved: PORT, K_SERVICE, K_REVISION, K_CONFIGURATION, FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE, LOG_EXECUTION_ID)`,
      "Remove it or rename it",
    ),
  serviceAccount: (scope: Scope, prop: string, value: unknown) =>
    problem(
      "CR_SERVICE_ACCOUNT",
      scope,
      prop,
      value,
      `${prop} is the email of an existing service account (NAME@PROJECT.iam.gserviceaccount.com)`,
      `Pass the email, or omit ${prop}`,
    ),
};

// --- source upload (source-upload.ts) ---
export const sourceErrors = {
  sourceDirectory: (scope: Scope, prop: string, value: unknown, why: string) =>
    problem(
      "CR_SOURCE_DIRECTORY",
      scope,
      prop,
      value,
      `${why}; a source directory must exist and hold at least one file (relative paths are resolved from the working directory of cdktf synth)`,
      `Point ${prop} at the directory that holds the source code`,
    ),
  sourceBucketName: (scope: Scope, prop: string, value: unknown, bucket: string) =>
    problem(
      "CR_SOURCE_BUCKET",
      scope,
      prop,
      value,
      `the source bucket name derived from it, "${bucket}", is not a valid Cloud Storage bucket name (3–63 lowercase letters, digits, - and _, starting and ending with a letter or digit)`,
      "Pass a valid project id",
    ),
};
