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
    expect(names).toEqual(["api", "docs", "hello-fn", "nightly-report", "orders", "orders-worker"]);
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

  test("every image is pinned by digest (the source-built service's image is Cloud Build's)", () => {
    for (const [, r] of workloads(json).filter(([, w]) => !w.build_config)) {
      const template = r.template as Record<string, unknown>;
      const containers = (template.containers ??
        (template.template as Record<string, unknown>).containers) as Array<{
        image: string;
      }>;
      for (const c of containers) expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    }
  });

  test("hello-fn is deployed from source: a content-hashed archive and a build config", () => {
    const fn = workloads(json).find(([, r]) => r.name === "hello-fn")![1];
    expect(fn.build_config).toMatchObject({
      function_target: "hello",
      enable_automatic_updates: true,
    });
    const objects = Object.values(resources(json, "google_storage_bucket_object"));
    expect(objects.map((o) => o.name)).toEqual([
      expect.stringMatching(/^sources\/.*hello-fn.*-[a-f0-9]{8,}\.zip$/),
    ]);
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
