/**
 * review end to end: a temporary git repository with a tiny cdktf app (its node_modules a symlink
 * to this project's), two commits, and the real CLI synthesizing the base in a worktree.
 */
import { spawnSync } from "child_process";
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
for (const file of fs.readdirSync("environments").sort()) {
  const env = parse(fs.readFileSync(path.join("environments", file), "utf8"));
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

function review(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSX, REVIEW, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
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
    result = review("--base", "HEAD~1");
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

  test("draws the head's workloads, accounts and roles", () => {
    expect(result.stdout).toContain("```mermaid");
    expect(result.stdout).toContain('dev_sa_api_sa(["SA api-runtime"])');
    expect(result.stdout).toContain(
      "dev_w_google_cloud_run_v2_service_api -->|runs as| dev_sa_api_sa",
    );
    expect(result.stdout).toContain('["roles/logging.logWriter on project"]');
    expect(result.stdout).not.toContain("stack_prod");
  });

  test("removes its temporary worktree", () => {
    const list = spawnSync("git", ["worktree", "list"], { cwd: repo, encoding: "utf8" });
    expect(list.stdout.trim().split("\n")).toHaveLength(1);
  });
});

test("--base HEAD --out writes a no-change review and exits 0", () => {
  const out = path.join(repo, "review.md");
  const r = review("--base", "HEAD", "--out", out);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("");
  expect(fs.readFileSync(out, "utf8")).toContain("**No changes.**");
});

test("an unknown ref exits 1 naming it", () => {
  const r = review("--base", "no-such-branch");
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('git does not know the ref "no-such-branch"');
});

test("a missing --base exits 64", () => {
  const r = review();
  expect(r.status).toBe(64);
  expect(r.stderr).toContain("--base <git-ref> is required");
});

test("--help documents the exit codes", () => {
  const r = review("--help");
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/Exit codes:\n {2}0 {3}no changes\n {2}2 {3}changes/);
});
