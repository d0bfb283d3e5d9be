/**
 * Stack outputs for every workload (lib/core/outputs.ts): URL, service account and name, with
 * names derived from the Cloud Run name; and the same outputs in the shipped stacks, synthesized
 * by main.ts as `npm run synth` does.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformOutput } from "cdktf";
import { CloudRunJob, CloudRunService, WorkerPool } from "@cdktf-cloud-run/constructs";
import { plainStack, synth, TfJson } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
type Output = { value: string; description?: string };
const outputs = (json: TfJson) => (json.output ?? {}) as Record<string, Output>;

describe("workload outputs", () => {
  test("a service outputs its URL, service account email and name under <name>_*", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    const out = outputs(synth(stack));
    expect(Object.keys(out).sort()).toEqual(["api_name", "api_service_account", "api_url"]);
    expect(out.api_url.value).toMatch(/^\$\{google_cloud_run_v2_service\.api_\w+\.uri\}$/);
    expect(out.api_service_account.value).toMatch(/^\$\{google_service_account\.\w+\.email\}$/);
    expect(out.api_name.value).toMatch(/^\$\{google_cloud_run_v2_service\.api_\w+\.name\}$/);
  });

  test("jobs and worker pools output service account and name, no URL", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "report", { image: "us-docker.pkg.dev/cloudrun/container/job" });
    new WorkerPool(stack, "pool", { image: "us-docker.pkg.dev/cloudrun/container/worker-pool" });
    const out = outputs(synth(stack));
    expect(Object.keys(out).sort()).toEqual([
      "pool_name",
      "pool_service_account",
      "report_name",
      "report_service_account",
    ]);
    expect(out.report_name.value).toMatch(/^\$\{google_cloud_run_v2_job\.\w+\.name\}$/);
    expect(out.pool_name.value).toMatch(/^\$\{google_cloud_run_v2_worker_pool\.\w+\.name\}$/);
  });

  test("hyphens in the Cloud Run name become underscores", () => {
    const stack = plainStack();
    new CloudRunService(stack, "svc", { name: "orders-api", image: IMAGE });
    expect(Object.keys(outputs(synth(stack)))).toContain("orders_api_url");
  });

  test("a given service account is output as written", () => {
    const stack = plainStack();
    const email = "api@acme-test.iam.gserviceaccount.com";
    new CloudRunService(stack, "api", { image: IMAGE, serviceAccount: email });
    expect(outputs(synth(stack)).api_service_account.value).toBe(email);
  });

  test("each output has a description naming the workload", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    expect(outputs(synth(stack)).api_url.description).toBe("URL of the Cloud Run service api");
  });

  test("a second workload with the same name gets its kind in the output names, and a warning", () => {
    const stack = plainStack();
    new CloudRunService(stack, "report-svc", { name: "report", image: IMAGE });
    const job = new CloudRunJob(stack, "report", { image: IMAGE });
    const out = outputs(synth(stack));
    expect(out.report_url).toBeDefined();
    expect(out.report_job_name.value).toMatch(/google_cloud_run_v2_job/);
    expect(out.report_job_service_account).toBeDefined();
    const warnings = job.node.metadata.filter((m) => m.type === "@cdktf/warn");
    expect(warnings.map((w) => w.data)).toEqual([
      expect.stringContaining("outputs of this job are named report_job_*"),
    ]);
  });

  test("the same service in two regions: the second one's outputs are numbered after the kind", () => {
    const stack = plainStack();
    new CloudRunService(stack, "us", { name: "api", image: IMAGE });
    new CloudRunService(stack, "eu", { name: "api", image: IMAGE, region: "europe-west1" });
    new CloudRunService(stack, "asia", { name: "api", image: IMAGE, region: "asia-east1" });
    const names = Object.keys(outputs(synth(stack)));
    expect(names).toEqual(
      expect.arrayContaining(["api_url", "api_service_url", "api_service_2_url"]),
    );
  });

  test("an output the user created first keeps its name; the workload's move aside", () => {
    const stack = plainStack();
    new TerraformOutput(stack, "api_url", { value: "mine", staticId: true });
    new CloudRunService(stack, "api", { image: IMAGE });
    const out = outputs(synth(stack));
    expect(out.api_url.value).toBe("mine");
    expect(out.api_service_url.value).toMatch(/\.uri\}$/);
  });

  test("adding a workload never renames the outputs of one created before", () => {
    const one = plainStack();
    new CloudRunService(one, "api", { image: IMAGE });
    const two = plainStack();
    new CloudRunService(two, "api", { image: IMAGE });
    new CloudRunJob(two, "api-job", { name: "api", image: IMAGE });
    const before = outputs(synth(one));
    const after = outputs(synth(two));
    for (const name of Object.keys(before)) expect(after[name]).toEqual(before[name]);
  });

  test("no warning when every name is distinct", () => {
    const stack = plainStack();
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    synth(stack);
    expect(api.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });
});

describe("outputs in the shipped stacks (main.ts, environments/*.yaml)", () => {
  let dir: string;
  const stacks: Record<string, TfJson> = {};

  beforeAll(() => {
    const root = path.join(__dirname, "..", "..", "..");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "outputs-"));
    const run = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "main.ts")], {
      cwd: root,
      env: { ...process.env, CDKTF_OUTDIR: dir, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
    for (const name of fs.readdirSync(path.join(dir, "stacks"))) {
      const file = path.join(dir, "stacks", name, "cdk.tf.json");
      stacks[name] = JSON.parse(fs.readFileSync(file, "utf8")) as TfJson;
    }
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("every environment's stack was synthesized", () => {
    expect(Object.keys(stacks).sort()).toEqual(["dev", "prod", "staging"]);
  });

  test.each(["dev", "staging", "prod"])(
    "%s outputs the URL of every service and the account and name of every workload",
    (name) => {
      const out = outputs(stacks[name]);
      for (const service of ["api", "orders", "docs"]) {
        expect(out[`${service}_url`].value).toMatch(
          /^\$\{google_cloud_run_v2_service\.\S+\.uri\}$/,
        );
      }
      // hello-fn is a CloudRunFunction: its URL is the function resource's `url`.
      expect(out.hello_fn_url.value).toMatch(/^\$\{google_cloudfunctions2_function\.\S+\.url\}$/);
      expect(out.hello_fn_name.value).toMatch(/^\$\{google_cloudfunctions2_function\.\S+\.name\}$/);
      for (const workload of ["api", "orders", "docs", "nightly_report", "orders_worker"]) {
        expect(out[`${workload}_service_account`].value).toMatch(
          /^\$\{google_service_account\.\S+\.email\}$/,
        );
        expect(out[`${workload}_name`].value).toMatch(/^\$\{google_cloud_run_v2_\w+\.\S+\.name\}$/);
      }
      expect(out.hello_fn_service_account.value).toMatch(
        /^\$\{google_service_account\.\S+\.email\}$/,
      );
      expect(out.nightly_report_url).toBeUndefined();
      expect(out.orders_worker_url).toBeUndefined();
    },
  );
});
