/** CloudRunFunction: google_cloudfunctions2_function built by Terraform from a hashed upload. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { IConstruct } from "constructs";
import { Testing } from "cdktf";
import {
  CloudRunFunction,
  CloudRunFunctionProps,
  grantDeployers,
} from "@cdktf-cloud-run/constructs";
import { removeSourceArchives } from "../../../lib/function/zip";
import { checkRuntime } from "../../../lib/function/function-runtimes";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { env, only, plainStack, resources, synth, TfJson } from "../../helpers";

const FN = "google_cloudfunctions2_function";
const OBJECT = "google_storage_bucket_object";
const COMPUTE =
  "serviceAccount:${data.google_project.project.number}-compute@developer.gserviceaccount.com";

// Created when the file loads: describe bodies synthesize while jest collects the tests.
const root = fs.mkdtempSync(path.join(os.tmpdir(), "fn-test-"));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  removeSourceArchives();
});

let dirs = 0;
function sourceDir(files: Record<string, string> = { "index.js": "exports.hello = () => {};\n" }) {
  const dir = path.join(root, `src${dirs++}`);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const DIR = sourceDir();
const BASE = { source: { directory: DIR }, functionTarget: "hello", runtime: "nodejs22" };

function synthFn(props: Partial<CloudRunFunctionProps> = {}, id = "hello"): TfJson {
  const stack = plainStack({ project: "acme-dev" });
  new CloudRunFunction(stack, id, { ...BASE, ...props } as CloudRunFunctionProps);
  return synth(stack);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fn(json: TfJson): Json {
  return only(json, FN) as Json;
}

function idOf(json: TfJson, type: string): string {
  return Object.keys(resources(json, type))[0];
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

function warnings(c: IConstruct): string[] {
  return c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("CloudRunFunction: what a function synthesizes", () => {
  const json = synthFn();
  const f = fn(json);

  test("a google_cloudfunctions2_function named after the id, in the region", () => {
    expect(f).toMatchObject({ name: "hello", location: "us-central1" });
  });

  test("builds the uploaded object with the runtime and entry point", () => {
    const objectId = idOf(json, OBJECT);
    expect(f.build_config).toMatchObject({
      runtime: "nodejs22",
      entry_point: "hello",
      source: {
        storage_source: {
          bucket: "${google_storage_bucket.RunSources.name}",
          object: `\${google_storage_bucket_object.${objectId}.name}`,
        },
      },
    });
  });

  test("automatic base-image updates are on and written (automatic_update_policy {})", () => {
    expect(f.build_config.automatic_update_policy).toEqual({});
    expect(f.build_config.on_deploy_update_policy).toBeUndefined();
  });

  test("runs as a dedicated service account <name>-fn, never the Compute default", () => {
    const sa = only(json, "google_service_account");
    expect(sa.account_id).toBe("hello-fn");
    expect(f.service_config.service_account_email).toBe(
      `\${google_service_account.${idOf(json, "google_service_account")}.email}`,
    );
  });

  test("ingress ALLOW_ALL and all traffic on the latest revision, written", () => {
    expect(f.service_config).toMatchObject({
      ingress_settings: "ALLOW_ALL",
      all_traffic_on_latest_revision: true,
    });
  });

  test("leaves Google's defaults unwritten: memory, cpu, scaling, concurrency, timeout", () => {
    for (const key of [
      "available_memory",
      "available_cpu",
      "min_instance_count",
      "max_instance_count",
      "max_instance_request_concurrency",
      "timeout_seconds",
    ])
      expect(f.service_config[key]).toBeUndefined();
  });

  test("enables cloudfunctions, cloudbuild, artifactregistry, run, storage and waits for them", () => {
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toEqual(
      expect.arrayContaining([
        "cloudfunctions.googleapis.com",
        "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com",
        "run.googleapis.com",
        "storage.googleapis.com",
      ]),
    );
    for (const api of Object.values(resources(json, "google_project_service")))
      expect(api.disable_on_destroy).toBe(false);
    expect(f.depends_on).toContain(`time_sleep.${idOf(json, "time_sleep")}`);
  });

  test("no deletion protection outside prod: no lifecycle", () => {
    expect(f.lifecycle).toBeUndefined();
  });

  test("is not public by default: no invoker grant", () => {
    expect(resources(json, "google_cloud_run_v2_service_iam_member")).toEqual({});
  });
});

describe("CloudRunFunction: a function with secrets, VPC egress and min instances", () => {
  const json = synthFn({
    secrets: {
      DB_PASSWORD: { secret: "orders-db-password", version: "3" },
      API_KEY: { secret: "projects/acme-shared/secrets/api-key" },
    },
    env: { LOG_LEVEL: "debug" },
    vpcConnector: "run-connector",
    vpcEgress: "all-traffic",
    minInstances: 1,
    maxInstances: 5,
    memory: "1Gi",
    cpu: "1",
    concurrency: 10,
    timeout: "2m",
  });
  const sc = fn(json).service_config;

  test("secret_environment_variables with the project number, the secret id and the version", () => {
    expect(sc.secret_environment_variables).toEqual([
      {
        key: "DB_PASSWORD",
        project_id: "${data.google_project.project.number}",
        secret: "orders-db-password",
        version: "3",
      },
      {
        key: "API_KEY",
        project_id: "${data.google_project.project-acme-shared.number}",
        secret: "api-key",
        version: "latest",
      },
    ]);
  });

  test("the function identity gets secretAccessor on each secret, and the function waits", () => {
    const grants = Object.entries(resources(json, "google_secret_manager_secret_iam_member"));
    expect(grants.map(([, g]) => [g.secret_id, g.project, g.role])).toEqual([
      ["orders-db-password", undefined, "roles/secretmanager.secretAccessor"],
      ["api-key", "acme-shared", "roles/secretmanager.secretAccessor"],
    ]);
    for (const [id, g] of grants) {
      expect(g.member).toBe(
        `serviceAccount:\${google_service_account.${idOf(json, "google_service_account")}.email}`,
      );
      expect(fn(json).depends_on).toContain(`google_secret_manager_secret_iam_member.${id}`);
    }
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("secretmanager.googleapis.com");
  });

  test("VPC egress through the connector", () => {
    expect(sc).toMatchObject({
      vpc_connector: "run-connector",
      vpc_connector_egress_settings: "ALL_TRAFFIC",
    });
  });

  test("min and max instances, memory, cpu, concurrency, timeout in seconds, env", () => {
    expect(sc).toMatchObject({
      min_instance_count: 1,
      max_instance_count: 5,
      available_memory: "1Gi",
      available_cpu: "1",
      max_instance_request_concurrency: 10,
      timeout_seconds: 120,
      environment_variables: { LOG_LEVEL: "debug" },
    });
  });
});

describe("CloudRunFunction: invokers", () => {
  test("grantInvoke grants roles/run.invoker on the function's Cloud Run service", () => {
    const stack = plainStack();
    const f = new CloudRunFunction(stack, "hello", BASE);
    f.grantInvoke("group:qa@acme.example");
    const json = synth(stack);
    expect(only(json, "google_cloud_run_v2_service_iam_member")).toEqual({
      name: `\${google_cloudfunctions2_function.${idOf(json, FN)}.service_config[0].service}`,
      location: "us-central1",
      role: "roles/run.invoker",
      member: "group:qa@acme.example",
    });
  });

  test("granting the same member twice returns one resource", () => {
    const stack = plainStack();
    const f = new CloudRunFunction(stack, "hello", BASE);
    expect(f.grantInvoke("user:a@acme.example")).toBe(f.grantInvoke("user:a@acme.example"));
  });

  test("invokers are granted additively", () => {
    const json = synthFn({ invokers: ["user:a@acme.example", "user:b@acme.example"] });
    const members = Object.values(resources(json, "google_cloud_run_v2_service_iam_member")).map(
      (m) => m.member,
    );
    expect(members).toEqual(["user:a@acme.example", "user:b@acme.example"]);
  });

  test("allowUnauthenticated grants allUsers on the service (the resource has no invoker_iam_disabled)", () => {
    const json = synthFn({ allowUnauthenticated: true });
    expect(only(json, "google_cloud_run_v2_service_iam_member")).toMatchObject({
      member: "allUsers",
      role: "roles/run.invoker",
    });
  });

  test("is an IamBinding target: the function's Cloud Run service", () => {
    const stack = plainStack();
    const f = new CloudRunFunction(stack, "hello", BASE);
    expect([f.iamTarget.kind, f.iamTarget.key, f.iamTarget.location]).toEqual([
      "service",
      "test/hello",
      "us-central1",
    ]);
  });
});

describe("CloudRunFunction: the build identity", () => {
  const json = synthFn();
  const f = fn(json);

  test("build_config.service_account is the Compute Engine default account, written as a path", () => {
    expect(f.build_config.service_account).toBe(
      "projects/acme-dev/serviceAccounts/${data.google_project.project.number}-compute@developer.gserviceaccount.com",
    );
  });

  test("gets run.builder, logging.logWriter and artifactregistry.writer on the project", () => {
    const roles = Object.values(resources(json, "google_project_iam_member"))
      .filter((g) => g.member === COMPUTE)
      .map((g) => [g.project, g.role])
      .sort();
    expect(roles).toEqual([
      ["acme-dev", "roles/artifactregistry.writer"],
      ["acme-dev", "roles/logging.logWriter"],
      ["acme-dev", "roles/run.builder"],
    ]);
  });

  test("gets storage.objectViewer on the source bucket only", () => {
    expect(only(json, "google_storage_bucket_iam_member")).toEqual({
      bucket: "${google_storage_bucket.RunSources.name}",
      role: "roles/storage.objectViewer",
      member: COMPUTE,
    });
  });

  test("the function waits for every build grant", () => {
    for (const type of ["google_project_iam_member", "google_storage_bucket_iam_member"])
      for (const id of Object.keys(resources(json, type)))
        expect(f.depends_on).toContain(`${type}.${id}`);
  });

  test("buildServiceAccount builds the function and is the one granted", () => {
    const j = synthFn({ buildServiceAccount: "builder@acme-ci.iam.gserviceaccount.com" });
    expect(fn(j).build_config.service_account).toBe(
      "projects/acme-ci/serviceAccounts/builder@acme-ci.iam.gserviceaccount.com",
    );
    const members = new Set(
      Object.values(resources(j, "google_project_iam_member")).map((g) => g.member),
    );
    expect([...members]).toEqual(["serviceAccount:builder@acme-ci.iam.gserviceaccount.com"]);
  });

  test("two functions share the grants of one build identity", () => {
    const stack = plainStack();
    new CloudRunFunction(stack, "a", BASE);
    new CloudRunFunction(stack, "b", {
      ...BASE,
      source: { directory: sourceDir({ "b.js": "b" }) },
    });
    const json = synth(stack);
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(3);
    expect(Object.keys(resources(json, "google_storage_bucket_iam_member"))).toHaveLength(1);
  });
});

describe("CloudRunFunction in an environment: build.grantRunBuilder decides", () => {
  function envStack(build: string) {
    const stack = new EnvironmentStack(
      Testing.app(),
      env(`project: acme-dev\nregion: us-central1\ntier: dev\n${build}`),
      { catalog: false },
    );
    const f = new CloudRunFunction(stack, "hello", BASE);
    return { json: synth(stack), f };
  }

  test("grantRunBuilder: true grants the build roles", () => {
    const { json } = envStack("build: { grantRunBuilder: true }\n");
    const roles = Object.values(resources(json, "google_project_iam_member")).map((g) => g.role);
    expect(roles).toEqual(expect.arrayContaining(["roles/run.builder", "roles/logging.logWriter"]));
  });

  test("the function's run.builder grant is the environment's own, written once", () => {
    const { json } = envStack("build: { grantRunBuilder: true }\n");
    const builders = Object.values(resources(json, "google_project_iam_member")).filter(
      (g) => g.role === "roles/run.builder",
    );
    expect(builders).toHaveLength(1);
  });

  test("deployers may act as the function's identity (iam.serviceAccountUser on it)", () => {
    const stack = plainStack();
    new CloudRunFunction(stack, "hello", BASE);
    grantDeployers(stack, ["group:platform@acme.example"]);
    const json = synth(stack);
    const sa = Object.keys(resources(json, "google_service_account"))[0];
    const actAs = Object.values(resources(json, "google_service_account_iam_member")).filter(
      (g) =>
        g.service_account_id ===
        `projects/-/serviceAccounts/\${google_service_account.${sa}.email}`,
    );
    expect(actAs.map((g) => [g.role, g.member])).toEqual([
      ["roles/iam.serviceAccountUser", "group:platform@acme.example"],
    ]);
  });

  test("grantRunBuilder: false writes no run.builder grant and no other build grant", () => {
    const { json, f } = envStack("build: { grantRunBuilder: false }\n");
    const roles = Object.values(resources(json, "google_project_iam_member")).map((g) => g.role);
    expect(roles).not.toContain("roles/run.builder");
    expect(roles).not.toContain("roles/logging.logWriter");
    expect(roles).not.toContain("roles/artifactregistry.writer");
    expect(resources(json, "google_storage_bucket_iam_member")).toEqual({});
    expect(f.buildGrants).toEqual([]);
  });

  test("grantRunBuilder: false warns, naming build.grantRunBuilder and the roles needed", () => {
    const { f } = envStack("build: { grantRunBuilder: false }\n");
    expect(warnings(f)).toEqual([
      expect.stringMatching(
        /^\[test\/hello\] the environment's build\.grantRunBuilder is false.*roles\/run\.builder, roles\/logging\.logWriter, roles\/artifactregistry\.writer.*roles\/storage\.objectViewer/,
      ),
    ]);
    expect(warnings(f)[0]).toContain(
      "build identity serviceAccount:${data.google_project.project.number}-compute@developer.gserviceaccount.com.",
    );
  });

  test("the environment's build.serviceAccount is the build identity", () => {
    const { json } = envStack(
      "build: { grantRunBuilder: true, serviceAccount: builder@acme-dev.iam.gserviceaccount.com }\n",
    );
    expect(fn(json).build_config.service_account).toBe(
      "projects/acme-dev/serviceAccounts/builder@acme-dev.iam.gserviceaccount.com",
    );
  });

  test("prod tier: deletion protection as lifecycle.prevent_destroy", () => {
    const stack = new EnvironmentStack(
      Testing.app(),
      env("project: acme-prod\nregion: us-central1\ntier: prod\nstate: { bucket: acme-tfstate }\n"),
      { catalog: false },
    );
    new CloudRunFunction(stack, "hello", BASE);
    expect(fn(synth(stack)).lifecycle).toEqual({ prevent_destroy: true });
  });
});

describe("CloudRunFunction: a changed source rebuilds, an unchanged one never does", () => {
  function objectName(dir: string): { name: string; json: TfJson } {
    const json = synthFn({ source: { directory: dir } });
    return { name: only(json, OBJECT).name as string, json };
  }

  test("two synths of two different sources give two object names", () => {
    const a = sourceDir({ "index.js": "exports.hello = () => 1;\n" });
    const b = sourceDir({ "index.js": "exports.hello = () => 2;\n" });
    expect(objectName(a).name).not.toBe(objectName(b).name);
  });

  test("a changed file gives a new object, and the function changes only through its reference", () => {
    const dir = sourceDir({ "index.js": "v1" });
    const before = objectName(dir);
    fs.writeFileSync(path.join(dir, "index.js"), "v2");
    const after = objectName(dir);
    expect(after.name).not.toBe(before.name);
    expect(fn(after.json)).toEqual(fn(before.json));
  });

  test("the same source synthesized twice gives the same object name", () => {
    const dir = sourceDir({ "index.js": "same" });
    expect(objectName(dir).name).toBe(objectName(dir).name);
  });

  test("the same content in another folder gives the same name", () => {
    const a = sourceDir({ "index.js": "twin", "lib/x.js": "x" });
    const b = sourceDir({ "index.js": "twin", "lib/x.js": "x" });
    expect(objectName(a).name).toBe(objectName(b).name);
  });
});

describe("CloudRunFunction: options", () => {
  test("an archive is built as it is, with nothing uploaded", () => {
    const json = synthFn({ source: { archive: "gs://acme-sources/hello.zip" } });
    expect(fn(json).build_config.source).toEqual({
      storage_source: { bucket: "acme-sources", object: "hello.zip" },
    });
    expect(resources(json, OBJECT)).toEqual({});
    expect(resources(json, "google_storage_bucket_iam_member")).toEqual({});
  });

  test("automaticUpdates false patches on deploy only (on_deploy_update_policy {})", () => {
    const bc = fn(synthFn({ automaticUpdates: false })).build_config;
    expect(bc.on_deploy_update_policy).toEqual({});
    expect(bc.automatic_update_policy).toBeUndefined();
  });

  test("ingress internal maps to ALLOW_INTERNAL_ONLY", () => {
    expect(fn(synthFn({ ingress: "internal" })).service_config.ingress_settings).toBe(
      "ALLOW_INTERNAL_ONLY",
    );
  });

  test("a given serviceAccount is used and no account is created", () => {
    const json = synthFn({ serviceAccount: "fn@acme-dev.iam.gserviceaccount.com" });
    expect(fn(json).service_config.service_account_email).toBe(
      "fn@acme-dev.iam.gserviceaccount.com",
    );
    expect(resources(json, "google_service_account")).toEqual({});
  });

  test("deletionProtection true writes lifecycle.prevent_destroy", () => {
    expect(fn(synthFn({ deletionProtection: true })).lifecycle).toEqual({ prevent_destroy: true });
  });

  test("buildEnv, labels and description", () => {
    const f = fn(
      synthFn({
        buildEnv: { GOOGLE_NODE_RUN_SCRIPTS: "" },
        labels: { team: "web" },
        description: "says hello",
      }),
    );
    expect(f.build_config.environment_variables).toEqual({ GOOGLE_NODE_RUN_SCRIPTS: "" });
    expect(f.labels).toEqual({ team: "web" });
    expect(f.description).toBe("says hello");
  });
});

describe("CloudRunFunction: validation", () => {
  const fail = (props: Partial<CloudRunFunctionProps>) => errorOf(() => synthFn(props));

  test("an unknown runtime fails with the deployable list and its source", () => {
    expect(fail({ runtime: "node22" })).toMatch(
      /CR_FUNCTION_RUNTIME: \[test\/hello\] runtime is "node22"; a runtime is a Cloud Run functions runtime id.*deployable: .*nodejs22.*source: https:\/\/cloud\.google\.com\/run\/docs\/runtimes\/function-runtimes/,
    );
  });

  test("a decommissioned runtime fails", () => {
    expect(fail({ runtime: "nodejs10" })).toContain(
      'runtime is "nodejs10"; nodejs10 was decommissioned on 2025-01-30',
    );
  });

  test("a source with neither directory nor archive fails", () => {
    expect(fail({ source: {} })).toContain("CR_FUNCTION_SOURCE: [test/hello] source is {}");
  });

  test("a source with both fails", () => {
    expect(fail({ source: { directory: DIR, archive: "gs://a/b.zip" } })).toContain(
      "CR_FUNCTION_SOURCE",
    );
  });

  test("an archive that is not gs:// fails", () => {
    expect(fail({ source: { archive: "https://x/y.zip" } })).toContain(
      'CR_FUNCTION_SOURCE: [test/hello] source.archive is "https://x/y.zip"',
    );
  });

  test("a directory that does not exist fails with the path", () => {
    expect(fail({ source: { directory: path.join(root, "nope") } })).toContain(
      "CR_SOURCE_DIRECTORY: [test/hello] source.directory is",
    );
  });

  test("a functionTarget that is not an identifier fails", () => {
    expect(fail({ functionTarget: "say hello" })).toContain(
      'CR_FUNCTION_TARGET: [test/hello] functionTarget is "say hello"',
    );
  });

  test("reserved env names fail (FUNCTION_TARGET, PORT, K_SERVICE)", () => {
    const message = fail({ env: { FUNCTION_TARGET: "x", PORT: "1", K_SERVICE: "y" } });
    expect(message).toContain("CR_ENV_RESERVED: [test/hello] env.FUNCTION_TARGET is");
    expect(message).toContain("CR_ENV_RESERVED: [test/hello] env.PORT is");
    expect(message).toContain("CR_ENV_RESERVED: [test/hello] env.K_SERVICE is");
  });

  test("a malformed secret reference fails", () => {
    expect(fail({ secrets: { A: { secret: "bad/name" } } })).toContain(
      'CR_SECRET_REF: [test/hello] secrets.A.secret is "bad/name"',
    );
  });

  test("vpcEgress without a connector fails", () => {
    expect(fail({ vpcEgress: "all-traffic" })).toContain(
      'CR_FUNCTION_VPC: [test/hello] vpcEgress is "all-traffic"',
    );
  });

  test("a timeout above an hour fails", () => {
    expect(fail({ timeout: "2h" })).toContain('CR_FUNCTION_TIMEOUT: [test/hello] timeout is "2h"');
  });

  test("concurrency above 1 with less than 1 CPU fails at synth", () => {
    expect(fail({ concurrency: 5, cpu: "0.5" })).toContain(
      "CR_FUNCTION_CONCURRENCY: [test/hello] concurrency is 5; more than one concurrent request needs at least 1 CPU",
    );
  });

  test("minInstances above maxInstances fails at synth", () => {
    expect(fail({ minInstances: 3, maxInstances: 2 })).toContain(
      "CR_FUNCTION_INSTANCES: [test/hello] minInstances is 3",
    );
  });

  test("an unknown prop fails rather than being ignored", () => {
    expect(fail({ image: "x" } as Partial<CloudRunFunctionProps>)).toContain(
      'CR_UNKNOWN_PROP: [test/hello] image is "x"',
    );
  });

  test("a bad name fails", () => {
    expect(fail({ name: "Hello_World" })).toContain('CR_NAME: [test/hello] name is "Hello_World"');
  });
});

describe("the runtime list", () => {
  test("a GA runtime is accepted without a warning", () => {
    expect(checkRuntime("nodejs22", "2026-11-27")).toEqual({ ok: true });
  });

  test("a deprecated runtime is accepted with a warning", () => {
    const v = checkRuntime("nodejs22", "2027-05-01");
    expect(v).toEqual({
      ok: true,
      warning: expect.stringContaining("deprecated since 2027-04-30"),
    });
  });

  test("a decommissioned runtime is refused", () => {
    expect(checkRuntime("nodejs20", "2026-11-27")).toEqual({
      ok: false,
      why: expect.stringContaining("decommissioned on 2026-10-30"),
    });
  });

  test("a newer version than the list knows is accepted with a warning", () => {
    expect(checkRuntime("python399", "2026-11-27")).toEqual({
      ok: true,
      warning: expect.stringContaining("newer than the runtimes this library knows"),
    });
  });

  test("an unknown older version is refused", () => {
    expect(checkRuntime("nodejs19", "2026-11-27").ok).toBe(false);
  });
});
