import { IConstruct } from "constructs";
import { WorkerPool, WorkerPoolProps } from "@cdktf-cloud-run/constructs";
import { setWorkloadDefaults } from "../../../lib/core/context";
import { only, plainStack, resources, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/consumer@sha256:" + "c".repeat(64);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<WorkerPoolProps> = {}, id = "pool") {
  const stack = plainStack();
  const pool = new WorkerPool(stack, id, { image: IMAGE, ...props });
  return { stack, pool };
}

function pool(props: Partial<WorkerPoolProps> = {}): Json {
  return only(synth(build(props).stack), "google_cloud_run_v2_worker_pool");
}

const main = (p: Json): Json => p.template.containers[0];

function warnings(c: IConstruct): string[] {
  return c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("WorkerPool: the gcloud run worker-pools deploy equivalent", () => {
  test("gcloud run worker-pools deploy pool --image … in three lines: manual scaling, 1 instance", () => {
    const stack = plainStack();
    new WorkerPool(stack, "pool", {
      image: "us-docker.pkg.dev/cloudrun/container/worker-pool",
    });
    const p = only(synth(stack), "google_cloud_run_v2_worker_pool") as Json;
    expect(p).toMatchObject({ name: "pool", location: "us-central1" });
    expect(p.scaling).toEqual({ manual_instance_count: 1 });
    expect(main(p).image).toBe("us-docker.pkg.dev/cloudrun/container/worker-pool");
  });
});

describe("WorkerPool: defaults", () => {
  test("instances defaults to 1, written explicitly as the manual count", () => {
    expect(pool().scaling).toEqual({ manual_instance_count: 1 });
  });

  test("deletion_protection is written false outside prod", () => {
    expect(pool().deletion_protection).toBe(false);
  });

  test("deletion_protection is written true in a prod-tier stack", () => {
    const stack = plainStack();
    setWorkloadDefaults(stack, { project: "acme-prod", region: "us-central1", tier: "prod" });
    new WorkerPool(stack, "pool", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_worker_pool").deletion_protection).toBe(true);
  });

  test("deletionProtection prop overrides the tier", () => {
    expect(pool({ deletionProtection: true }).deletion_protection).toBe(true);
  });

  test("containers have no ports and no probes (provider 6.50 has none for worker pools)", () => {
    const c = main(pool());
    expect(c).not.toHaveProperty("ports");
    expect(c).not.toHaveProperty("startup_probe");
    expect(c).not.toHaveProperty("liveness_probe");
  });

  test("no GPU: gpu_zonal_redundancy_disabled and node_selector are not written", () => {
    const p = pool();
    expect(p.template).not.toHaveProperty("gpu_zonal_redundancy_disabled");
    expect(p.template).not.toHaveProperty("node_selector");
  });

  test("CPU and memory default to 1 and 512Mi", () => {
    expect(main(pool()).resources.limits).toEqual({ cpu: "1", memory: "512Mi" });
  });

  test("no lifecycle block when Terraform manages the image", () => {
    expect(pool()).not.toHaveProperty("lifecycle");
  });
});

describe("WorkerPool: props", () => {
  test("instances is the manual instance count", () => {
    expect(pool({ instances: 3 }).scaling.manual_instance_count).toBe(3);
  });

  test("instances 0 pauses the pool and is written", () => {
    expect(pool({ instances: 0 }).scaling).toEqual({ manual_instance_count: 0 });
  });

  test("command, args, env, cpu and memory are mapped", () => {
    const c = main(
      pool({
        command: ["node"],
        args: ["consume.js"],
        env: { TOPIC: "orders" },
        cpu: 2,
        memory: "1Gi",
      }),
    );
    expect(c.command).toEqual(["node"]);
    expect(c.args).toEqual(["consume.js"]);
    expect(c.env).toEqual([{ name: "TOPIC", value: "orders" }]);
    expect(c.resources.limits).toEqual({ cpu: "2", memory: "1Gi" });
  });

  test("secret env vars write version latest explicitly", () => {
    expect(main(pool({ secrets: { KEY: { secret: "api-key" } } })).env).toEqual([
      { name: "KEY", value_source: { secret_key_ref: { secret: "api-key", version: "latest" } } },
    ]);
  });

  test("the pool identity gets secretAccessor on its secrets", () => {
    const json = synth(build({ secrets: { KEY: { secret: "api-key" } } }).stack);
    expect(only(json, "google_secret_manager_secret_iam_member")).toMatchObject({
      secret_id: "api-key",
      role: "roles/secretmanager.secretAccessor",
    });
  });

  test("binaryAuthorization is written on the pool", () => {
    const policy = "projects/acme-test/platforms/cloudRun/policies/strict";
    expect(pool({ binaryAuthorization: { policy } }).binary_authorization).toEqual({ policy });
  });

  test("labels are written on the pool", () => {
    expect(pool({ labels: { team: "orders" } }).labels).toEqual({ team: "orders" });
  });

  test("volumes and mounts are mapped into the template", () => {
    const p = pool({ volumes: { certs: { type: "secret", secret: "tls", mountPath: "/certs" } } });
    expect(p.template.volumes).toEqual([{ name: "certs", secret: { secret: "tls" } }]);
    expect(main(p).volume_mounts).toEqual([{ name: "certs", mount_path: "/certs" }]);
  });

  test("vpc is mapped to Direct VPC egress", () => {
    expect(pool({ vpc: { subnetwork: "apps" } }).template.vpc_access).toEqual({
      egress: "PRIVATE_RANGES_ONLY",
      network_interfaces: [{ subnetwork: "apps" }],
    });
  });

  test("sidecars follow the main container", () => {
    const p = pool({ sidecars: { agent: { image: "us-docker.pkg.dev/acme-ci/apps/agent:1" } } });
    expect(p.template.containers.map((c: Json) => c.name)).toEqual(["app", "agent"]);
  });

  test("a GPU keeps zonal redundancy by default (gpu_zonal_redundancy_disabled = false)", () => {
    const p = pool({ gpu: {}, cpu: 4, memory: "16Gi" });
    expect(p.template.node_selector).toEqual({ accelerator: "nvidia-l4" });
    expect(main(p).resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(p.template.gpu_zonal_redundancy_disabled).toBe(false);
  });

  test("gpu.zonalRedundancy false writes gpu_zonal_redundancy_disabled = true", () => {
    const p = pool({ gpu: { zonalRedundancy: false }, cpu: 4, memory: "16Gi" });
    expect(p.template.gpu_zonal_redundancy_disabled).toBe(true);
  });
});

describe("WorkerPool: identity, name, place", () => {
  test("name defaults to the construct id, lower-cased", () => {
    const stack = plainStack();
    new WorkerPool(stack, "Consumer", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_worker_pool").name).toBe("consumer");
  });

  test("name, project and region props are written", () => {
    expect(pool({ name: "orders", project: "acme-other", region: "europe-west4" })).toMatchObject({
      name: "orders",
      project: "acme-other",
      location: "europe-west4",
    });
  });

  test("a dedicated service account is created and the pool runs as it", () => {
    const json = synth(build().stack);
    const [id, sa] = Object.entries(resources(json, "google_service_account"))[0];
    expect(sa.account_id).toBe("pool-pool");
    expect((only(json, "google_cloud_run_v2_worker_pool") as Json).template.service_account).toBe(
      `\${google_service_account.${id}.email}`,
    );
  });

  test("serviceAccount uses an existing account and creates none", () => {
    const json = synth(build({ serviceAccount: "w@acme-test.iam.gserviceaccount.com" }).stack);
    expect(resources(json, "google_service_account")).toEqual({});
    expect((only(json, "google_cloud_run_v2_worker_pool") as Json).template.service_account).toBe(
      "w@acme-test.iam.gserviceaccount.com",
    );
  });

  test("exposes resource, serviceAccountEmail, instances and iamTarget", () => {
    const { pool: p } = build({ serviceAccount: "w@acme-test.iam.gserviceaccount.com" });
    expect(p.resource.terraformResourceType).toBe("google_cloud_run_v2_worker_pool");
    expect(p.serviceAccountEmail).toBe("w@acme-test.iam.gserviceaccount.com");
    expect(p.instances).toBe(1);
    expect(p.iamTarget.kind).toBe("worker-pool");
  });

  test("a 49-character name is accepted", () => {
    expect(pool({ name: "a" + "b".repeat(48) }).name).toHaveLength(49);
  });

  test("a 50-character name is rejected", () => {
    expect(() => build({ name: "a" + "b".repeat(49) })).toThrow(
      /CR_NAME: \[test\/pool\] name is "ab+"; a name is 1–49 lowercase letters/,
    );
  });

  test("enables run.googleapis.com and waits for it", () => {
    const json = synth(build().stack);
    const sleep = Object.keys(resources(json, "time_sleep"))[0];
    expect(only(json, "google_cloud_run_v2_worker_pool").depends_on).toContain(
      `time_sleep.${sleep}`,
    );
  });
});

describe("WorkerPool: imageManagedBy external", () => {
  test("deploys the worker-pool placeholder image when no image is given", () => {
    const stack = plainStack();
    new WorkerPool(stack, "pool", { imageManagedBy: "external" });
    expect(main(only(synth(stack), "google_cloud_run_v2_worker_pool")).image).toBe(
      "us-docker.pkg.dev/cloudrun/container/worker-pool",
    );
  });

  test("ignores client, the image, the revision, template labels/annotations and CI labels", () => {
    expect(pool({ imageManagedBy: "external" }).lifecycle.ignore_changes).toEqual([
      "client",
      "client_version",
      "template[0].containers[0].image",
      "template[0].revision",
      "template[0].labels",
      "template[0].annotations",
      'labels["commit-sha"]',
      'labels["build-id"]',
    ]);
  });
});

describe("WorkerPool: env names", () => {
  test.each(["CLOUD_RUN_WORKER_POOL", "CLOUD_RUN_REVISION"])(
    "%s is only a warning: reserved for worker pools by unverified sources",
    (name) => {
      const { stack, pool: p } = build({ env: { [name]: "x" } });
      expect(warnings(p).join("\n")).toContain(`env.${name}: Cloud Run may set ${name}`);
      expect(main(only(synth(stack), "google_cloud_run_v2_worker_pool")).env).toEqual([
        { name, value: "x" },
      ]);
    },
  );

  test("a job's reserved names are fine on a worker pool", () => {
    expect(main(pool({ env: { CLOUD_RUN_JOB: "x" } })).env).toHaveLength(1);
  });

  test("names starting with X_GOOGLE_ are rejected", () => {
    expect(() => build({ env: { X_GOOGLE_FOO: "x" } })).toThrow(
      "CR_ENV_NAME: [test/pool] env.X_GOOGLE_FOO",
    );
  });
});

describe("WorkerPool: grantSubscribe (pull consumers)", () => {
  test("grants the pool identity roles/pubsub.subscriber on the subscription", () => {
    const { stack, pool: p } = build();
    p.grantSubscribe("orders-pull");
    const json = synth(stack);
    const sa = Object.keys(resources(json, "google_service_account"))[0];
    expect(only(json, "google_pubsub_subscription_iam_member")).toEqual({
      subscription: "orders-pull",
      role: "roles/pubsub.subscriber",
      member: `serviceAccount:\${google_service_account.${sa}.email}`,
    });
  });

  test("takes a subscription in another project", () => {
    const { stack, pool: p } = build();
    p.grantSubscribe({ subscription: "orders-pull", project: "acme-events" });
    expect(only(synth(stack), "google_pubsub_subscription_iam_member")).toMatchObject({
      subscription: "orders-pull",
      project: "acme-events",
    });
  });

  test("takes a projects/P/subscriptions/S path", () => {
    const { stack, pool: p } = build();
    p.grantSubscribe("projects/acme-events/subscriptions/orders-pull");
    expect(only(synth(stack), "google_pubsub_subscription_iam_member")).toMatchObject({
      subscription: "orders-pull",
      project: "acme-events",
    });
  });

  test("is idempotent: granting twice yields one resource", () => {
    const { stack, pool: p } = build();
    expect(p.grantSubscribe("orders-pull")).toBe(p.grantSubscribe("orders-pull"));
    expect(
      Object.keys(resources(synth(stack), "google_pubsub_subscription_iam_member")),
    ).toHaveLength(1);
  });

  test("the grant's id comes from the pool's path, not from token text", () => {
    const { stack, pool: p } = build();
    p.grantSubscribe("orders-pull");
    const [id] = Object.keys(resources(synth(stack), "google_pubsub_subscription_iam_member"));
    expect(id).toContain("test-pool-identity");
  });
});

describe("WorkerPool: rejections", () => {
  test.each([-1, 1.5])("instances %p is rejected", (instances) => {
    expect(() => build({ instances })).toThrow(
      `CR_POOL_INSTANCES: [test/pool] instances is ${instances}; instances (the manual instance count) is a whole number ≥ 0`,
    );
  });

  test("a sidecar startup probe is rejected: provider 6.50 has no probes on worker pools", () => {
    expect(() =>
      build({
        sidecars: {
          agent: {
            image: "us-docker.pkg.dev/acme-ci/apps/agent:1",
            startupProbe: { tcpSocket: { port: 9000 } },
          },
        },
      }),
    ).toThrow(
      'CR_POOL_PROBE: [test/pool] sidecars.agent.startupProbe is "set"; google_cloud_run_v2_worker_pool in Terraform provider 6.50 has no probe fields',
    );
  });

  test("startAfter warns that the start order needs startup probes", () => {
    const { pool: p } = build({
      sidecars: { agent: { image: "us-docker.pkg.dev/acme-ci/apps/agent:1" } },
      startAfter: ["agent"],
    });
    expect(warnings(p).join("\n")).toContain("startAfter: Cloud Run honours a start order only");
  });

  test("a bad cpu/memory combination fails synth", () => {
    const { stack } = build({ cpu: 1, memory: "8Gi" });
    expect(() => synth(stack)).toThrow('CR_CPU_MEMORY: [test/pool] memory is "8Gi"');
  });
});
