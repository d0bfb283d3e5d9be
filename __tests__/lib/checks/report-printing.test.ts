/**
 * When the checks print their report: always for a real synth, never by default under Jest (tests
 * read `Checks.report`, so the test output stays clean), and as `printReport` says when it is set.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { Checks } from "../../../lib/checks";
import { checkedStack, service } from "./helpers";

const ROOT = path.join(__dirname, "..", "..", "..");

/** One warning: a Docker Hub image (by digest, so no digest finding). */
function stackWithOneWarning(): TerraformStack {
  const stack = checkedStack({ tier: "dev" });
  service(stack, "web", {
    template: {
      serviceAccount: "web@acme-test.iam.gserviceaccount.com",
      containers: [{ image: `nginx@sha256:${"b2".repeat(32)}` }],
    },
  });
  return stack;
}

/** What a synth of `stack` writes to stderr. */
function printedBySynth(stack: TerraformStack): string {
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    Testing.synth(stack, true);
    return spy.mock.calls.map((c) => String(c[0])).join("");
  } finally {
    spy.mockRestore();
  }
}

/** Runs `fn` as outside Jest: without JEST_WORKER_ID. */
function outsideJest<T>(fn: () => T): T {
  const saved = process.env.JEST_WORKER_ID;
  delete process.env.JEST_WORKER_ID;
  try {
    return fn();
  } finally {
    process.env.JEST_WORKER_ID = saved;
  }
}

describe("the printed checks report", () => {
  test("is not printed under Jest by default", () => {
    expect(process.env.JEST_WORKER_ID).toBeDefined();
    expect(printedBySynth(stackWithOneWarning())).toBe("");
  });

  test("keeps its findings in Checks.report when it is not printed", () => {
    const stack = stackWithOneWarning();
    printedBySynth(stack);
    expect(Checks.report(stack).warnings.map((f) => f.ruleId)).toEqual(["CHECK_IMAGE_REGISTRY"]);
  });

  test("is printed under Jest with printReport: true", () => {
    const stack = stackWithOneWarning();
    Checks.apply(stack, { printReport: true });
    expect(printedBySynth(stack)).toContain("Checks of stack test: 1 warning");
  });

  test("is printed outside Jest by default", () => {
    const out = outsideJest(() => printedBySynth(stackWithOneWarning()));
    expect(out).toContain("Checks of stack test: 1 warning, 0 suppressed findings");
    expect(out).toContain("warning [test/web] CHECK_IMAGE_REGISTRY: ");
  });

  test("is not printed outside Jest with printReport: false", () => {
    const stack = stackWithOneWarning();
    Checks.apply(stack, { printReport: false });
    expect(outsideJest(() => printedBySynth(stack))).toBe("");
  });

  test("is printed by npm run synth (main.ts in its own process, JEST_WORKER_ID unset)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-printing-"));
    try {
      const envs = path.join(dir, "environments");
      fs.mkdirSync(envs);
      // allowPublic: false makes every service with ingress "all" a CHECK_INGRESS_ALL warning.
      const dev = fs
        .readFileSync(path.join(ROOT, "environments", "dev.yaml"), "utf8")
        .replace(/^allowPublic: true$/m, "allowPublic: false");
      expect(dev).toContain("allowPublic: false");
      fs.writeFileSync(path.join(envs, "dev.yaml"), dev);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ENVIRONMENTS_DIR: envs,
        CDKTF_OUTDIR: path.join(dir, "out"),
        CHECKPOINT_DISABLE: "1",
      };
      delete env.JEST_WORKER_ID;
      const run = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "main.ts")], {
        cwd: ROOT,
        env,
        encoding: "utf8",
      });
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/^Checks of stack dev: \d+ warnings?/m);
      expect(run.stderr).toContain("CHECK_INGRESS_ALL");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
