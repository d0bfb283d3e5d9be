import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { loadEnvironments, parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { resources, synth, TfJson } from "../helpers";

const ENV_DIR = path.join(__dirname, "..", "..", "environments");
const WORKLOAD_TYPES = [
  "google_cloud_run_v2_service",
  "google_cloud_run_v2_job",
  "google_cloud_run_v2_worker_pool",
];

const shipped: Array<[string, TfJson]> = loadEnvironments(ENV_DIR).map((env) => [
  env.name,
  synth(new EnvironmentStack(Testing.app(), env)),
]);

function workloads(json: TfJson): Array<[string, Record<string, unknown>]> {
  return WORKLOAD_TYPES.flatMap((t) => Object.entries(resources(json, t)));
}

describe.each(shipped)("shipped environment %s", (_name, json) => {
  test("deploys the whole catalog", () => {
    const names = workloads(json)
      .map(([, r]) => r.name)
      .sort();
    expect(names).toEqual(["api", "docs", "nightly-report", "orders", "orders-worker"]);
    expect(
      Object.values(resources(json, "google_cloudfunctions2_function")).map((f) => f.name),
    ).toEqual(["hello-fn"]);
  });

  test("every google_project_service has disable_on_destroy = false", () => {
    const apis = Object.values(resources(json, "google_project_service"));
    expect(apis.length).toBeGreaterThan(0);
    for (const api of apis) expect(api.disable_on_destroy).toBe(false);
  });

  test("every depends_on entry is a plain address, as Terraform requires", () => {
    for (const byId of Object.values(json.resource ?? {})) {
      for (const r of Object.values(byId)) {
        for (const dep of (r.depends_on as string[] | undefined) ?? [])
          expect(dep).toMatch(/^[a-z0-9_]+\.[\w-]+$/);
      }
    }
  });

  test("every workload waits for the API enablement", () => {
    const wait = Object.keys(resources(json, "time_sleep"))[0];
    for (const [, r] of workloads(json)) expect(r.depends_on).toContain(`time_sleep.${wait}`);
  });

  test("every workload writes deletion_protection explicitly and runs as its own account", () => {
    for (const [, r] of workloads(json)) {
      expect(typeof r.deletion_protection).toBe("boolean");
      const template = r.template as Record<string, unknown>;
      const sa = (template.service_account ??
        (template.template as Record<string, unknown>)?.service_account) as string;
      expect(sa).toMatch(/^\$\{google_service_account\./);
    }
  });

  test("every image is pinned by digest", () => {
    for (const [, r] of workloads(json)) {
      const template = r.template as Record<string, unknown>;
      const containers = (template.containers ??
        (template.template as Record<string, unknown>).containers) as Array<{
        image: string;
      }>;
      for (const c of containers) expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    }
  });

  test("hello-fn is a CloudRunFunction built from functions/hello: a content-hashed upload", () => {
    const fn = Object.values(resources(json, "google_cloudfunctions2_function"))[0] as {
      build_config: { runtime: string; entry_point: string; source: unknown };
    };
    expect(fn.build_config).toMatchObject({ runtime: "nodejs22", entry_point: "hello" });
    const objects = Object.entries(resources(json, "google_storage_bucket_object"));
    expect(objects.map(([, o]) => o.name)).toEqual([
      expect.stringMatching(/^sources\/.*hello-fn.*-[a-f0-9]{32}\.zip$/),
    ]);
    expect(fn.build_config.source).toEqual({
      storage_source: {
        bucket: "${google_storage_bucket.RunSources.name}",
        object: `\${google_storage_bucket_object.${objects[0][0]}.name}`,
      },
    });
  });

  test("the docs image comes through the Docker Hub remote repository, never docker.io", () => {
    const docs = workloads(json).find(([, r]) => r.name === "docs")![1];
    const image = (
      (docs.template as Record<string, unknown>).containers as Array<{ image: string }>
    )[0].image;
    expect(image).toMatch(
      /^[a-z0-9-]+-docker\.pkg\.dev\/acme-run-[a-z]+\/docker-hub\/library\/nginx:1\.27\.3@sha256:/,
    );
  });

  // Issue 12 item 1: on a first apply docs must not be created before the repository it pulls from.
  test("docs waits for the docker-hub repository it pulls through", () => {
    const docs = workloads(json).find(([, r]) => r.name === "docs")![1];
    const [repo] = Object.entries(resources(json, "google_artifact_registry_repository")).find(
      ([, r]) => r.repository_id === "docker-hub",
    )!;
    expect(docs.depends_on).toContain(`google_artifact_registry_repository.${repo}`);
  });

  // Issue 12 item 2: the Cloud SQL socket needs the Admin API and cloudsql.client.
  test("orders' Cloud SQL socket enables sqladmin and grants orders-run cloudsql.client, waited for", () => {
    const [ordersKey, orders] = workloads(json).find(([, r]) => r.name === "orders")!;
    void ordersKey;
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("sqladmin.googleapis.com");
    const sa = (orders.template as Record<string, unknown>).service_account as string;
    const grants = Object.entries(resources(json, "google_project_iam_member")).filter(
      ([, r]) => r.role === "roles/cloudsql.client" && r.member === `serviceAccount:${sa}`,
    );
    expect(grants).toHaveLength(1);
    expect(orders.depends_on).toContain(`google_project_iam_member.${grants[0][0]}`);
  });

  // Issue 12 item 4: the URL is Cloud Run's, and the caller of an internal service has VPC egress.
  test("api reads ORDERS_URL from orders' uri attribute and routes all traffic through the VPC", () => {
    const [ordersKey] = workloads(json).find(([, r]) => r.name === "orders")!;
    const api = workloads(json).find(([, r]) => r.name === "api")![1];
    const template = api.template as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const env = template.containers[0].env as Array<{ name: string; value?: string }>;
    expect(env.find((e) => e.name === "ORDERS_URL")?.value).toBe(
      `\${google_cloud_run_v2_service.${ordersKey}.uri}`,
    );
    expect(template.vpc_access).toEqual({
      egress: "ALL_TRAFFIC",
      network_interfaces: [{ network: "default", subnetwork: "default" }],
    });
  });
});

describe("tiers", () => {
  const byName = Object.fromEntries(shipped);

  test("deletion protection is on in prod and off in dev", () => {
    for (const [, r] of workloads(byName.prod)) expect(r.deletion_protection).toBe(true);
    for (const [, r] of workloads(byName.dev)) expect(r.deletion_protection).toBe(false);
  });

  test("prod overrides reach the api service", () => {
    const api = workloads(byName.prod).find(([, r]) => r.name === "api")![1];
    const scaling = (api.template as Record<string, Record<string, unknown>>).scaling;
    expect(scaling).toMatchObject({ min_instance_count: 2, max_instance_count: 50 });
  });

  test("prod workloads use Binary Authorization's default policy", () => {
    for (const [, r] of workloads(byName.prod))
      expect(r.binary_authorization).toEqual({ use_default: true });
    for (const [, r] of workloads(byName.dev)) expect(r.binary_authorization).toBeUndefined();
  });
});

describe("catalog and environment file", () => {
  const base = parseEnvironment(
    fs.readFileSync(path.join(ENV_DIR, "dev.yaml"), "utf8"),
    "environments/dev.yaml",
  );

  function build(patch: Partial<typeof base>): () => void {
    return () => new EnvironmentStack(Testing.app(), { ...base, ...patch });
  }

  test("a missing image names the file and the key", () => {
    const images = { ...base.images };
    delete (images as Record<string, string>).orders;
    expect(build({ images })).toThrow(/environments\/dev\.yaml[\s\S]*- images\.orders: missing/);
  });

  test("an image for an unknown workload is an error, not ignored", () => {
    expect(
      build({
        images: { ...base.images, billing: "us-docker.pkg.dev/a/b/c@sha256:" + "0".repeat(64) },
      }),
    ).toThrow(
      /- images\.billing: no workload of the catalog uses an image "billing"; known: api, orders, otel-collector, nightly-report, orders-worker, docs/,
    );
  });

  test("an override for an unknown workload is an error", () => {
    expect(build({ overrides: { billing: { minInstances: 1 } } })).toThrow(
      /- overrides\.billing: the catalog has no workload "billing"/,
    );
  });

  test("an override key that does not apply to the workload's kind is an error", () => {
    expect(build({ overrides: { "orders-worker": { minInstances: 1 } } })).toThrow(
      /- overrides\.orders-worker\.minInstances: does not apply to the worker-pool "orders-worker"; keys for a worker-pool: enabled, cpu, memory, env, labels, deletionProtection, imageManagedBy, vpc, secrets, instances/,
    );
  });

  test("override env and labels merge with the catalog's", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), {
        ...base,
        overrides: { api: { env: { FEATURE_X: "on" } } },
      }),
    );
    const api = Object.values(resources(json, "google_cloud_run_v2_service")).find(
      (r) => r.name === "api",
    )!;
    const env = (
      (api.template as Record<string, unknown>).containers as Array<{
        env: Array<{ name: string }>;
      }>
    )[0].env;
    expect(env.map((e) => e.name)).toEqual(expect.arrayContaining(["LOG_LEVEL", "FEATURE_X"]));
  });
});
