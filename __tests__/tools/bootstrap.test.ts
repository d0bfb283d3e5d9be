/** bootstrap: the state-bucket stacks' JSON, the grouping of environments by bucket, the CLI. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { bootstrap } from "../../tools/bootstrap";
import {
  StateBucketStack,
  planStateBuckets,
  StateBucketPlan,
} from "../../tools/private/bootstrap-stack";
import { env, only, synth, TfJson } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const PROD = env(
  "project: acme-prod\nregion: us-east4\ntier: prod\nstate: { bucket: acme-tfstate, prefix: run/prod }\n",
  "environments/prod.yaml",
);
const STAGING = env(
  "project: acme-stage\nregion: europe-west1\ntier: staging\nstate: { bucket: acme-tfstate, prefix: run/staging }\n",
  "environments/staging.yaml",
);
const DEV_LOCAL = env(
  "project: acme-dev\nregion: us-central1\ntier: dev\n",
  "environments/dev.yaml",
);
const OTHER = env(
  "project: acme-other\nregion: us-central1\ntier: staging\nstate: { bucket: other-tfstate }\n",
  "environments/other.yaml",
);

function stackJson(plan: StateBucketPlan, migrate = false): TfJson {
  const stack = new StateBucketStack(Testing.app(), plan, {
    backend: migrate ? { gcs: true } : { local: "/state/acme-tfstate.tfstate" },
  });
  return synth(stack);
}

const shared = () => planStateBuckets([PROD, STAGING]).buckets[0];
const bucket = (json: TfJson) => only(json, "google_storage_bucket");

describe("the state bucket stack", () => {
  test("creates the bucket named in state.bucket, in the owning project and region", () => {
    expect(bucket(stackJson(shared()))).toMatchObject({
      name: "acme-tfstate",
      project: "acme-prod",
      location: "us-east4",
      storage_class: "STANDARD",
    });
  });

  test("turns object versioning on, so earlier state versions can be restored", () => {
    expect(bucket(stackJson(shared())).versioning).toEqual({ enabled: true });
  });

  test("uses uniform bucket-level access and enforces public access prevention", () => {
    expect(bucket(stackJson(shared()))).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
    });
  });

  test("can never be destroyed by a plan: prevent_destroy, and force_destroy off", () => {
    const b = bucket(stackJson(shared()));
    expect(b.lifecycle).toEqual({ prevent_destroy: true });
    expect(b.force_destroy).toBe(false);
  });

  test("enables the Cloud Storage API first and never disables it on destroy", () => {
    const json = stackJson(shared());
    const api = only(json, "google_project_service");
    expect(api).toMatchObject({
      project: "acme-prod",
      service: "storage.googleapis.com",
      disable_on_destroy: false,
    });
    expect(bucket(json).depends_on).toEqual(["google_project_service.storage-api"]);
  });

  test("keeps its own state in a local file", () => {
    expect(stackJson(shared()).terraform?.backend).toEqual({
      local: { path: "/state/acme-tfstate.tfstate" },
    });
  });

  test("with --migrate, keeps its own state in the bucket under the prefix bootstrap", () => {
    expect(stackJson(shared(), true).terraform?.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: "bootstrap" },
    });
  });

  test("outputs the bucket and where each environment's state lives", () => {
    const out = stackJson(shared()).output as Record<string, { value: string }>;
    expect(out.bucket.value).toBe("${google_storage_bucket.state.name}");
    expect(out.prod_state.value).toBe("gs://acme-tfstate/run/prod");
    expect(out.staging_state.value).toBe("gs://acme-tfstate/run/staging");
  });

  test("has no other resources", () => {
    expect(Object.keys(stackJson(shared()).resource ?? {}).sort()).toEqual([
      "google_project_service",
      "google_storage_bucket",
    ]);
  });
});

describe("grouping environments by bucket", () => {
  test("one stack per bucket, named after it", () => {
    const { buckets } = planStateBuckets([PROD, STAGING, OTHER]);
    expect(buckets.map((b) => [b.bucket, b.stackName])).toEqual([
      ["acme-tfstate", "bootstrap-acme-tfstate"],
      ["other-tfstate", "bootstrap-other-tfstate"],
    ]);
  });

  test("environments sharing a bucket are listed with their prefixes", () => {
    expect(shared().environments).toEqual([
      { name: "prod", prefix: "run/prod" },
      { name: "staging", prefix: "run/staging" },
    ]);
  });

  test("a shared bucket lives in the highest tier's project and region, with a note", () => {
    const plan = planStateBuckets([STAGING, PROD]).buckets[0];
    expect([plan.project, plan.location]).toEqual(["acme-prod", "us-east4"]);
    expect(plan.notes[0]).toContain("it is created in acme-prod, the project of prod");
  });

  test("--project and --location choose where every bucket lives", () => {
    const plan = planStateBuckets([PROD, STAGING], { project: "acme-admin", location: "US" })
      .buckets[0];
    expect([plan.project, plan.location, plan.notes]).toEqual(["acme-admin", "US", []]);
  });

  test("refuses two environments with the same bucket and prefix, naming both files", () => {
    const clash = env(
      "project: acme-qa\nregion: us-east4\ntier: staging\nstate: { bucket: acme-tfstate, prefix: run/prod }\n",
      "environments/qa.yaml",
    );
    expect(() => planStateBuckets([PROD, clash])).toThrow(
      'environments/prod.yaml and environments/qa.yaml: share the state bucket acme-tfstate AND the prefix "run/prod"',
    );
  });

  test("refuses the prefix the bootstrap stack keeps for itself", () => {
    const own = env(
      "project: acme-qa\nregion: us-east4\ntier: staging\nstate: { bucket: acme-tfstate, prefix: bootstrap }\n",
      "environments/qa.yaml",
    );
    expect(() => planStateBuckets([own])).toThrow('state.prefix "bootstrap" is where');
  });

  test("an environment named without state: is refused, and skipped under --all", () => {
    expect(() => planStateBuckets([DEV_LOCAL])).toThrow(
      "environments/dev.yaml: has no state: (local state)",
    );
    expect(planStateBuckets([DEV_LOCAL, PROD], {}, false)).toMatchObject({
      skipped: ["dev"],
      buckets: [{ bucket: "acme-tfstate" }],
    });
  });
});

describe("npm run bootstrap", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-"));
    fs.mkdirSync(path.join(dir, "environments"));
    for (const [name, e] of [
      ["prod", PROD],
      ["staging", STAGING],
      ["other", OTHER],
    ] as const) {
      const state = `state: { bucket: ${e.state!.bucket}, prefix: ${e.state!.prefix} }`;
      fs.writeFileSync(
        path.join(dir, "environments", `${name}.yaml`),
        `project: ${e.project}\nregion: ${e.region}\ntier: ${e.tier}\n${state}\n`,
      );
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const options = (extra: object = {}) => ({
    dir: path.join(dir, "environments"),
    out: path.join(dir, "out"),
    stateDir: path.join(dir, "state"),
    ...extra,
  });

  test("--env takes every environment sharing that bucket, and only that bucket", () => {
    const result = bootstrap(options({ envs: ["staging"] }));
    expect(result.buckets.map((b) => b.environments.map((e) => e.name))).toEqual([
      ["prod", "staging"],
    ]);
  });

  test("writes each bucket's cdk.tf.json and prints init and apply for it", () => {
    const result = bootstrap(options({ all: true }));
    for (const name of ["bootstrap-acme-tfstate", "bootstrap-other-tfstate"]) {
      const stackDir = path.join(dir, "out", "stacks", name);
      expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(true);
      expect(result.text).toContain(`terraform -chdir=${stackDir} init\n`);
      expect(result.text).toContain(`terraform -chdir=${stackDir} apply\n`);
    }
  });

  test("--migrate prints how to push the local state into the bucket", () => {
    const result = bootstrap(options({ envs: ["prod"], migrate: true }));
    const stackDir = path.join(dir, "out", "stacks", "bootstrap-acme-tfstate");
    expect(result.text).toContain(
      `terraform -chdir=${stackDir} state push ${path.join(dir, "state", "acme-tfstate.tfstate")}`,
    );
  });

  const cli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "tools", "bootstrap.ts"), ...args],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      },
    );

  test("the CLI prints the commands on stdout, progress on stderr, and exits 0", () => {
    const run = cli(
      "--env",
      "prod",
      "--dir",
      path.join(dir, "environments"),
      "--out",
      path.join(dir, "out"),
      "--state-dir",
      path.join(dir, "state"),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# State bucket gs:\/\/acme-tfstate in project acme-prod/);
    expect(run.stderr).toContain("bootstrap: synthesized");
  });

  test("the CLI exits 64 without --env or --all, 0 with --help", () => {
    const bad = cli();
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain("--env <name> (repeatable) or --all");
    const help = cli("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Exit codes:");
  });

  test("the CLI exits 1 naming an environment without state", () => {
    fs.writeFileSync(
      path.join(dir, "environments", "dev.yaml"),
      "project: acme-dev\nregion: us-central1\ntier: dev\n",
    );
    const run = cli(
      "--env",
      "dev",
      "--dir",
      path.join(dir, "environments"),
      "--out",
      path.join(dir, "out"),
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("dev.yaml: has no state: (local state)");
  });
});
