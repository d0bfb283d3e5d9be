/** plan-summary on hand-written `terraform show -json` fixtures (JSON output format 1.x). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildSummary, planName } from "../../tools/plan-summary";
import { actionOf, hideSensitive, mask, parsePlan } from "../../tools/private/plan-json";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "plans");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const plan = parsePlan(fixture("all-actions.json"), "all-actions.json");
const byAddress = (address: string) => plan.resources.find((r) => r.address === address)!;

describe("parsePlan", () => {
  test("reads every action and hides no-op", () => {
    expect(plan.resources.map((r) => [r.address, r.action])).toEqual([
      ["google_cloud_run_v2_service.api", "update"],
      ["google_cloud_run_v2_service_iam_member.api_public", "create"],
      ["google_cloud_run_v2_job.report", "replace"],
      ["google_cloud_run_v2_worker_pool.queue", "replace"],
      ["google_project_iam_member.old_writer", "delete"],
      ["google_project_iam_binding.admins", "create"],
      ["google_project_service.pubsub", "delete"],
      ["google_cloud_run_v2_service.legacy", "delete"],
      ["google_secret_manager_secret_version.key", "update"],
      ["data.google_project.this", "read"],
      ["module.legacy.google_storage_bucket.logs", "forget"],
    ]);
  });

  test("turns replace_paths into attribute paths", () => {
    expect(byAddress("google_cloud_run_v2_job.report").replacePaths).toEqual(["location"]);
    expect(byAddress("google_cloud_run_v2_worker_pool.queue").replacePaths).toEqual([
      "template[0].containers[0].depends_on",
    ]);
  });

  test("shows unknown values as (known after apply)", () => {
    expect(byAddress("google_cloud_run_v2_service.api").attributes).toContainEqual({
      path: "uri",
      before: "https://api-abc-uc.a.run.app",
      after: "(known after apply)",
    });
  });

  test("hides sensitive values but shows that they changed", () => {
    expect(byAddress("google_secret_manager_secret_version.key").attributes).toEqual([
      { path: "enabled", before: true, after: false },
      { path: "secret_data", before: "(sensitive)", after: "(sensitive), changed" },
    ]);
  });

  test("reads resource_drift separately", () => {
    expect(plan.drift).toHaveLength(1);
    expect(plan.drift[0].attributes).toEqual([
      { path: "scaling[0].min_instance_count", before: 1, after: 3 },
    ]);
  });

  test("reads output changes and hides no-op outputs", () => {
    expect(plan.outputs).toEqual([
      { name: "api_url", action: "create", before: undefined, after: "(known after apply)" },
      { name: "old_url", action: "delete", before: "https://old.example", after: undefined },
    ]);
  });

  test("refuses another major format_version, naming it", () => {
    expect(() => parsePlan(fixture("format-2.json"), "format-2.json")).toThrow(
      'format-2.json has format_version "2.0"; plan-summary reads the JSON output format 1.x only',
    );
  });

  test("refuses a file without format_version", () => {
    expect(() => parsePlan("{}", "x.json")).toThrow("x.json has no format_version");
  });

  test("refuses text that is not JSON", () => {
    expect(() => parsePlan("not json", "x.json")).toThrow("x.json is not JSON");
  });
});

describe("actionOf", () => {
  test.each([
    [["no-op"], undefined],
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["read"], "read"],
    [["forget"], "forget"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
  ])("%j → %s", (actions, action) => {
    expect(actionOf(actions, "x")).toBe(action);
  });

  test("refuses an unknown action list", () => {
    expect(() => actionOf(["explode"], "plan.json a.b")).toThrow(
      'plan.json a.b: actions ["explode"] are not a known Terraform action list',
    );
  });
});

describe("masking", () => {
  test("mask replaces marked leaves, including ones absent from the value", () => {
    expect(mask({ a: 1, b: [{ c: 2 }] }, { b: [{ c: true }], d: true }, "?")).toEqual({
      a: 1,
      b: [{ c: "?" }],
      d: "?",
    });
  });

  test("hideSensitive marks an unchanged secret as just sensitive", () => {
    expect(hideSensitive({ s: "x" }, { s: "x" }, { s: true }, { s: true })).toEqual([
      { s: "(sensitive)" },
      { s: "(sensitive)" },
    ]);
  });
});

describe("buildSummary", () => {
  const { markdown, changed } = buildSummary([{ name: "prod", plan }]);

  test("reports changes", () => expect(changed).toBe(true));

  test("counts per action, with read and forget columns when present", () => {
    expect(markdown).toContain(
      "| plan | add | change | replace | destroy | read | forget | outputs |",
    );
    expect(markdown).toContain("| prod | 2 | 2 | 2 | 3 | 1 | 1 | 2 |");
  });

  test("lists the same Cloud Run risk flags as review", () => {
    const codes = [...markdown.matchAll(/^- \*\*([A-Z_]+)\*\*/gm)].map((m) => m[1]);
    expect(codes).toEqual([
      "DELETION_PROTECTION_OFF",
      "IMAGE_TAG",
      "SERVICE_PUBLIC",
      "REPLACED",
      "REPLACED",
      "IAM_MEMBER_REMOVED",
      "IAM_AUTHORITATIVE",
      "API_REMOVED",
      "WORKLOAD_DELETED",
    ]);
  });

  test("marks the attribute that forces a replacement", () => {
    expect(markdown).toContain(
      "<summary><code>-/+</code> replace <code>google_cloud_run_v2_job.report</code> (forced by <code>location</code>)</summary>",
    );
    expect(markdown).toContain(
      '| `location` (forces replacement) | `"us-central1"` | `"us-east4"` |',
    );
  });

  test("has a drift section after the changes", () => {
    const drift = markdown.indexOf("### Drift: changed outside Terraform (1)");
    expect(drift).toBeGreaterThan(markdown.indexOf("module.legacy.google_storage_bucket.logs"));
    expect(markdown.slice(drift)).toContain("| `scaling[0].min_instance_count` | `1` | `3` |");
  });

  test("lists output changes", () => {
    expect(markdown).toContain('- `+` `api_url`: — → `"(known after apply)"`');
    expect(markdown).toContain('- `-` `old_url`: `"https://old.example"` → —');
  });

  test("a plan of no-ops reports no changes but still shows drift", () => {
    const quiet = buildSummary([
      { name: "dev", plan: parsePlan(fixture("no-changes.json"), "no-changes.json") },
    ]);
    expect(quiet.changed).toBe(false);
    expect(quiet.markdown).toContain("**No changes.**");
    expect(quiet.markdown).toContain("### Drift: changed outside Terraform (1)");
  });

  test("names a plan after its file", () => {
    expect(planName("out/dev.json")).toBe("dev");
    expect(planName("staging.tfplan.json")).toBe("staging");
  });
});

describe("CLI", () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/plan-summary.ts", ...args],
      { cwd: ROOT, encoding: "utf8" },
    );

  test("exits 2 with the Markdown on stdout and progress on stderr", () => {
    const r = run("__tests__/fixtures/plans/all-actions.json");
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^## Terraform plan summary\n/);
    expect(r.stderr).toContain("plan-summary: changes found");
  });

  test("exits 0 for a plan without changes", () => {
    expect(run("__tests__/fixtures/plans/no-changes.json").status).toBe(0);
  });

  test("exits 1 for format_version 2.0", () => {
    const r = run("__tests__/fixtures/plans/format-2.json");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('has format_version "2.0"');
  });

  test("exits 64 without a file", () => {
    expect(run().status).toBe(64);
  });
});
