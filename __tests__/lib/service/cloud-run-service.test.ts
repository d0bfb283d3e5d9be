import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { CloudRunService, CloudRunServiceProps } from "@cdktf-cloud-run/constructs";
import { setWorkloadDefaults } from "../../../lib/core/context";
import { TfJson, only, plainStack, resources, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/api@sha256:" + "a".repeat(64);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<CloudRunServiceProps> = {}, id = "api") {
  const stack = plainStack();
  const svc = new CloudRunService(stack, id, { image: IMAGE, ...props });
  return { stack, svc };
}

/** The synthesized google_cloud_run_v2_service of a service built from `props`. */
function service(props: Partial<CloudRunServiceProps> = {}): Json {
  return only(synth(build(props).stack), "google_cloud_run_v2_service");
}

const main = (s: Json): Json => s.template.containers[0];

describe("CloudRunService: the gcloud run deploy equivalent", () => {
  test("gcloud run deploy hello --image … --region us-central1 --allow-unauthenticated in three lines", () => {
    const stack = plainStack({ region: "europe-west1" });
    new CloudRunService(stack, "hello", {
      image: "us-docker.pkg.dev/cloudrun/container/hello",
      region: "us-central1",
      allowUnauthenticated: true, // prettier-ignore
    });
    const json = synth(stack);
    const s = only(json, "google_cloud_run_v2_service") as Json;
    expect(s).toMatchObject({
      name: "hello",
      location: "us-central1",
      invoker_iam_disabled: true,
      ingress: "INGRESS_TRAFFIC_ALL",
      deletion_protection: false,
    });
    expect(main(s)).toMatchObject({
      image: "us-docker.pkg.dev/cloudrun/container/hello",
      ports: { container_port: 8080 },
    });
    expect(Object.keys(resources(json, "google_cloud_run_v2_service_iam_member"))).toHaveLength(0);
    expect(only(json, "google_service_account")).toMatchObject({ account_id: "hello-run" });
  });
});

describe("CloudRunService: identity, name, place", () => {
  test("name defaults to the construct id, lower-cased", () => {
    const stack = plainStack();
    new CloudRunService(stack, "Api", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_service").name).toBe("api");
  });

  test("name, project and region props are written", () => {
    expect(
      service({ name: "orders", project: "acme-other", region: "europe-west4" }),
    ).toMatchObject({ name: "orders", project: "acme-other", location: "europe-west4" });
  });

  test("region defaults to the Google provider's", () => {
    expect(service().location).toBe("us-central1");
  });

  test("runs as a dedicated service account, never the Compute default", () => {
    const json = synth(build().stack);
    const s = only(json, "google_cloud_run_v2_service") as Json;
    const [key] = Object.keys(resources(json, "google_service_account"));
    expect(s.template.service_account).toBe(`\${google_service_account.${key}.email}`);
  });

  test("serviceAccount uses the given account and creates none", () => {
    const json = synth(build({ serviceAccount: "api@acme-test.iam.gserviceaccount.com" }).stack);
    expect(resources(json, "google_service_account")).toEqual({});
    expect((only(json, "google_cloud_run_v2_service") as Json).template.service_account).toBe(
      "api@acme-test.iam.gserviceaccount.com",
    );
  });

  test("waits for the project's APIs, run among them", () => {
    const json = synth(build().stack);
    const s = only(json, "google_cloud_run_v2_service") as Json;
    expect(s.depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("run.googleapis.com");
  });

  test("exposes uri, serviceAccountEmail, resource and iamTarget", () => {
    const { stack, svc } = build();
    new TerraformOutput(stack, "uri", { value: svc.uri });
    new TerraformOutput(stack, "email", { value: svc.serviceAccountEmail });
    const out = synth(stack).output as Json;
    expect(out.uri.value).toMatch(/^\$\{google_cloud_run_v2_service\.api_\w+\.uri\}$/);
    expect(out.email.value).toMatch(/^\$\{google_service_account\.\w+\.email\}$/);
    expect(svc.resource.terraformResourceType).toBe("google_cloud_run_v2_service");
    expect(svc.iamTarget).toMatchObject({ kind: "service", key: "test/api" });
  });
});

describe("CloudRunService: container", () => {
  test("image, command and args reach the main container", () => {
    const c = main(service({ command: ["/bin/api"], args: ["--serve", "--verbose"] }));
    expect(c).toMatchObject({
      image: IMAGE,
      command: ["/bin/api"],
      args: ["--serve", "--verbose"],
    });
  });

  test("port defaults to 8080", () => {
    expect(main(service()).ports).toEqual({ container_port: 8080 });
  });

  test("port is written as ports.container_port", () => {
    expect(main(service({ port: 3000 })).ports).toEqual({ container_port: 3000 });
  });

  test("http2 names the port h2c", () => {
    expect(main(service({ http2: true })).ports).toEqual({ container_port: 8080, name: "h2c" });
  });

  test("env reaches the container as name/value pairs", () => {
    expect(main(service({ env: { MODE: "prod" } })).env).toEqual([{ name: "MODE", value: "prod" }]);
  });

  test("secrets become value_source refs and grant secretAccessor to the service identity", () => {
    const json = synth(build({ secrets: { DB_PASS: { secret: "db-pass", version: "3" } } }).stack);
    expect(main(only(json, "google_cloud_run_v2_service") as Json).env).toEqual([
      { name: "DB_PASS", value_source: { secret_key_ref: { secret: "db-pass", version: "3" } } },
    ]);
    const grant = only(json, "google_secret_manager_secret_iam_member");
    expect(grant).toMatchObject({
      secret_id: "db-pass",
      role: "roles/secretmanager.secretAccessor",
    });
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("secretmanager.googleapis.com");
  });

  test("cpu and memory default to 1 and 512Mi", () => {
    expect(main(service()).resources.limits).toEqual({ cpu: "1", memory: "512Mi" });
  });

  test("cpu and memory are written as limits", () => {
    expect(main(service({ cpu: 2, memory: "2Gi" })).resources.limits).toEqual({
      cpu: "2",
      memory: "2Gi",
    });
  });

  test("cpuThrottling defaults to true, written as cpu_idle", () => {
    expect(main(service()).resources.cpu_idle).toBe(true);
  });

  test("cpuThrottling false writes cpu_idle = false", () => {
    expect(main(service({ cpuThrottling: false })).resources.cpu_idle).toBe(false);
  });

  test("cpuBoost is written as startup_cpu_boost, and not written by default", () => {
    expect(main(service()).resources).not.toHaveProperty("startup_cpu_boost");
    expect(main(service({ cpuBoost: true })).resources.startup_cpu_boost).toBe(true);
  });

  test("startupProbe reaches the main container", () => {
    const probe = main(
      service({
        startupProbe: { httpGet: { path: "/ready" }, periodSeconds: 5, failureThreshold: 10 },
      }),
    ).startup_probe;
    expect(probe).toEqual({
      http_get: { path: "/ready" },
      period_seconds: 5,
      failure_threshold: 10,
    });
  });

  test("a tcpSocket liveness probe without a port probes the container port", () => {
    const c = main(service({ port: 9000, livenessProbe: { tcpSocket: {} } }));
    expect(c.liveness_probe).toEqual({ tcp_socket: { port: 9000 } });
  });

  test("a grpc liveness probe keeps its service name", () => {
    const c = main(service({ livenessProbe: { grpc: { service: "health" }, periodSeconds: 30 } }));
    expect(c.liveness_probe).toEqual({ grpc: { service: "health" }, period_seconds: 30 });
  });

  test("no probes are written by default", () => {
    expect(main(service())).not.toHaveProperty("liveness_probe");
    expect(main(service())).not.toHaveProperty("startup_probe");
  });

  test("volumes of every type reach template.volumes and mount into the main container", () => {
    const s = service({
      executionEnvironment: "gen2",
      vpc: { network: "default" },
      volumes: {
        certs: { type: "secret", secret: "tls", mountPath: "/certs" },
        sql: {
          type: "cloud-sql",
          instances: ["acme-test:us-central1:main"],
          mountPath: "/cloudsql",
        },
        media: { type: "gcs", bucket: "acme-media", readOnly: true, mountPath: "/media" },
        share: { type: "nfs", server: "10.0.0.2", path: "/share", mountPath: "/share" },
        scratch: { type: "in-memory", sizeLimit: "256Mi", mountPath: "/tmp/scratch" },
      },
    });
    expect(s.template.volumes).toEqual([
      { name: "certs", secret: { secret: "tls" } },
      { name: "sql", cloud_sql_instance: { instances: ["acme-test:us-central1:main"] } },
      { name: "media", gcs: { bucket: "acme-media", read_only: true } },
      { name: "share", nfs: { server: "10.0.0.2", path: "/share", read_only: false } },
      { name: "scratch", empty_dir: { medium: "MEMORY", size_limit: "256Mi" } },
    ]);
    expect(main(s).volume_mounts.map((m: Json) => m.name)).toEqual([
      "certs",
      "sql",
      "media",
      "share",
      "scratch",
    ]);
  });

  test("sidecars are named, start in order, and only the ingress container has a port", () => {
    const s = service({
      startAfter: ["proxy"],
      sidecars: {
        proxy: {
          image: "us-docker.pkg.dev/acme-ci/apps/proxy:1",
          env: { PORT: "8081" },
          startupProbe: { tcpSocket: { port: 8081 } },
        },
      },
    });
    const [app, proxy] = s.template.containers;
    expect(app).toMatchObject({
      name: "app",
      depends_on: ["proxy"],
      ports: { container_port: 8080 },
    });
    expect(proxy).toMatchObject({ name: "proxy", startup_probe: { tcp_socket: { port: 8081 } } });
    expect(proxy).not.toHaveProperty("ports");
  });

  test("vpc writes Direct VPC egress", () => {
    expect(
      service({ vpc: { subnetwork: "run", egress: "all-traffic", tags: ["api"] } }).template
        .vpc_access,
    ).toEqual({
      egress: "ALL_TRAFFIC",
      network_interfaces: [{ subnetwork: "run", tags: ["api"] }],
    });
  });
});

describe("CloudRunService: GPU", () => {
  const gpu = { cpu: 4, memory: "16Gi" } as const;

  test("a GPU sets the node selector, the limit and instance-based billing", () => {
    const s = service({ ...gpu, gpu: {} });
    expect(s.template.node_selector).toEqual({ accelerator: "nvidia-l4" });
    expect(main(s).resources).toMatchObject({
      cpu_idle: false,
      limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" },
    });
    expect(s.template.gpu_zonal_redundancy_disabled).toBe(false);
  });

  test("zonalRedundancy false writes gpu_zonal_redundancy_disabled = true", () => {
    expect(
      service({ ...gpu, gpu: { zonalRedundancy: false } }).template.gpu_zonal_redundancy_disabled,
    ).toBe(true);
  });

  test("gpu_zonal_redundancy_disabled is not written without a GPU", () => {
    expect(service().template).not.toHaveProperty("gpu_zonal_redundancy_disabled");
  });
});

describe("CloudRunService: service settings", () => {
  test("allowUnauthenticated defaults to false, written explicitly", () => {
    expect(service().invoker_iam_disabled).toBe(false);
  });

  test("allowUnauthenticated true writes invoker_iam_disabled and grants nothing to allUsers", () => {
    const json = synth(build({ allowUnauthenticated: true }).stack);
    expect((only(json, "google_cloud_run_v2_service") as Json).invoker_iam_disabled).toBe(true);
    expect(JSON.stringify(json)).not.toContain("allUsers");
  });

  test("invokers get roles/run.invoker, one additive member each", () => {
    const json = synth(
      build({ invokers: ["group:qa@acme.example", "user:ana@acme.example"] }).stack,
    );
    const grants = Object.values(resources(json, "google_cloud_run_v2_service_iam_member"));
    expect(grants.map((g) => [g.role, g.member])).toEqual([
      ["roles/run.invoker", "group:qa@acme.example"],
      ["roles/run.invoker", "user:ana@acme.example"],
    ]);
    const [key] = Object.keys(resources(json, "google_cloud_run_v2_service"));
    expect(grants[0]).toMatchObject({
      name: `\${google_cloud_run_v2_service.${key}.name}`,
      location: `\${google_cloud_run_v2_service.${key}.location}`,
    });
  });

  test("grantInvoke is additive and idempotent", () => {
    const { stack, svc } = build({ invokers: ["group:qa@acme.example"] });
    const first = svc.grantInvoke("serviceAccount:ci@acme-test.iam.gserviceaccount.com");
    expect(svc.grantInvoke("serviceAccount:ci@acme-test.iam.gserviceaccount.com")).toBe(first);
    expect(svc.grantInvoke("group:qa@acme.example")).toBeDefined();
    expect(
      Object.keys(resources(synth(stack), "google_cloud_run_v2_service_iam_member")),
    ).toHaveLength(2);
  });

  test("ingress defaults to all, written explicitly", () => {
    expect(service().ingress).toBe("INGRESS_TRAFFIC_ALL");
  });

  test.each([
    ["all", "INGRESS_TRAFFIC_ALL"],
    ["internal", "INGRESS_TRAFFIC_INTERNAL_ONLY"],
    ["internal-and-cloud-load-balancing", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"],
  ] as const)("ingress %s is written as %s", (ingress, api) => {
    expect(service({ ingress }).ingress).toBe(api);
  });

  test("the service-level scaling block is always written (min 0, AUTOMATIC)", () => {
    const s = service();
    expect(s.scaling).toEqual({ min_instance_count: 0, scaling_mode: "AUTOMATIC" });
    expect(s.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 100 });
  });

  test("minInstances and maxInstances reach template.scaling and the service-level block", () => {
    const s = service({ minInstances: 2, maxInstances: 20 });
    expect(s.template.scaling).toEqual({ min_instance_count: 2, max_instance_count: 20 });
    expect(s.scaling).toEqual({ min_instance_count: 2, scaling_mode: "AUTOMATIC" });
  });

  test("concurrency is written as max_instance_request_concurrency", () => {
    expect(service({ concurrency: 250 }).template.max_instance_request_concurrency).toBe(250);
  });

  test("concurrency is left to Google by default", () => {
    expect(service().template).not.toHaveProperty("max_instance_request_concurrency");
  });

  test("concurrency defaults to 1 when cpu is below 1", () => {
    expect(service({ cpu: "0.5" }).template.max_instance_request_concurrency).toBe(1);
  });

  test("timeout takes gcloud's forms and is written in seconds", () => {
    expect(service({ timeout: "10m" }).template.timeout).toBe("600s");
    expect(service({ timeout: 45 }).template.timeout).toBe("45s");
  });

  test("timeout is left to Google (300s) by default", () => {
    expect(service().template).not.toHaveProperty("timeout");
  });

  test.each([
    ["gen1", "EXECUTION_ENVIRONMENT_GEN1"],
    ["gen2", "EXECUTION_ENVIRONMENT_GEN2"],
  ] as const)("executionEnvironment %s is written as %s", (env, api) => {
    expect(service({ executionEnvironment: env }).template.execution_environment).toBe(api);
  });

  test("executionEnvironment is not written by default", () => {
    expect(service().template).not.toHaveProperty("execution_environment");
  });

  test("traffic targets map to LATEST and REVISION blocks with tags", () => {
    const s = service({
      traffic: [
        { percent: 90, revision: "api-00041-abc" },
        { percent: 10, latest: true, tag: "canary" },
      ],
    });
    expect(s.traffic).toEqual([
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", percent: 90, revision: "api-00041-abc" },
      { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 10, tag: "canary" },
    ]);
  });

  test("traffic is not written by default", () => {
    expect(service()).not.toHaveProperty("traffic");
  });

  test("customAudiences are written", () => {
    expect(service({ customAudiences: ["https://api.acme.example"] }).custom_audiences).toEqual([
      "https://api.acme.example",
    ]);
  });

  test("description is written", () => {
    expect(service({ description: "Public API" }).description).toBe("Public API");
  });

  test("labels are written on the service", () => {
    expect(service({ labels: { team: "payments" } }).labels).toEqual({ team: "payments" });
  });
});

describe("CloudRunService: deletion protection and external images", () => {
  test("deletionProtection is written false outside an environment", () => {
    expect(service().deletion_protection).toBe(false);
  });

  test("deletionProtection defaults to true in a prod-tier stack", () => {
    const stack = new TerraformStack(Testing.app(), "prod");
    new GoogleProvider(stack, "google", { project: "acme-prod", region: "us-central1" });
    setWorkloadDefaults(stack, { project: "acme-prod", region: "us-central1", tier: "prod" });
    new CloudRunService(stack, "api", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_service").deletion_protection).toBe(true);
  });

  test("deletionProtection is written as given", () => {
    expect(service({ deletionProtection: true }).deletion_protection).toBe(true);
  });

  test("imageManagedBy external ignores images, client, revision and CI labels", () => {
    const s = service({ imageManagedBy: "external", sidecars: { proxy: { image: IMAGE } } });
    expect(s.lifecycle.ignore_changes).toEqual([
      "client",
      "client_version",
      "template[0].containers[0].image",
      "template[0].containers[1].image",
      "template[0].revision",
      "template[0].labels",
      "template[0].annotations",
      'labels["commit-sha"]',
      'labels["build-id"]',
    ]);
  });

  test("imageManagedBy external without an image deploys the placeholder", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { imageManagedBy: "external" });
    const s = only(synth(stack), "google_cloud_run_v2_service") as Json;
    expect(main(s).image).toBe("us-docker.pkg.dev/cloudrun/container/hello");
  });

  test("no lifecycle block when Terraform manages the image", () => {
    expect(service()).not.toHaveProperty("lifecycle");
  });
});

describe("CloudRunService.onEvent", () => {
  function projectGrant(json: TfJson, role: string): Record<string, unknown> {
    const found = Object.values(resources(json, "google_project_iam_member")).filter(
      (r) => r.role === role,
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  function withTrigger(options: Partial<Parameters<CloudRunService["onEvent"]>[1]> = {}): TfJson {
    const { stack, svc } = build();
    svc.onEvent("uploads", {
      eventType: "google.cloud.storage.object.v1.finalized",
      filters: { bucket: "acme-uploads" },
      ...options,
    });
    return synth(stack);
  }

  test("creates an Eventarc trigger for the service with the event type and filters", () => {
    const json = withTrigger({ path: "/events" });
    const [svcKey] = Object.keys(resources(json, "google_cloud_run_v2_service"));
    expect(only(json, "google_eventarc_trigger")).toMatchObject({
      name: "api-uploads",
      location: "us-central1",
      matching_criteria: [
        { attribute: "type", value: "google.cloud.storage.object.v1.finalized" },
        { attribute: "bucket", value: "acme-uploads" },
      ],
      destination: {
        cloud_run_service: {
          service: `\${google_cloud_run_v2_service.${svcKey}.name}`,
          region: "us-central1",
          path: "/events",
        },
      },
    });
  });

  test("the trigger runs as its own account with run.invoker on this service and eventarc.eventReceiver", () => {
    const json = withTrigger();
    const accounts = resources(json, "google_service_account");
    const key = Object.keys(accounts).find((k) => k.includes("Event-uploads"))!;
    expect(accounts[key].account_id).toBe("api-uploads-ev");
    const member = `serviceAccount:\${google_service_account.${key}.email}`;
    expect(only(json, "google_eventarc_trigger").service_account).toBe(
      `\${google_service_account.${key}.email}`,
    );
    expect(only(json, "google_cloud_run_v2_service_iam_member")).toMatchObject({
      role: "roles/run.invoker",
      member,
    });
    expect(projectGrant(json, "roles/eventarc.eventReceiver")).toMatchObject({
      project: "acme-test",
      member,
    });
  });

  test("an existing trigger account is used as given", () => {
    const json = withTrigger({ serviceAccount: "events@acme-test.iam.gserviceaccount.com" });
    expect(only(json, "google_eventarc_trigger").service_account).toBe(
      "events@acme-test.iam.gserviceaccount.com",
    );
    expect(projectGrant(json, "roles/eventarc.eventReceiver").member).toBe(
      "serviceAccount:events@acme-test.iam.gserviceaccount.com",
    );
  });

  test("enables eventarc and pubsub and waits for them", () => {
    const json = withTrigger();
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toEqual(
      expect.arrayContaining(["eventarc.googleapis.com", "pubsub.googleapis.com"]),
    );
    expect(only(json, "google_eventarc_trigger").depends_on).toContainEqual(
      expect.stringMatching(/^time_sleep\./),
    );
  });

  test("returns the trigger resource", () => {
    const { svc } = build();
    const trigger = svc.onEvent("topic", {
      eventType: "google.cloud.pubsub.topic.v1.messagePublished",
    });
    expect(trigger.node.path).toBe("test/api/Event-topic/Trigger");
  });
});
