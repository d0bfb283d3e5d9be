import { Construct } from "constructs";
import { Annotations, TerraformResource } from "cdktf";
import {
  CloudRunV2Service,
  CloudRunV2ServiceTemplate,
  CloudRunV2ServiceTraffic,
} from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { EventarcTrigger } from "@cdktf/provider-google/lib/eventarc-trigger";
import { IamBinding } from "../iam/iam-binding";
import { Finding, parseCpu } from "../workload/container-rules";
import { problem } from "../core/errors";
import { Workload } from "../workload/workload";
import { Block, compact, mapProbe } from "../workload/container-mapping";
import { Duration, Probe, WorkloadProps } from "../workload/workload-props";
import { isUnresolved, toApiDuration } from "../core/values";
import {
  EXECUTION_ENVIRONMENT,
  INGRESS,
  serviceCrossProblems,
  serviceProblems,
} from "./service-validation";
import { EventTriggerOptions, createEventTrigger } from "./service-events";
import { BaseImageWiring, baseImageProblems, mapBaseImage } from "./service-base-image";

/** Who may reach the service over the network (`--ingress`). */
export type Ingress = "all" | "internal" | "internal-and-cloud-load-balancing";

/** One traffic target (`--to-revisions`, `--to-latest`, `--set-tags`). */
export interface TrafficTarget {
  /** Share of requests, 0–100; the percents of all targets sum to 100. */
  readonly percent: number;
  /**
   * Route to the latest ready revision.
   * @default false - `revision` names the target
   */
  readonly latest?: boolean;
  /** Name of an existing revision (required unless `latest`). @default - none */
  readonly revision?: string;
  /**
   * Tag giving the target its own URL (`https://TAG---SERVICE-….run.app`); tag and service
   * name together at most 46 characters.
   * @default - no tag
   */
  readonly tag?: string;
}

export interface CloudRunServiceProps extends WorkloadProps {
  /**
   * Port the ingress container listens on, passed to it as `$PORT` (`--port`).
   * @default 8080
   */
  readonly port?: number;
  /**
   * Serve end-to-end HTTP/2 cleartext (`--use-http2`): the port is named `h2c`.
   * @default false - HTTP/1 (Google's default port name `http1`)
   */
  readonly http2?: boolean;
  /**
   * Let anyone call the service (`--allow-unauthenticated`): writes
   * `invoker_iam_disabled = true`, which works even where a domain-restricted-sharing org
   * policy refuses an `allUsers` grant. Always written. Whether an environment may do this is
   * decided by the checks' `public-service` rule (`allowPublic` in the environment file).
   * @default false - callers need roles/run.invoker
   */
  readonly allowUnauthenticated?: boolean;
  /** Members granted `roles/run.invoker` on this service, additively. @default - none */
  readonly invokers?: readonly string[];
  /**
   * Network paths that may reach the service (`--ingress`). Always written.
   * @default "all" - Google's default; authentication still applies unless allowUnauthenticated
   */
  readonly ingress?: Ingress;
  /**
   * Instances kept warm (`--min-instances`), written on the revision template and as the
   * service-level `scaling` block (always written, to avoid a permanent diff).
   * @default 0
   */
  readonly minInstances?: number;
  /**
   * Upper bound on instances (`--max-instances`).
   * @default 100 - Google's default, written explicitly so the second plan is empty (provider
   * issue #18969); with a GPU, not written and its value ignored (Cloud Run bounds it by quota)
   */
  readonly maxInstances?: number;
  /**
   * Concurrent requests per instance (`--concurrency`), 1–1000.
   * @default - 1 when cpu is below 1; otherwise Google's default (80)
   */
  readonly concurrency?: number;
  /** Request timeout (`--timeout`), at most 3600s. @default - Google's default, "300s" */
  readonly timeout?: Duration;
  /**
   * Allocate CPU only during requests (`--cpu-throttling`, request-based billing), written as
   * `cpu_idle` on every container. Must be false with a GPU.
   * @default true, or false with a GPU
   */
  readonly cpuThrottling?: boolean;
  /** More CPU while an instance starts (`--cpu-boost`). @default - not written: off, as the API defaults */
  readonly cpuBoost?: boolean;
  /**
   * Execution environment (`--execution-environment`).
   * @default - not written: Cloud Run picks one from the features used
   */
  readonly executionEnvironment?: "gen1" | "gen2";
  /** Startup probe of the ingress container. @default - Google adds a TCP probe on the port */
  readonly startupProbe?: Probe;
  /** Liveness probe of the ingress container; a `tcpSocket` without port probes `port`. @default - none */
  readonly livenessProbe?: Probe;
  /** Traffic split and tags. @default - not written: 100% to the latest revision */
  readonly traffic?: readonly TrafficTarget[];
  /** Extra audiences accepted in ID tokens (`--add-custom-audiences`). @default - none */
  readonly customAudiences?: readonly string[];
  /** Description, at most 512 characters (`--description`). @default - none */
  readonly description?: string;
  /**
   * Removed: a service runs an image. Terraform cannot build a container from source
   * (`build_config` on a service only stores metadata: provider issues #22263, #23057). Use
   * `CloudRunFunction` for function sources, or `npm run build-image` in CI and pass `image`.
   * Passing it fails synth with `CR_SERVICE_SOURCE`.
   * @deprecated use CloudRunFunction, or build the image with `npm run build-image`
   */
  readonly source?: never;
  /**
   * Base image of an image deploy, for automatic base-image updates (`--base-image`): the image
   * must be built on it without its OS layers (see the Cloud Run docs). Written as the
   * container's `base_image_uri`.
   * @default - none
   */
  readonly baseImage?: string;
  /**
   * Let Google patch `baseImage` without a redeploy (`--automatic-updates`), written as
   * `build_config.enable_automatic_updates`.
   * @default - true when baseImage is set
   */
  readonly automaticUpdates?: boolean;
  /**
   * Send a client's requests to the same instance while it lives (`--session-affinity`), written
   * as `template.session_affinity`. Best effort: Cloud Run keys it on a cookie and may still move
   * a client (https://cloud.google.com/run/docs/configuring/session-affinity).
   * @default - not written: off, as the API defaults
   */
  readonly sessionAffinity?: boolean;
}

/**
 * A Cloud Run service (`google_cloud_run_v2_service`) with a dedicated identity, the APIs it
 * uses, additive IAM and validation of everything Cloud Run would reject at apply.
 *
 * ```ts
 * new CloudRunService(this, "hello", {
 *   image: "us-docker.pkg.dev/cloudrun/container/hello", allowUnauthenticated: true,
 * });
 * ```
 */
/** The props a service has beyond the shared ones (typed: adding a prop without listing it fails to compile). */
const SERVICE_PROP_KEYS: Record<Exclude<keyof CloudRunServiceProps, keyof WorkloadProps>, true> = {
  port: true,
  http2: true,
  allowUnauthenticated: true,
  invokers: true,
  ingress: true,
  minInstances: true,
  maxInstances: true,
  concurrency: true,
  timeout: true,
  cpuThrottling: true,
  cpuBoost: true,
  executionEnvironment: true,
  startupProbe: true,
  livenessProbe: true,
  traffic: true,
  customAudiences: true,
  description: true,
  source: true,
  baseImage: true,
  automaticUpdates: true,
  sessionAffinity: true,
};

/** The API's default `max_instance_count` (RevisionScaling, "About maximum instances"). */
const DEFAULT_MAX_INSTANCES = 100;
const MAX_INSTANCES_PATH = "template[0].scaling[0].max_instance_count";

/** Props that must be lists; a single value would otherwise be walked character by character. */
const LIST_PROPS = ["traffic", "customAudiences", "invokers"] as const;

export class CloudRunService extends Workload {
  public readonly resource: CloudRunV2Service;
  /** The service URL (`https://NAME-HASH-REGION.a.run.app`), known after apply. */
  public readonly uri: string;
  public readonly port: number;
  public readonly allowUnauthenticated: boolean;
  public readonly ingress: Ingress;
  public readonly cpuThrottling: boolean;
  private readonly props: CloudRunServiceProps;
  private readonly base: BaseImageWiring;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id, "service", props);
    this.rejectUnknownProps(props, Object.keys(SERVICE_PROP_KEYS));
    for (const key of LIST_PROPS) {
      const value = props[key];
      if (value !== undefined && !Array.isArray(value)) {
        this.problems.add(
          problem("CR_NOT_A_LIST", this, key, value, `${key} is a list`, `Wrap the value in [ ]`),
        );
        // Validate and map the rest as if it were unset; the problem above fails the construct.
        props = { ...props, [key]: undefined };
      }
    }
    this.props = props;
    this.port = props.port ?? 8080;
    this.allowUnauthenticated = props.allowUnauthenticated ?? false;
    this.ingress = props.ingress ?? "all";
    this.cpuThrottling = props.cpuThrottling ?? !props.gpu;

    const checked = serviceProblems(this, props);
    for (const p of checked.problems) this.problems.add(p);
    for (const w of checked.warnings) Annotations.of(this).addWarning(w);
    for (const p of baseImageProblems(this, props)) this.problems.add(p);
    const affinity: unknown = props.sessionAffinity;
    if (affinity !== undefined && typeof affinity !== "boolean" && !isUnresolved(affinity)) {
      this.problems.add(
        problem(
          "CR_SESSION_AFFINITY",
          this,
          "sessionAffinity",
          affinity,
          "sessionAffinity is true or false",
          "Write sessionAffinity: true (or false), not a string",
        ),
      );
    }
    this.problems.throwIfAny();
    this.base = mapBaseImage(props);

    const cpu = parseCpu(this, "cpu", props.cpu ?? "1").value;
    const concurrency = props.concurrency ?? (cpu !== undefined && cpu < 1 ? 1 : undefined);
    const ignoreChanges = [
      ...this.externalImageIgnores("template[0]", "template[0]"),
      ...(this.maxInstancesFromApi() ? [MAX_INSTANCES_PATH] : []),
    ];

    this.resource = new CloudRunV2Service(this, "Resource", {
      name: this.name,
      location: this.region,
      project: props.project,
      description: props.description,
      labels: props.labels ? { ...props.labels } : undefined,
      ingress: INGRESS[this.ingress] ?? this.ingress,
      invokerIamDisabled: this.allowUnauthenticated,
      deletionProtection: this.deletionProtection,
      customAudiences: props.customAudiences ? [...props.customAudiences] : undefined,
      // Service-level scaling, always written: scaling_mode is Optional and not Computed in
      // provider 6.50 (resource_cloud_run_v2_service.go) while the API reports its default,
      // AUTOMATIC, so leaving it out shows `"AUTOMATIC" -> null` (docs/empty-plan.md).
      scaling: { minInstanceCount: props.minInstances ?? 0, scalingMode: "AUTOMATIC" },
      template: this.template(concurrency, checked.timeoutSeconds),
      buildConfig: this.base.buildConfig ? compact(this.base.buildConfig) : undefined,
      traffic: props.traffic?.map(trafficBlock),
      lifecycle: ignoreChanges.length > 0 ? { ignoreChanges } : undefined,
    });
    this.uri = this.resource.uri;
    this.finishResource(this.resource);

    for (const member of props.invokers ?? []) this.grantInvoke(member);
  }

  /**
   * Grants `roles/run.invoker` on this service to `member` (`user:…`, `group:…`,
   * `serviceAccount:…`), additively; calling twice returns the same resource.
   */
  grantInvoke(member: string): TerraformResource {
    return IamBinding.grant(this, "roles/run.invoker", member);
  }

  /**
   * Delivers events to this service through an Eventarc trigger with its own identity, which
   * gets `roles/run.invoker` on this service and `roles/eventarc.eventReceiver` on the project.
   *
   * ```ts
   * api.onEvent("uploads", {
   *   eventType: "google.cloud.storage.object.v1.finalized", filters: { bucket: "acme-uploads" },
   * });
   * ```
   */
  onEvent(id: string, options: EventTriggerOptions): EventarcTrigger {
    return createEventTrigger(this, id, options, {
      serviceName: this.resource.name,
      project: this.props.project,
    });
  }

  protected kindProblems(): Finding[] {
    return serviceCrossProblems(this, this.props, {
      name: this.name,
      cpuThrottling: this.cpuThrottling,
      cpuThrottlingGiven: this.props.cpuThrottling !== undefined,
    });
  }

  private template(concurrency?: number, timeoutSeconds?: number): CloudRunV2ServiceTemplate {
    const props = this.props;
    return compact({
      serviceAccount: this.serviceAccountEmail,
      executionEnvironment: props.executionEnvironment
        ? (EXECUTION_ENVIRONMENT[props.executionEnvironment] ?? props.executionEnvironment)
        : undefined,
      maxInstanceRequestConcurrency: concurrency,
      timeout: timeoutSeconds !== undefined ? toApiDuration(timeoutSeconds) : undefined,
      // Both bounds written: with min alone, the API fills in max = 100, provider 6.50 reads it
      // back (template.scaling.max_instance_count is Optional, not Computed) and every plan
      // shows `100 -> null` (provider issue #18969; docs/empty-plan.md).
      scaling: compact({
        minInstanceCount: props.minInstances ?? 0,
        maxInstanceCount:
          props.maxInstances ?? (this.maxInstancesFromApi() ? undefined : DEFAULT_MAX_INSTANCES),
      }),
      containers: this.mapContainers(this.containerShape()),
      volumes: this.mapVolumes(),
      vpcAccess: this.mapVpcAccess(),
      nodeSelector: this.mapNodeSelector(),
      gpuZonalRedundancyDisabled: props.gpu ? !(props.gpu.zonalRedundancy ?? true) : undefined,
      encryptionKey: props.encryptionKey,
      sessionAffinity: props.sessionAffinity,
    }) as unknown as CloudRunV2ServiceTemplate;
  }

  /**
   * A GPU service without `maxInstances`: Cloud Run derives the bound from the GPU quota, so it is
   * left to the API and ignored (`lifecycle.ignore_changes`) rather than written as 100.
   */
  private maxInstancesFromApi(): boolean {
    return this.props.maxInstances === undefined && this.props.gpu !== undefined;
  }

  private containerShape() {
    const props = this.props;
    const main: Block = {
      ports: compact({ containerPort: this.port, name: props.http2 ? "h2c" : undefined }),
      startupProbe: props.startupProbe ? mapProbe(props.startupProbe, this.port) : undefined,
      livenessProbe: props.livenessProbe ? mapProbe(props.livenessProbe, this.port) : undefined,
      baseImageUri: this.base.baseImageUri,
    };
    return {
      main: compact(main),
      resources: compact({ cpuIdle: this.cpuThrottling, startupCpuBoost: props.cpuBoost }),
      startupProbes: true,
    };
  }
}

function trafficBlock(t: TrafficTarget): CloudRunV2ServiceTraffic {
  return compact({
    type: t.latest
      ? "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
      : "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION",
    percent: t.percent,
    revision: t.latest ? undefined : t.revision,
    tag: t.tag,
  });
}
