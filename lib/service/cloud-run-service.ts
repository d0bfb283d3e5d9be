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
import { serviceErrors } from "./errors";
import { Workload } from "../workload/workload";
import { Block, compact, mapProbe } from "../workload/container-mapping";
import { Ingress, WorkloadProps } from "../workload/workload-props";
import { defined, isUnresolved, toApiDuration } from "../core/values";
import {
  EXECUTION_ENVIRONMENT,
  INGRESS,
  serviceCrossProblems,
  serviceProblems,
} from "./service-validation";
import { EventTriggerOptions, createEventTrigger } from "./service-events";
import { BaseImageWiring, baseImageProblems, mapBaseImage } from "./service-base-image";

export type { CloudRunServiceProps, Ingress, TrafficTarget } from "./service-props";
import type { CloudRunServiceProps, TrafficTarget } from "./service-props";

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
        this.problems.add(serviceErrors.notAList(this, value, key));
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
      this.problems.add(serviceErrors.sessionAffinity(this, affinity));
    }
    this.problems.throwIfAny();
    this.base = mapBaseImage(props);

    const cpu = parseCpu(this, "cpu", props.cpu ?? "1").value;
    const concurrency = props.concurrency ?? (cpu !== undefined && cpu < 1 ? 1 : undefined);
    const ignoreChanges = [
      ...this.externalImageIgnores("template[0]", "template[0]"),
      ...(this.maxInstancesFromApi() ? [MAX_INSTANCES_PATH] : []),
    ];

    this.resource = new CloudRunV2Service(
      this,
      "Resource",
      defined({
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
      }),
    );
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
