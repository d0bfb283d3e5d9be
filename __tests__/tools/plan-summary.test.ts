/** plan-summary on hand-written `terraform show -json` fixtures (JSON output format 1.x). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { buildSummary, planName } from "../../tools/plan-summary";
import { compareCodePoints } from "../../tools/private/changes";
import { COMMENT_LIMIT } from "../../tools/private/markdown";
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

const run = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/plan-summary.ts", ...args],
    { cwd: ROOT, encoding: "utf8" },
  );

describe("CLI", () => {
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

/** A plan of `changes` (resource_changes entries) and `outputs` (output_changes), format 1.2. */
function planText(changes: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format_version: "1.2", resource_changes: changes, ...extra });
}

function update(address: string, before: object, after: object, more: object = {}) {
  return {
    address,
    mode: "managed",
    type: address.split(".")[0],
    name: address.split(".")[1] ?? "x",
    change: { actions: ["update"], before, after, after_unknown: {}, ...more },
  };
}

describe("a 55 MB plan with 16,000 updates (issue 14 item 11)", () => {
  const padding = "x".repeat(3000);
  let text = "";
  let big: ReturnType<typeof parsePlan>;
  beforeAll(() => {
    const changes = Array.from({ length: 16000 }, (_, i) =>
      update(
        `google_cloud_run_v2_service.s${String(i).padStart(5, "0")}`,
        { name: `s${i}`, description: padding, template: [{ containers: [{ image: "a:1" }] }] },
        { name: `s${i}`, description: padding, template: [{ containers: [{ image: "a:2" }] }] },
        { before_sensitive: {}, after_sensitive: {} },
      ),
    );
    text = planText(changes);
    big = parsePlan(text, "big.json");
  });

  test("is summarized under 65,536 characters: summary and risks first, details cut with a note", () => {
    expect(text.length).toBeGreaterThan(55_000_000);
    const { markdown, changed } = buildSummary([
      { name: "big", plan: parsePlan(text, "big.json") },
    ]);
    expect(changed).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toContain("| big | 0 | 16000 | 0 | 0 | 0 |");
    expect(markdown.indexOf("### Risks (0)")).toBeLessThan(markdown.indexOf("<details>"));
    expect(markdown).toMatch(
      /> \*\*Cut:\*\* the details of \d+ of 16000 resource changes are shown .*run plan-summary with `--full` for everything\.\n$/,
    );
  });

  test("--full keeps every resource", () => {
    const { markdown } = buildSummary([{ name: "big", plan: big }], { full: true });
    expect(markdown).toContain("<code>google_cloud_run_v2_service.s15999</code>");
    expect(markdown).not.toContain("**Cut:**");
  });
});

describe("plans of the wrong shape are clean errors (issue 14 item 11)", () => {
  const good = update("google_x.a", { v: 1 }, { v: 2 });
  test.each([
    [
      "resource_changes an object",
      { resource_changes: { a: good } },
      "x.json: resource_changes is an object, expected a list",
    ],
    [
      "a null entry",
      { resource_changes: [good, null] },
      "x.json: resource_changes[1] is null, expected an object",
    ],
    [
      "an object address",
      { resource_changes: [{ ...good, address: { a: 1 } }] },
      "x.json: resource_changes[0].address is an object, expected a non-empty string",
    ],
    [
      "a change without actions",
      { resource_changes: [{ ...good, change: { before: {} } }] },
      "x.json: resource_changes[0] (google_x.a).change.actions is missing, expected a list of action names",
    ],
    [
      "an unknown mode",
      { resource_changes: [{ ...good, mode: 7 }] },
      'x.json: resource_changes[0].mode is the number 7, expected "managed" or "data"',
    ],
    [
      "output_changes a list",
      { resource_changes: [], output_changes: [good] },
      "x.json: output_changes is a list, expected an object of outputs by name",
    ],
    [
      "a null drift entry",
      { resource_changes: [], resource_drift: [null] },
      "x.json: resource_drift[0] is null, expected an object",
    ],
  ])("%s", (_, plan, message) => {
    expect(() => parsePlan(JSON.stringify({ format_version: "1.2", ...plan }), "x.json")).toThrow(
      message,
    );
  });

  test("a value nested deeper than the walkers go is refused, not a stack overflow", () => {
    const deep = `${"[".repeat(3000)}"leaf"${"]".repeat(3000)}`;
    const text = planText([update("google_x.a", { v: 0 }, { v: 1 })]).replace('{"v":0}', deep);
    expect(() => parsePlan(text, "x.json")).toThrow(
      "x.json: resource_changes[0] (google_x.a).change is nested more than 200 levels deep",
    );
  });

  test("the CLI exits 1 with the message, never No changes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-shape-"));
    try {
      const file = path.join(dir, "odd.json");
      fs.writeFileSync(
        file,
        JSON.stringify({ format_version: "1.2", resource_changes: { a: good } }),
      );
      const r = run(file);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("resource_changes is an object, expected a list");
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("addresses, names and values are escaped (issue 14 item 11)", () => {
  const hostile = 'google_x.a<img src=x onerror="alert(1)">`|**b**';
  const plan = parsePlan(
    planText([
      update(hostile, { "k|`<b>": "<script>" }, { "k|`<b>": "</details>" }),
      {
        address: "google_x.gone",
        mode: "managed",
        type: "google_x",
        name: "gone",
        change: {
          actions: ["delete", "create"],
          before: { a: 1 },
          after: { a: 1 },
          replace_paths: [["a<b>"]],
        },
      },
    ]),
    "x.json",
  );
  const { markdown } = buildSummary([{ name: "prod*_[x](y)", plan }]);

  test("in HTML, as entities", () => {
    expect(markdown).toContain(
      "<code>google_x.a&lt;img src=x onerror=&quot;alert(1)&quot;&gt;`|**b**</code>",
    );
    expect(markdown).toContain("(forced by <code>a&lt;b&gt;</code>)");
    expect(markdown).not.toContain("<img");
    expect(markdown.split("<script>")).toHaveLength(2); // once, inside a code span
    expect(markdown).toContain('`"<script>"`');
  });

  test("in table cells, as code spans whose pipes and backticks cannot break out", () => {
    expect(markdown).toContain('| ``k\\|`<b>`` | `"<script>"` | `"</details>"` |');
    expect(markdown.split("\n").filter((l) => l.includes('</details>"')).length).toBe(1);
  });

  test("in prose and headings, with Markdown's characters escaped", () => {
    expect(markdown).toContain("| prod\\*\\_\\[x\\](y) | 0 | 1 | 1 | 0 | 0 |");
    expect(markdown).toContain("### prod\\*\\_\\[x\\](y)\n");
  });
});

describe("sensitivity marks fail closed (issue 14 item 11)", () => {
  test("a mark list shorter than the value hides the unmarked elements", () => {
    const value = ["a", "secret", "more"];
    const [, after] = hideSensitive(value, value, [false], [false]);
    expect(after).toEqual(["a", "(sensitive)", "(sensitive)"]);
  });

  test("a mark of the wrong shape hides the whole value", () => {
    const masked = (value: unknown, marks: unknown) => hideSensitive(value, value, marks, marks)[1];
    expect(masked({ p: "secret" }, [true])).toBe("(sensitive)");
    expect(masked(["secret"], { 0: true })).toBe("(sensitive)");
    expect(masked("secret", "yes")).toBe("(sensitive)");
  });

  test("a plan whose marks are short never prints the secret", () => {
    const plan = parsePlan(
      planText([
        update(
          "google_x.a",
          { args: ["--token", "old-secret"] },
          { args: ["--token", "new-secret"] },
          { before_sensitive: { args: [false] }, after_sensitive: { args: [false] } },
        ),
      ]),
      "x.json",
    );
    const { markdown } = buildSummary([{ name: "dev", plan }]);
    expect(markdown).not.toContain("secret");
    expect(markdown).toContain('`["--token","(sensitive)"]`');
  });
});

describe("sorting is by code point, whatever the locale (issue 14 item 11)", () => {
  const names = ["b", "ı", "I", "i", "Z", "a", "\uFF01", "\u{1F600}"];
  const codePointOrder = ["I", "Z", "a", "b", "i", "ı", "\uFF01", "\u{1F600}"];

  test("compareCodePoints orders by code point, astral characters last", () => {
    expect([...names].sort(compareCodePoints)).toEqual(codePointOrder);
  });

  test("plan-summary lists outputs in code-point order under LC_ALL=tr_TR.UTF-8", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-locale-"));
    try {
      const file = path.join(dir, "dev.json");
      const outputs = Object.fromEntries(
        names.map((n) => [`out_${n}`, { actions: ["create"], before: null, after: n }]),
      );
      fs.writeFileSync(file, planText([], { output_changes: outputs }));
      const r = spawnSync(
        process.execPath,
        [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "tools/plan-summary.ts", file],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, LC_ALL: "tr_TR.UTF-8", LANG: "tr_TR.UTF-8" },
        },
      );
      expect(r.status).toBe(2);
      const listed = [...r.stdout.matchAll(/^- `\+` `out_(.+?)`/gmu)].map((m) => m[1]);
      expect(listed).toEqual(codePointOrder);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("output changes (issue 16 item 3)", () => {
  const plan = parsePlan(
    planText([], {
      output_changes: {
        api_url: { actions: ["create"], before: null, after: null, after_unknown: true },
        api_service_account_email: { actions: ["update"], before: "a@x.iam", after: "b@x.iam" },
        old_name: { actions: ["delete"], before: "old", after: null },
        db_password: {
          actions: ["update"],
          before: "hunter2",
          after: "hunter3",
          before_sensitive: true,
          after_sensitive: true,
        },
      },
    }),
    "x.json",
  );
  const { markdown, changed } = buildSummary([{ name: "prod", plan }]);

  test("added, changed and removed outputs are listed and count as changes", () => {
    expect(changed).toBe(true);
    expect(markdown).toContain("| prod | 0 | 0 | 0 | 0 | 4 |");
    expect(markdown).toContain('- `+` `api_url`: — → `"(known after apply)"`');
    expect(markdown).toContain('- `~` `api_service_account_email`: `"a@x.iam"` → `"b@x.iam"`');
    expect(markdown).toContain('- `-` `old_name`: `"old"` → —');
  });

  test("a sensitive output is masked, and still shows that it changed", () => {
    expect(markdown).toContain('- `~` `db_password`: `"(sensitive)"` → `"(sensitive), changed"`');
    expect(markdown).not.toContain("hunter");
  });
});

test("a summary table longer than a comment is cut at a line, with a note", () => {
  const plans = Array.from({ length: 3000 }, (_, i) => ({
    name: `plan-${i}`,
    plan: parsePlan(planText([update("google_x.a", { v: 1 }, { v: 2 })]), "x.json"),
  }));
  const { markdown } = buildSummary(plans);
  expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  expect(markdown).toMatch(/\n\n> \*\*Cut:\*\* the report is cut at 65,536 characters; .*\n$/);
});
