/**
 * Named error factories of `CloudRunService` (the `// --- service ---` section of core/errors.ts
 * points here). Codes never change once shipped. Message shape: see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { errors, problem } from "../core/errors";
import { workloadErrors } from "../workload/errors";

type Scope = IConstruct | string;

export const serviceErrors = {
  port: (scope: Scope, prop: string, value: unknown) =>
    errors.range("CR_PORT", scope, prop, value, 1, 65535, "for a container port"),
  concurrency: (scope: Scope, value: unknown) =>
    errors.range(
      "CR_SERVICE_CONCURRENCY",
      scope,
      "concurrency",
      value,
      1,
      1000,
      "concurrent requests per instance",
    ),
  timeout: (scope: Scope, value: unknown) =>
    problem(
      "CR_SERVICE_TIMEOUT",
      scope,
      "timeout",
      value,
      "Cloud Run allows a request timeout of 1 to 3600 seconds (1h)",
      'Set timeout between "1s" and "3600s"',
    ),
  instances: (scope: Scope, prop: string, value: unknown, min: number) =>
    workloadErrors.instanceCount("CR_SERVICE_INSTANCES", scope, prop, value, min),
  minAboveMax: (scope: Scope, min: number, max: number) =>
    workloadErrors.minAboveMax("CR_SERVICE_SCALING", scope, min, max),
  description: (scope: Scope, length: number) =>
    problem(
      "CR_SERVICE_DESCRIPTION",
      scope,
      "description",
      `${length} characters`,
      "Cloud Run allows 0–512 characters in a description",
      "Shorten the description",
    ),
  audience: (scope: Scope, prop: string, value: unknown) =>
    problem(
      "CR_SERVICE_AUDIENCE",
      scope,
      prop,
      value,
      "a custom audience is a non-empty string, usually a URL such as https://api.acme.example",
      "Fix or remove the audience",
    ),
  fractionalCpu: (scope: Scope, prop: string, value: unknown, cpu: number, rule: string) =>
    problem(
      "CR_SERVICE_FRACTIONAL_CPU",
      scope,
      prop,
      value,
      `cpu is ${cpu} (below 1), which needs ${rule}`,
      "Change it, or set cpu to 1 or more",
    ),
  gen2Memory: (scope: Scope, memory: string) =>
    problem(
      "CR_SERVICE_GEN2_MEMORY",
      scope,
      "memory",
      memory,
      'the gen2 execution environment needs at least 512Mi; 128Mi–512Mi runs on "gen1" only',
      'Raise memory to "512Mi" or set executionEnvironment to "gen1"',
    ),
  gen1Volume: (scope: Scope, volume: string, type: string) =>
    problem(
      "CR_SERVICE_GEN1_VOLUME",
      scope,
      `volumes.${volume}`,
      type,
      `${type.toUpperCase()} volumes need the gen2 execution environment, and executionEnvironment is "gen1"`,
      'Set executionEnvironment to "gen2" or remove the volume',
    ),
  gpuThrottling: (scope: Scope) =>
    problem(
      "CR_SERVICE_GPU_THROTTLING",
      scope,
      "cpuThrottling",
      true,
      "a service with a GPU needs instance-based billing (CPU always allocated, cpu_idle = false)",
      "Remove cpuThrottling or set it to false",
    ),
  trafficPercent: (scope: Scope, prop: string, value: unknown) =>
    errors.range("CR_SERVICE_TRAFFIC", scope, prop, value, 0, 100, "percent per traffic target"),
  trafficSum: (scope: Scope, sum: number) =>
    problem(
      "CR_SERVICE_TRAFFIC_SUM",
      scope,
      "traffic",
      `percents summing to ${sum}`,
      "the percents of all traffic targets sum to exactly 100",
      "Adjust the percents",
    ),
  trafficTarget: (scope: Scope, prop: string, value: unknown, rule: string) =>
    problem(
      "CR_SERVICE_TRAFFIC_TARGET",
      scope,
      prop,
      value,
      rule,
      "Set either latest: true or revision (the name of an existing revision)",
    ),
  trafficTagLength: (scope: Scope, prop: string, tag: string, name: string) =>
    problem(
      "CR_SERVICE_TRAFFIC_TAG",
      scope,
      prop,
      tag,
      `a traffic tag and the service name ("${name}") together may have at most 46 characters (here ${tag.length + name.length})`,
      "Shorten the tag or the service name",
    ),
  trafficTagDuplicate: (scope: Scope, prop: string, tag: string) =>
    problem(
      "CR_SERVICE_TRAFFIC_TAG",
      scope,
      prop,
      tag,
      "each traffic tag is used once",
      "Rename one of the tags",
    ),
  eventType: (scope: Scope, prop: string, value: unknown) =>
    problem(
      "CR_SERVICE_EVENT",
      scope,
      prop,
      value,
      'an event type is a CloudEvents type such as "google.cloud.pubsub.topic.v1.messagePublished"',
      "Pass the event type from the Eventarc docs",
    ),
  eventFilter: (scope: Scope, prop: string, value: unknown) =>
    problem(
      "CR_SERVICE_EVENT",
      scope,
      prop,
      value,
      'a filter is { attribute: value } with a CloudEvents attribute name (e.g. "bucket") other than "type" and a non-empty value',
      "Fix the filter (the event type goes in eventType)",
    ),
  eventPath: (scope: Scope, value: unknown) =>
    problem(
      "CR_SERVICE_EVENT",
      scope,
      "path",
      value,
      'a path is relative to the service URL and starts with "/"',
      'Use e.g. "/events"',
    ),
  eventId: (scope: Scope, id: string) =>
    problem(
      "CR_SERVICE_EVENT",
      scope,
      "id",
      id,
      "an event trigger id is 1–40 letters, digits and hyphens, starting with a letter",
      'Use e.g. "uploads"',
    ),
  baseImage: (scope: Scope, prop: string, value: unknown, why: string) =>
    problem(
      "CR_SOURCE_BASE_IMAGE",
      scope,
      prop,
      value,
      `${why}; a base image is a runtime id ("nodejs22", "python313") or a reference such as REGION-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22`,
      "Pick a runtime from the Cloud Run base images list",
    ),
  automaticUpdates: (scope: Scope, prop: string) =>
    problem(
      "CR_SOURCE_AUTOMATIC_UPDATES",
      scope,
      prop,
      true,
      "automatic base-image updates patch a Google-provided base image, so they need a base image",
      `Set ${prop.replace("automaticUpdates", "baseImage")}, or remove ${prop}`,
    ),
  sourceProp: (scope: Scope) =>
    problem(
      "CR_SERVICE_SOURCE",
      scope,
      "source",
      "set",
      "a CloudRunService runs an image; Terraform cannot build a container from source (build_config on google_cloud_run_v2_service only stores metadata: provider issues #22263, #23057)",
      'Deploy a function from source with CloudRunFunction, or build the image in CI with `npm run build-image -- --env ENV --workload NAME` and pass image (or imageManagedBy: "external" when your CI runs `gcloud run deploy --source`)',
    ),
  notAList: (scope: Scope, value: unknown, key: string) =>
    problem("CR_NOT_A_LIST", scope, key, value, `${key} is a list`, `Wrap the value in [ ]`),
  sessionAffinity: (scope: Scope, value: unknown) =>
    problem(
      "CR_SESSION_AFFINITY",
      scope,
      "sessionAffinity",
      value,
      "sessionAffinity is true or false",
      "Write sessionAffinity: true (or false), not a string",
    ),
};
