/**
 * The synth entry point end to end, as `npm run synth` runs it (a separate node process): a bad
 * environment fails with exit code 1 and a plain message naming the file, the construct path and
 * the key, never a stack trace.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const DEV = fs.readFileSync(path.join(ROOT, "environments", "dev.yaml"), "utf8");

function synth(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "main-"));
  const envs = path.join(dir, "environments");
  fs.mkdirSync(envs);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(envs, name), text);
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENVIRONMENTS_DIR: envs,
      CDKTF_OUTDIR: path.join(dir, "out"),
      CHECKPOINT_DISABLE: "1",
    },
    encoding: "utf8",
  });
  return { ...run, out: path.join(dir, "out") };
}

test("a valid environment synthesizes its stack and says so", () => {
  const run = synth({ "dev.yaml": DEV });
  expect(run.status).toBe(0);
  expect(run.stderr).toContain("synthesized dev into");
  expect(fs.existsSync(path.join(run.out, "stacks", "dev", "cdk.tf.json"))).toBe(true);
});

test("every bad environment file is reported in one run, without a stack trace", () => {
  const run = synth({
    "dev.yaml": DEV.replace("tier: dev", "tier: qa"),
    "qa.yaml": DEV.replace("region: us-central1", "region: 42"),
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(
    /dev\.yaml has 1 problem:\n {2}- tier: expected one of "dev", "staging", "prod"/,
  );
  expect(run.stderr).toMatch(/qa\.yaml has 1 problem:\n {2}- region: expected a string/);
  expect(run.stderr).not.toMatch(/^\s+at /m);
});

test("every misconfigured environment is reported in one run", () => {
  const timeout = 'overrides:\n  orders: { timeout: "2h" }\nimages:';
  const run = synth({
    "dev.yaml": DEV.replace("images:", timeout),
    "qa.yaml": DEV.replace(
      "images:",
      'overrides:\n  nightly-report: { taskTimeout: "200h" }\nimages:',
    ),
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('CR_SERVICE_TIMEOUT: [dev/orders] timeout is "2h"');
  expect(run.stderr).toContain('CR_JOB_TASK_TIMEOUT: [qa/nightly-report] taskTimeout is "200h"');
});

test("a construct error names the construct path, the prop and the value, without a stack trace", () => {
  const run = synth({
    "dev.yaml": DEV.replace("images:", 'overrides:\n  orders: { timeout: "2h" }\nimages:'),
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('CR_SERVICE_TIMEOUT: [dev/orders] timeout is "2h"');
  expect(run.stderr).not.toMatch(/^\s+at /m);
});

test("a cross-prop error fails synth with one counted list", () => {
  const run = synth({
    "dev.yaml": DEV.replace("images:", 'overrides:\n  api: { cpu: "3" }\nimages:'),
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(
    /1 configuration problem found at synth:\n {2}- CR_CPU: \[dev\/api\] cpu is 3;/,
  );
  expect(run.stderr).not.toMatch(/skipValidation|^\s+at /m);
});
