/**
 * review end to end: a temporary git repository with a tiny cdktf app (its node_modules a symlink
 * to this project's), two commits, and the real CLI synthesizing the base in a worktree.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const REVIEW = path.join(ROOT, "tools", "review.ts");
const DIGEST = `sha256:${"a".repeat(64)}`;

const MAIN_TS = `
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { App, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";

const app = new App();
const dir = process.env.ENVIRONMENTS_DIR ?? "environments";
for (const file of fs.readdirSync(dir).sort()) {
  const env = parse(fs.readFileSync(path.join(dir, file), "utf8"));
  const stack = new TerraformStack(app, file.replace(/\\.yaml$/, ""));
  new GoogleProvider(stack, "google", { project: env.project, region: "us-central1" });
  const sa = new ServiceAccount(stack, "api_sa", { accountId: "api-runtime" });
  new ProjectIamMember(stack, "api_logs", {
    project: env.project,
    role: "roles/logging.logWriter",
    member: \`serviceAccount:\${sa.email}\`,
  });
  new CloudRunV2Service(stack, "api", {
    name: "api",
    location: "us-central1",
    deletionProtection: env.protect,
    template: { serviceAccount: sa.email, containers: [{ image: env.image }] },
  });
  if (env.public)
    new CloudRunV2ServiceIamMember(stack, "api_public", {
      name: "api",
      location: "us-central1",
      role: "roles/run.invoker",
      member: "allUsers",
    });
}
app.synth();
`;

let repo: string;

function git(...args: string[]): void {
  const r = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

function writeEnv(name: string, body: Record<string, unknown>): void {
  const text = Object.entries(body)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join("\n");
  fs.writeFileSync(path.join(repo, "environments", `${name}.yaml`), `${text}\n`);
}

function review(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSX, REVIEW, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "review-cli-"));
  git("init", "-q", "-b", "main");
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\ncdktf.out\n");
  fs.writeFileSync(path.join(repo, "main.ts"), MAIN_TS);
  fs.mkdirSync(path.join(repo, "environments"));
  const image = `us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`;
  writeEnv("dev", { project: "acme-run-dev", image, protect: true, public: false });
  writeEnv("prod", { project: "acme-run-prod", image, protect: true, public: false });
  git("add", ".");
  git("commit", "-q", "-m", "base");
  // Head: dev takes a tag, turns protection off and opens the service; prod is deleted.
  writeEnv("dev", {
    project: "acme-run-dev",
    image: "us-docker.pkg.dev/acme-ci/apps/api:latest",
    protect: false,
    public: true,
  });
  fs.rmSync(path.join(repo, "environments", "prod.yaml"));
  git("add", "-A");
  git("commit", "-q", "-m", "head");
});

afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
});

describe("npm run review -- --base HEAD~1", () => {
  let result: ReturnType<typeof review>;
  beforeAll(() => {
    result = review(["--base", "HEAD~1"]);
  });

  test("exits 2 when there are changes", () => {
    expect(result.stderr).toContain("review: changes found");
    expect(result.status).toBe(2);
  });

  test("counts changes per stack and action", () => {
    expect(result.stdout).toContain("| dev | 1 | 1 | 0 | 0 | 0 |");
    expect(result.stdout).toContain("| prod (deleted) | 0 | 0 | 0 | 3 | 0 |");
  });

  test("flags the public service, the tag, protection off and the deleted stack", () => {
    const risks = result.stdout.split("\n").filter((l) => l.startsWith("- **"));
    expect(risks).toEqual([
      '- **DELETION_PROTECTION_OFF** stack `dev` `google_cloud_run_v2_service.api`: deletion\\_protection turned off on "api"',
      `- **IMAGE_TAG** stack \`dev\` \`google_cloud_run_v2_service.api\`: image moves from a digest to a tag: us-docker.pkg.dev/acme-ci/apps/api@${DIGEST} → us-docker.pkg.dev/acme-ci/apps/api:latest`,
      "- **SERVICE_PUBLIC** stack `dev` `google_cloud_run_v2_service_iam_member.api_public`: grants roles/run.invoker to allUsers: anyone can call it",
      "- **STACK_DELETED** stack `prod`: stack prod is gone: every resource in it will be destroyed",
      '- **WORKLOAD_DELETED** stack `prod` `google_cloud_run_v2_service.api`: workload "api" is destroyed',
    ]);
  });

  test("shows the attribute diff of the changed service", () => {
    expect(result.stdout).toContain(
      `| \`template.containers[0].image\` | \`"us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}"\` | \`"us-docker.pkg.dev/acme-ci/apps/api:latest"\` |`,
    );
  });

  test("draws the workloads that change, with identity and roles, coloured by action", () => {
    expect(result.stdout).toContain("```mermaid");
    expect(result.stdout).toContain(
      '    dev_service_api["service api<br/>runs as api-runtime<br/>roles/logging.logWriter on project"]:::change',
    );
    expect(result.stdout).toContain('  subgraph stack_prod["prod"]');
    expect(result.stdout).toContain(
      '    prod_service_api["service api<br/>runs as api-runtime<br/>roles/logging.logWriter on project"]:::destroy',
    );
    expect(result.stdout).toContain("  class stack_prod destroy");
  });

  test("removes its temporary worktree", () => {
    const list = spawnSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
    expect(list.stdout.trim().split("\n")).toHaveLength(1);
  });
});

test("--base HEAD --out writes a no-change review and exits 0", () => {
  const out = path.join(repo, "review.md");
  const r = review(["--base", "HEAD", "--out", out]);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("");
  expect(fs.readFileSync(out, "utf8")).toContain("**No changes.**");
});

test("an unknown ref exits 1 naming it", () => {
  const r = review(["--base", "no-such-branch"]);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('git does not know the ref "no-such-branch"');
});

test("a missing --base exits 64", () => {
  const r = review([]);
  expect(r.status).toBe(64);
  expect(r.stderr).toContain("--base <git-ref> is required");
});

test("--help documents the exit codes", () => {
  const r = review(["--help"]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Exit codes:\n {2}0 {3}no changes\n {2}2 {3}changes/);
});

describe("the base synth is the base's own (issue 14 item 12)", () => {
  test("ENVIRONMENTS_DIR pointing at the head's files does not reach the base synth", () => {
    const r = review(["--base", "HEAD~1"], {
      ENVIRONMENTS_DIR: path.join(repo, "environments"),
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("| dev | 1 | 1 | 0 | 0 | 0 |");
    expect(r.stdout).toContain("| prod (deleted) | 0 | 0 | 0 | 3 | 0 |");
    expect(r.stderr).toContain(
      "review: the working tree's synth sees ENVIRONMENTS_DIR; the base's does not",
    );
  });
});

describe("interrupted (issue 14 item 12)", () => {
  test("SIGHUP removes the worktree and temporary folders, stops the synth, and exits by the signal", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "review-hup-"));
    const tmp = path.join(own, "tmp");
    const pidFile = path.join(own, "synth.pid");
    fs.mkdirSync(tmp);
    try {
      const slowApp = `node -e "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 60000)" ${pidFile}`;
      // `node --import tsx`: one process (the tsx CLI would be a wrapper around it).
      const args = ["--import", "tsx", REVIEW, "--base", "HEAD~1", "--app", slowApp];
      const child = spawn(process.execPath, args, {
        cwd: repo,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TMPDIR: tmp },
        stdio: "ignore",
      });
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on("exit", (code, signal) => resolve([code, signal])),
      );
      const deadline = Date.now() + 30000;
      while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, "utf8") === "") {
        if (Date.now() > deadline) throw new Error("the synth never started");
        await new Promise((r) => setTimeout(r, 100));
      }
      const synthPid = Number(fs.readFileSync(pidFile, "utf8"));
      expect(fs.readdirSync(tmp).filter((n) => n.startsWith("review-"))).toHaveLength(2);
      child.kill("SIGHUP");
      expect(await exited).toEqual([null, "SIGHUP"]);
      const list = spawnSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
      expect(list.stdout.trim().split("\n")).toHaveLength(1);
      expect(fs.readdirSync(tmp).filter((n) => n.startsWith("review-"))).toEqual([]);
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        try {
          process.kill(synthPid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});
