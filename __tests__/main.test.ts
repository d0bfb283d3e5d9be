/**
 * The synth entry point end to end, as `npm run synth` runs it (a separate node process): a bad
 * environment fails with exit code 1 and a plain message naming the file, the construct path and
 * the key, never a stack trace; the output folder changes only when every stack succeeded.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const DEV = fs.readFileSync(path.join(ROOT, "environments", "dev.yaml"), "utf8");

/** dev.yaml with these lines as its `overrides:` (in place of its own). */
function devWith(...overrides: string[]): string {
  const at = DEV.indexOf("overrides:\n");
  const head = at >= 0 ? DEV.slice(0, at) : DEV;
  return `${head}overrides:\n${overrides.map((o) => `  ${o}\n`).join("")}`;
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A folder with environments/ holding `files`; synth writes to its out/. */
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "main-"));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, "environments"));
  for (const [name, text] of Object.entries(files))
    fs.writeFileSync(path.join(dir, "environments", name), text);
  return dir;
}

function run(dir: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENVIRONMENTS_DIR: path.join(dir, "environments"),
      CDKTF_OUTDIR: path.join(dir, "out"),
      CHECKPOINT_DISABLE: "1",
      // tsx keeps a cache in the temporary folder: this test's folder, removed after it.
      TMPDIR: dir,
      ...env,
    },
    encoding: "utf8",
  });
  return { ...result, out: path.join(dir, "out") };
}

function synth(files: Record<string, string>, env: Record<string, string> = {}) {
  return run(folder(files), env);
}

test("a valid environment synthesizes its stack and says so on stderr, stdout left empty", () => {
  const r = synth({ "dev.yaml": DEV });
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(`synthesized dev into ${path.join(r.out, "stacks")}`);
  expect(r.stdout).toBe("");
  expect(fs.existsSync(path.join(r.out, "stacks", "dev", "cdk.tf.json"))).toBe(true);
  expect(
    JSON.parse(fs.readFileSync(path.join(r.out, "manifest.json"), "utf8")).stacks,
  ).toHaveProperty("dev");
  // No staging folder is left beside the output.
  expect(fs.readdirSync(path.dirname(r.out)).filter((f) => f.includes("staging"))).toEqual([]);
});

test("under the cdktf CLI (CDKTF_CONTEXT_JSON set) success prints nothing, so no [ERROR] line", () => {
  const r = synth({ "dev.yaml": DEV }, { CDKTF_CONTEXT_JSON: "{}" });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("");
});

test("every bad environment file is reported in one run, without a stack trace", () => {
  const r = synth({
    "dev.yaml": DEV.replace("tier: dev", "tier: qa"),
    "qa.yaml": DEV.replace("region: us-central1", "region: 42"),
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(
    /dev\.yaml has 1 problem:\n {2}- tier: expected one of "dev", "staging", "prod"/,
  );
  expect(r.stderr).toMatch(/qa\.yaml has 1 problem:\n {2}- region: expected a string/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

test("a construct error an override caused names the file and the key path", () => {
  const r = synth({ "qa.yaml": devWith('api: { memory: "512MB" }') });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(
    /ENV_INVALID: .*environments\/qa\.yaml has 1 problem:\n {2}- overrides\.api\.memory: is "512MB"; .*\(CR_QUANTITY at qa\/api\)/,
  );
  expect(r.stderr).not.toMatch(/^\s+at /m);
});

test("a cross-prop error an override caused names the file and the key path", () => {
  const r = synth({ "dev.yaml": devWith('api: { cpu: "3" }') });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/- overrides\.api\.cpu: is 3; .*\(CR_CPU at dev\/api\)/);
  expect(r.stderr).not.toMatch(/skipValidation|^\s+at /m);
});

test("one run lists every problem of every file: bad files, construct and cross-prop errors", () => {
  const r = synth({
    "bad.yaml": DEV.replace("tier: dev", "tier: qa"),
    "dev.yaml": devWith('orders: { timeout: "2h" }', 'api: { memory: "512MB" }'),
    "qa.yaml": devWith('nightly-report: { taskTimeout: "200h" }').replace(
      "prefix: cloud-run/dev",
      "prefix: cloud-run/qa",
    ),
    "staging.yaml": devWith('api: { cpu: "3" }').replace(
      "prefix: cloud-run/dev",
      "prefix: cloud-run/staging",
    ),
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/bad\.yaml has 1 problem:\n {2}- tier: expected one of/);
  // Both workloads of dev are checked: one invalid workload does not hide the next.
  expect(r.stderr).toMatch(/dev\.yaml has 2 problems:/);
  expect(r.stderr).toContain('- overrides.orders.timeout: is "2h"');
  expect(r.stderr).toContain('- overrides.api.memory: is "512MB"');
  expect(r.stderr).toContain('- overrides.nightly-report.taskTimeout: is "200h"');
  expect(r.stderr).toContain("- overrides.api.cpu: is 3");
  expect(r.stderr).toMatch(/5 problems in all \(4 environment files\)\./);
});

describe("item 9: the output changes only when every stack succeeded", () => {
  test("a failed synth leaves the previous output as it was, and no staging folder", () => {
    const dir = folder({ "dev.yaml": DEV });
    expect(run(dir).status).toBe(0);
    const file = path.join(dir, "out", "stacks", "dev", "cdk.tf.json");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(path.join(dir, "environments", "dev.yaml"), devWith('api: { cpu: "3" }'));
    fs.writeFileSync(
      path.join(dir, "environments", "prod.yaml"),
      DEV.replace("prefix: cloud-run/dev", "prefix: cloud-run/prod"),
    );
    expect(run(dir).status).toBe(1);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    expect(fs.existsSync(path.join(dir, "out", "stacks", "prod"))).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes("staging"))).toEqual([]);
  });

  test("a stale cdk.tf from `cdktf synth --hcl` does not survive; Terraform's files do", () => {
    const dir = folder({ "dev.yaml": DEV });
    const stack = path.join(dir, "out", "stacks", "dev");
    fs.mkdirSync(path.join(stack, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(stack, "cdk.tf"), 'resource "x" "y" {}\n');
    fs.writeFileSync(path.join(stack, ".terraform.lock.hcl"), "# lock\n");
    fs.writeFileSync(path.join(stack, "terraform.dev.tfstate"), "{}\n");
    expect(run(dir).status).toBe(0);
    expect(fs.readdirSync(stack).sort()).toEqual([
      ".terraform",
      ".terraform.lock.hcl",
      "assets",
      "cdk.tf.json",
      "terraform.dev.tfstate",
    ]);
  });
});
