/**
 * Environment files that say everything per environment (issue 16 item 4): overrides for
 * ingress, allowUnauthenticated, imageManagedBy, vpc, secret versions, and `enabled: false`.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { resources, synth, TfJson } from "../helpers";

/** Testing.app() makes an outdir in the temporary folder for each app: removed after the tests. */
const outdirs: string[] = [];
function app() {
  const a = Testing.app();
  outdirs.push(a.outdir);
  return a;
}
afterAll(() => {
  for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
});

const ENV_DIR = path.join(__dirname, "..", "..", "environments");
const DEV = fs.readFileSync(path.join(ENV_DIR, "dev.yaml"), "utf8");

/** dev.yaml with these lines as its `overrides:` (in place of its own). */
function devWith(...overrides: string[]): string {
  const at = DEV.indexOf("overrides:\n");
  const head = at >= 0 ? DEV.slice(0, at) : DEV;
  return `${head}overrides:\n${overrides.map((o) => `  ${o}\n`).join("")}`;
}

/** The dev stack with these lines as its `overrides:`. */
function devStack(...overrides: string[]): TfJson {
  return synth(
    new EnvironmentStack(app(), parseEnvironment(devWith(...overrides), "environments/dev.yaml")),
  );
}

function build(...overrides: string[]): () => void {
  return () => devStack(...overrides);
}

type R = Record<string, unknown>;
function workload(json: TfJson, name: string): R {
  for (const t of [
    "google_cloud_run_v2_service",
    "google_cloud_run_v2_job",
    "google_cloud_run_v2_worker_pool",
  ]) {
    const found = Object.values(resources(json, t)).find((r) => r.name === name);
    if (found) return found;
  }
  throw new Error(`no workload ${name}`);
}

function secretVersion(r: R): unknown {
  const template = r.template as R;
  const containers = (template.containers ?? (template.template as R).containers) as Array<{
    env?: Array<{ name: string; value_source?: { secret_key_ref: { version: string } } }>;
  }>;
  const env = containers.flatMap((c) => c.env ?? []).find((e) => e.name === "DB_PASSWORD");
  return env?.value_source?.secret_key_ref.version;
}

const shipped = Object.fromEntries(
  ["dev", "prod"].map((name) => {
    const file = path.join(ENV_DIR, `${name}.yaml`);
    return [
      name,
      synth(
        new EnvironmentStack(
          app(),
          parseEnvironment(fs.readFileSync(file, "utf8"), `environments/${name}.yaml`),
        ),
      ),
    ];
  }),
);

describe("secret versions come from the environment file", () => {
  test('prod pins DB_PASSWORD to version "3" in orders and nightly-report', () => {
    expect(secretVersion(workload(shipped.prod, "orders"))).toBe("3");
    expect(secretVersion(workload(shipped.prod, "nightly-report"))).toBe("3");
  });

  test("without an override the version is latest (dev)", () => {
    expect(secretVersion(workload(shipped.dev, "orders"))).toBe("latest");
  });

  test("a number is accepted and written as a string", () => {
    const json = devStack("orders: { secrets: { DB_PASSWORD: { version: 7 } } }");
    expect(secretVersion(workload(json, "orders"))).toBe("7");
  });

  test("a secret the catalog does not define for the workload is an error naming file and key", () => {
    expect(build("api: { secrets: { API_KEY: { version: '2' } } }")).toThrow(
      /environments\/dev\.yaml[\s\S]*- overrides\.api\.secrets\.API_KEY: "api" has no secret environment variable "API_KEY"; it has no secrets/,
    );
  });

  test("an invalid version is refused by the schema", () => {
    expect(() =>
      parseEnvironment(
        devWith(`docs: { secrets: { X: { version: "3 4" } } }`),
        "environments/dev.yaml",
      ),
    ).toThrow(/- overrides\.docs\.secrets\.X\.version: /);
  });
});

describe("service overrides", () => {
  test("ingress reaches the service", () => {
    expect(workload(devStack("api: { ingress: internal }"), "api").ingress).toBe(
      "INGRESS_TRAFFIC_INTERNAL_ONLY",
    );
  });

  test("allowUnauthenticated: false keeps a public-by-default service private", () => {
    expect(workload(shipped.dev, "api").invoker_iam_disabled).toBe(true);
    expect(
      workload(devStack("api: { allowUnauthenticated: false }"), "api").invoker_iam_disabled,
    ).toBe(false);
  });

  test("ingress on a job is an error naming the key", () => {
    expect(build("nightly-report: { ingress: internal }")).toThrow(
      /- overrides\.nightly-report\.ingress: does not apply to the job "nightly-report"/,
    );
  });
});

describe("overrides for every kind", () => {
  test("imageManagedBy: external makes Terraform ignore the image", () => {
    const lifecycle = workload(devStack("api: { imageManagedBy: external }"), "api").lifecycle as R;
    expect(lifecycle.ignore_changes).toContain("template[0].containers[0].image");
  });

  test("vpc reaches the worker pool's template", () => {
    const pool = workload(
      devStack("orders-worker: { vpc: { network: default, egress: all-traffic } }"),
      "orders-worker",
    );
    expect((pool.template as R).vpc_access).toEqual({
      egress: "ALL_TRAFFIC",
      network_interfaces: [{ network: "default" }],
    });
  });
});

describe("enabled: false leaves a workload out", () => {
  test("the workload and what depends on it are not synthesized; the others are", () => {
    const json = devStack("api: { enabled: false }");
    expect(
      Object.values(resources(json, "google_cloud_run_v2_service"))
        .map((r) => r.name)
        .sort(),
    ).toEqual(["docs", "orders"]);
    expect(
      Object.values(resources(json, "google_cloudfunctions2_function")).map((r) => r.name),
    ).toEqual(["hello-fn"]);
    // api → orders invoke grant is gone with api (what is left: hello-fn's public invoker).
    expect(
      Object.values(resources(json, "google_cloud_run_v2_service_iam_member")).map((r) => r.member),
    ).toEqual(["allUsers"]);
  });

  test("a disabled workload needs no image", () => {
    const text = devWith("orders-worker: { enabled: false }").replace(
      /^ {2}orders-worker: us-.*\n/m,
      "",
    );
    const json = synth(
      new EnvironmentStack(app(), parseEnvironment(text, "environments/dev.yaml")),
    );
    expect(resources(json, "google_cloud_run_v2_worker_pool")).toEqual({});
  });

  test("an enabled workload without image is still an error", () => {
    const text = DEV.replace(/^ {2}orders-worker: .*\n/m, "");
    expect(
      () => new EnvironmentStack(app(), parseEnvironment(text, "environments/dev.yaml")),
    ).toThrow(
      /- images\.orders-worker: missing; .*or set overrides\.orders-worker\.enabled: false/,
    );
  });
});

describe("every workload is checked, not only the first invalid one", () => {
  test("two invalid workloads of one environment are both reported", () => {
    let message = "";
    try {
      devStack('api: { memory: "512MB" }', 'docs: { memory: "1GB" }');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('[dev/api] memory is "512MB"');
    expect(message).toContain('[dev/docs] memory is "1GB"');
  });
});
