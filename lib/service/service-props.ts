/**
 * The props of `CloudRunService` (cloud-run-service.ts), apart so that its validation reads them
 * without an import cycle.
 */
import type { Duration, Ingress, Probe, WorkloadProps } from "../workload/workload-props";

export type { Ingress };

/** One traffic target (`--to-revisions`, `--to-latest`, `--set-tags`). */
export interface TrafficTarget {
  /** Share of requests, 0–100; the percents of all targets sum to 100. */
  readonly percent: number;
  /**
   * Route to the latest ready revision.
   * @default false - `revision` names the target
   */
  readonly latest?: boolean | undefined;
  /** Name of an existing revision (required unless `latest`). @default - none */
  readonly revision?: string | undefined;
  /**
   * Tag giving the target its own URL (`https://TAG---SERVICE-….run.app`); tag and service
   * name together at most 46 characters.
   * @default - no tag
   */
  readonly tag?: string | undefined;
}

export interface CloudRunServiceProps extends WorkloadProps {
  /**
   * Port the ingress container listens on, passed to it as `$PORT` (`--port`).
   * @default 8080
   */
  readonly port?: number | undefined;
  /**
   * Serve end-to-end HTTP/2 cleartext (`--use-http2`): the port is named `h2c`.
   * @default false - HTTP/1 (Google's default port name `http1`)
   */
  readonly http2?: boolean | undefined;
  /**
   * Let anyone call the service (`--allow-unauthenticated`): writes
   * `invoker_iam_disabled = true`, which works even where a domain-restricted-sharing org
   * policy refuses an `allUsers` grant. Always written. Whether an environment may do this is
   * decided by the checks' `public-service` rule (`allowPublic` in the environment file).
   * @default false - callers need roles/run.invoker
   */
  readonly allowUnauthenticated?: boolean | undefined;
  /** Members granted `roles/run.invoker` on this service, additively. @default - none */
  readonly invokers?: readonly string[] | undefined;
  /**
   * Network paths that may reach the service (`--ingress`). Always written.
   * @default "all" - Google's default; authentication still applies unless allowUnauthenticated
   */
  readonly ingress?: Ingress | undefined;
  /**
   * Instances kept warm (`--min-instances`), written on the revision template and as the
   * service-level `scaling` block (always written, to avoid a permanent diff).
   * @default 0
   */
  readonly minInstances?: number | undefined;
  /**
   * Upper bound on instances (`--max-instances`).
   * @default 100 - Google's default, written explicitly so the second plan is empty (provider
   * issue #18969); with a GPU, not written and its value ignored (Cloud Run bounds it by quota)
   */
  readonly maxInstances?: number | undefined;
  /**
   * Concurrent requests per instance (`--concurrency`), 1–1000.
   * @default - 1 when cpu is below 1; otherwise Google's default (80)
   */
  readonly concurrency?: number | undefined;
  /** Request timeout (`--timeout`), at most 3600s. @default - Google's default, "300s" */
  readonly timeout?: Duration | undefined;
  /**
   * Allocate CPU only during requests (`--cpu-throttling`, request-based billing), written as
   * `cpu_idle` on every container. Must be false with a GPU.
   * @default true, or false with a GPU
   */
  readonly cpuThrottling?: boolean | undefined;
  /** More CPU while an instance starts (`--cpu-boost`). @default - not written: off, as the API defaults */
  readonly cpuBoost?: boolean | undefined;
  /**
   * Execution environment (`--execution-environment`).
   * @default - not written: Cloud Run picks one from the features used
   */
  readonly executionEnvironment?: "gen1" | "gen2" | undefined;
  /** Startup probe of the ingress container. @default - Google adds a TCP probe on the port */
  readonly startupProbe?: Probe | undefined;
  /** Liveness probe of the ingress container; a `tcpSocket` without port probes `port`. @default - none */
  readonly livenessProbe?: Probe | undefined;
  /** Traffic split and tags. @default - not written: 100% to the latest revision */
  readonly traffic?: readonly TrafficTarget[] | undefined;
  /** Extra audiences accepted in ID tokens (`--add-custom-audiences`). @default - none */
  readonly customAudiences?: readonly string[] | undefined;
  /** Description, at most 512 characters (`--description`). @default - none */
  readonly description?: string | undefined;
  /**
   * Removed: a service runs an image. Terraform cannot build a container from source
   * (`build_config` on a service only stores metadata: provider issues #22263, #23057). Use
   * `CloudRunFunction` for function sources, or `npm run build-image` in CI and pass `image`.
   * Passing it fails synth with `CR_SERVICE_SOURCE`.
   * @deprecated use CloudRunFunction, or build the image with `npm run build-image`
   * @default - none; any value is refused with `CR_SERVICE_SOURCE`
   */
  readonly source?: never | undefined;
  /**
   * Base image of an image deploy, for automatic base-image updates (`--base-image`): the image
   * must be built on it without its OS layers (see the Cloud Run docs). Written as the
   * container's `base_image_uri`.
   * @default - none
   */
  readonly baseImage?: string | undefined;
  /**
   * Let Google patch `baseImage` without a redeploy (`--automatic-updates`), written as
   * `build_config.enable_automatic_updates`.
   * @default - true when baseImage is set
   */
  readonly automaticUpdates?: boolean | undefined;
  /**
   * Send a client's requests to the same instance while it lives (`--session-affinity`), written
   * as `template.session_affinity`. Best effort: Cloud Run keys it on a cookie and may still move
   * a client (https://cloud.google.com/run/docs/configuring/session-affinity).
   * @default - not written: off, as the API defaults
   */
  readonly sessionAffinity?: boolean | undefined;
}
