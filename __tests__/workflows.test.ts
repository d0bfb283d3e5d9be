/**
 * The example workflows (.github/workflows): GitHub's schema, the security rules docs/ci.md
 * promises (pinned actions, no persisted token, no expression inside a shell script, permissions
 * per job, credentials only where terraform plan or Cloud Build runs), and the shell steps that
 * decide what is planned, built and commented, run with bash against stand-ins.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "continue-on-error"?: boolean;
}
interface Job {
  permissions?: Record<string, string> | string;
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(file: string): Workflow {
  return parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}
const plan = load("plan.yml");
const build = load("build.yml");

function allSteps(): Array<{ file: string; job: string; step: Step }> {
  return FILES.flatMap((file) =>
    Object.entries(load(file).jobs).flatMap(([job, j]) =>
      j.steps.map((step) => ({ file, job, step })),
    ),
  );
}

function stepNamed(job: Job, name: string): Step {
  const step = job.steps.find((s) => s.name === name || s.id === name);
  if (!step) throw new Error(`no step ${name}`);
  return step;
}

function usesAction(job: Job, action: string): boolean {
  return job.steps.some((s) => s.uses?.split("@")[0] === action);
}

/** A fresh temporary folder, removed by the returned cleanup. */
function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-test-"));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a step's script with bash in `cwd`, GITHUB_OUTPUT pointing at a file; returns its outputs. */
function runStep(
  script: string,
  cwd: string,
  env: Record<string, string>,
): { status: number | null; stdout: string; stderr: string; outputs: Record<string, string> } {
  const outputFile = path.join(cwd, ".github-output");
  fs.writeFileSync(outputFile, "");
  const r = spawnSync("bash", ["-e", "-c", script], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: cwd, GITHUB_OUTPUT: outputFile, ...env },
  });
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(outputFile, "utf8").split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe("every workflow", () => {
  it("holds plan.yml and build.yml", () => {
    expect(FILES).toEqual(["build.yml", "plan.yml"]);
  });

  it.each(FILES)("%s passes GitHub's workflow schema (action-validator)", (file) => {
    const cli = require.resolve("@action-validator/cli/cli.mjs");
    const r = spawnSync(process.execPath, [cli, path.join(DIR, file)], { encoding: "utf8" });
    expect(r.stderr.replace(/^WARNING: Glob validation.*\n/gm, "")).toBe("");
    expect(r.status).toBe(0);
  });

  it("pins every action by a full commit SHA", () => {
    const uses = allSteps()
      .map((s) => s.step.uses)
      .filter((u): u is string => u !== undefined);
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
  });

  it("writes the version beside every pinned SHA", () => {
    for (const file of FILES) {
      const lines = fs
        .readFileSync(path.join(DIR, file), "utf8")
        .split("\n")
        .filter((l) => /^\s*(- )?uses:/.test(l));
      for (const l of lines) expect(l).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it("pins one SHA per action and version across the workflows", () => {
    const byAction = new Map<string, Set<string>>();
    for (const { step } of allSteps()) {
      if (!step.uses) continue;
      const [action, sha] = step.uses.split("@");
      byAction.set(action, (byAction.get(action) ?? new Set()).add(sha));
    }
    for (const [action, shas] of byAction) expect([action, shas.size]).toEqual([action, 1]);
  });

  it("checks out with persist-credentials: false", () => {
    const checkouts = allSteps().filter((s) => s.step.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const c of checkouts)
      expect([c.job, c.step.with?.["persist-credentials"]]).toEqual([c.job, false]);
  });

  it("puts no ${{ }} expression inside a run: script (values reach shells through env:)", () => {
    for (const { job, step } of allSteps()) {
      if (step.run === undefined) continue;
      expect([job, step.name ?? step.run.slice(0, 40), step.run.includes("${{")]).toEqual([
        job,
        step.name ?? step.run.slice(0, 40),
        false,
      ]);
    }
  });

  it("has run: scripts that bash parses", () => {
    for (const { job, step } of allSteps()) {
      if (step.run === undefined) continue;
      const r = spawnSync("bash", ["-n", "-c", step.run], { encoding: "utf8" });
      expect([job, step.name, r.stderr]).toEqual([job, step.name, ""]);
    }
  });

  it("passes github.base_ref to the review only through an env variable", () => {
    const review = stepNamed(plan.jobs.review, "review");
    expect(review.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    expect(review.run).toContain('--base "origin/$BASE_REF"');
  });

  it("grants no permission at the workflow level and sets permissions on every job", () => {
    for (const file of FILES) {
      const wf = load(file);
      expect(wf.permissions).toEqual({});
      for (const [name, job] of Object.entries(wf.jobs)) {
        expect([file, name, typeof job.permissions]).toEqual([file, name, "object"]);
      }
    }
  });

  it("gives id-token: write only to jobs that authenticate to Google Cloud, and nothing to write with them", () => {
    for (const file of FILES) {
      for (const [name, job] of Object.entries(load(file).jobs)) {
        const perms = job.permissions as Record<string, string>;
        const authenticates = usesAction(job, "google-github-actions/auth");
        expect([file, name, perms["id-token"] === "write"]).toEqual([file, name, authenticates]);
        if (authenticates) expect(perms).toEqual({ contents: "read", "id-token": "write" });
      }
    }
  });
});

describe("plan.yml", () => {
  it("runs on pull requests only (never pull_request_target, which would hand forks a write token)", () => {
    expect(Object.keys(plan.on)).toEqual(["pull_request"]);
  });

  it("reviews with a read-only token and no credentials (the review runs the pull request's code)", () => {
    const review = plan.jobs.review;
    expect(review.permissions).toEqual({ contents: "read" });
    expect(usesAction(review, "google-github-actions/auth")).toBe(false);
    expect(JSON.stringify(review)).not.toContain("GH_TOKEN");
  });

  it("keeps the review Markdown and its diagram's PNG as an artifact", () => {
    const upload = plan.jobs.review.steps.find((s) =>
      s.uses?.startsWith("actions/upload-artifact@"),
    );
    expect(upload?.with).toMatchObject({ name: "review", path: "review.md\nreview.png\n" });
  });

  it("renders the diagram only for a changed review, and a failed render fails no job", () => {
    const steps = plan.jobs.review.steps;
    const render = stepNamed(plan.jobs.review, "Render the review's diagram to PNG");
    expect(render.if).toBe("steps.review.outputs.result == 'changed'");
    expect(render["continue-on-error"]).toBe(true);
    expect(render.run).toContain("npm run -s render-diagram -- review.md review.png");
    expect(render.run).toContain("sudo apt-get install -y -q chromium");
    expect(steps.indexOf(render)).toBeGreaterThan(
      steps.indexOf(stepNamed(plan.jobs.review, "review")),
    );
    expect(steps.indexOf(render)).toBeLessThan(
      steps.findIndex((s) => s.uses?.startsWith("actions/upload-artifact@")),
    );
  });

  it("plans a matrix computed by a first job from the environment files", () => {
    const job = plan.jobs.plan;
    expect(job.needs).toContain("environments");
    expect(job.strategy?.matrix).toEqual({
      environment: "${{ fromJSON(needs.environments.outputs.names) }}",
    });
    expect(plan.jobs.environments.outputs).toEqual({ names: "${{ steps.list.outputs.names }}" });
  });

  it("skips the plan for forks and Dependabot", () => {
    const cond = plan.jobs.plan.if ?? "";
    expect(cond).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(cond).toContain("github.actor != 'dependabot[bot]'");
  });

  it("installs and synthesizes before authenticating, and authenticates right before terraform", () => {
    const names = plan.jobs.plan.steps.map((s) => s.name ?? s.run ?? s.uses?.split("@")[0]);
    const auth = names.indexOf("Authenticate to Google Cloud (Workload Identity Federation)");
    expect(names.indexOf("npm ci")).toBeLessThan(auth);
    expect(names.indexOf("npm run synth")).toBeLessThan(auth);
    expect(names[auth + 1]).toBe("terraform plan");
  });

  it("never uploads the JSON plan (it can hold sensitive values)", () => {
    const tf = stepNamed(plan.jobs.plan, "terraform plan");
    expect(tf.run).toContain('> "$RUNNER_TEMP/plan.json"');
    const uploads = plan.jobs.plan.steps.filter((s) =>
      s.uses?.startsWith("actions/upload-artifact@"),
    );
    expect(uploads.map((u) => u.with?.path)).toEqual(["plan-${{ matrix.environment }}.md"]);
  });

  it("comments from a job that checks out nothing and may only write pull-request comments", () => {
    const job = plan.jobs.comment;
    expect(job.permissions).toEqual({ "pull-requests": "write" });
    expect(usesAction(job, "actions/checkout")).toBe(false);
    expect(job.if).toBe("${{ !cancelled() }}");
  });

  it("skips commenting with a notice for forks and Dependabot, and never fails the run on a comment", () => {
    const skip = stepNamed(plan.jobs.comment, "Skip comments (read-only token)");
    const post = stepNamed(plan.jobs.comment, "post");
    expect(skip.run).toContain("::notice");
    expect(skip.if).toContain("head.repo.full_name != github.repository");
    expect(skip.if).toContain("github.actor == 'dependabot[bot]'");
    expect(post.if).toContain("head.repo.full_name == github.repository");
    expect(post.if).toContain("github.actor != 'dependabot[bot]'");
    expect(post["continue-on-error"]).toBe(true);
    expect(stepNamed(plan.jobs.comment, "Report a failed comment").if).toBe(
      "steps.post.outcome == 'failure'",
    );
  });

  describe("the environments step", () => {
    const script = stepNamed(plan.jobs.environments, "list").run ?? "";

    it("lists every environments/*.yaml, a new qa.yaml included", () => {
      const t = tempDir();
      try {
        fs.mkdirSync(path.join(t.dir, "environments"));
        for (const f of ["dev.yaml", "prod.yaml", "qa.yaml", "staging.yml", "schema.json"])
          fs.writeFileSync(path.join(t.dir, "environments", f), "");
        const r = runStep(script, t.dir, {});
        expect(r.status).toBe(0);
        expect(JSON.parse(r.outputs.names)).toEqual(["dev", "prod", "qa", "staging"]);
      } finally {
        t.cleanup();
      }
    });

    it("fails on a file name that is not a plain environment name", () => {
      const t = tempDir();
      try {
        fs.mkdirSync(path.join(t.dir, "environments"));
        fs.writeFileSync(path.join(t.dir, "environments", "a$(id).yaml"), "");
        const r = runStep(script, t.dir, {});
        expect(r.status).toBe(1);
        expect(r.stdout).toContain("::error file=environments/a$(id).yaml::");
      } finally {
        t.cleanup();
      }
    });

    it("gives an empty list, not an error, without environment files", () => {
      const t = tempDir();
      try {
        fs.mkdirSync(path.join(t.dir, "environments"));
        const r = runStep(script, t.dir, {});
        expect(r.status).toBe(0);
        expect(r.outputs.names).toBe("[]");
      } finally {
        t.cleanup();
      }
    });
  });

  describe("the comment step (gh replaced by a stand-in that records its calls)", () => {
    const script = stepNamed(plan.jobs.comment, "post").run ?? "";
    const BOT = "github-actions[bot]";

    /** Runs the step with `existing` comments on the pull request; returns gh's calls. */
    function post(
      existing: Array<{ id: number; login: string; body: string }>,
      files: Record<string, string>,
      env: Record<string, string>,
    ): { status: number | null; calls: Array<{ args: string[]; input: string }>; stderr: string } {
      const t = tempDir();
      try {
        const bin = path.join(t.dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(
          path.join(t.dir, "comments.json"),
          JSON.stringify(
            existing.map((c) => ({ id: c.id, user: { login: c.login }, body: c.body })),
          ),
        );
        // The stand-in: logs argv and stdin; lists the comments on a GET of .../comments.
        fs.writeFileSync(
          path.join(bin, "gh"),
          `#!/usr/bin/env bash
input=""
if [[ " $* " == *" --input - "* ]]; then input=$(cat); fi
jq -cn --arg input "$input" '{args: $ARGS.positional, input: $input}' --args -- "$@" >> "${t.dir}/calls.jsonl"
if [[ "$*" == "api --paginate "* ]]; then cat "${t.dir}/comments.json"; fi
`,
          { mode: 0o755 },
        );
        for (const [f, text] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(t.dir, f)), { recursive: true });
          fs.writeFileSync(path.join(t.dir, f), text);
        }
        const temp = path.join(t.dir, "runner-temp");
        fs.mkdirSync(temp);
        const r = spawnSync("bash", ["-e", "-c", script], {
          cwd: t.dir,
          encoding: "utf8",
          env: {
            PATH: `${bin}:${process.env.PATH ?? ""}`,
            HOME: t.dir,
            TMPDIR: temp,
            RUNNER_TEMP: temp,
            GH_REPO: "acme/platform",
            PR_NUMBER: "7",
            HEAD_SHA: "0123456789abcdef0123456789abcdef01234567",
            RUN_URL: "https://github.com/acme/platform/actions/runs/99",
            COMMENT_AUTHOR: BOT,
            REVIEW_RESULT: "changed",
            PLAN_RESULT: "success",
            ENVIRONMENTS: '["dev","prod"]',
            ...env,
          },
        });
        const log = path.join(t.dir, "calls.jsonl");
        const calls = fs.existsSync(log)
          ? fs
              .readFileSync(log, "utf8")
              .trim()
              .split("\n")
              .map((l) => JSON.parse(l) as { args: string[]; input: string })
          : [];
        return { status: r.status, calls, stderr: r.stderr };
      } finally {
        t.cleanup();
      }
    }

    const files = {
      "comments/review/review.md": "## Infrastructure review\n",
      "comments/plan-dev/plan-dev.md": "## Plan dev\n",
      "comments/plan-prod/plan-prod.md": "## Plan prod\n",
    };
    const writes = (calls: Array<{ args: string[]; input: string }>) =>
      calls
        .filter((c) => c.args.includes("--method") && c.input)
        .map((c) => ({
          method: c.args[c.args.indexOf("--method") + 1],
          url: c.args[c.args.indexOf("--method") + 2],
          body: (JSON.parse(c.input) as { body: string }).body,
        }));

    it("edits the bot's comment that starts with the kind's marker, and no other", () => {
      const r = post(
        [
          { id: 1, login: "alice", body: "<!-- cdktf-cloud-run:review -->\nquoted by a human" },
          { id: 2, login: BOT, body: "<!-- cdktf-cloud-run:plan:dev -->\nold dev plan" },
          { id: 3, login: BOT, body: "<!-- cdktf-cloud-run:review -->\nold review" },
          { id: 4, login: BOT, body: "an unrelated bot comment" },
        ],
        files,
        {},
      );
      expect(r.status).toBe(0);
      const w = writes(r.calls);
      expect(w.map((x) => [x.method, x.url])).toEqual([
        ["PATCH", "repos/acme/platform/issues/comments/3"],
        ["PATCH", "repos/acme/platform/issues/comments/2"],
        ["POST", "repos/acme/platform/issues/7/comments"],
      ]);
    });

    it("starts each comment with its hidden marker and ends it with the commit and the run", () => {
      const w = writes(post([], files, {}).calls);
      expect(w.map((x) => x.body.split("\n")[0])).toEqual([
        "<!-- cdktf-cloud-run:review -->",
        "<!-- cdktf-cloud-run:plan:dev -->",
        "<!-- cdktf-cloud-run:plan:prod -->",
      ]);
      expect(w[0].body).toContain("## Infrastructure review");
      expect(w[0].body).toContain(
        "Commit 0123456789ab · [workflow run](https://github.com/acme/platform/actions/runs/99)",
      );
    });

    it("replaces an environment's comment with a notice when its plan did not finish", () => {
      const w = writes(
        post([], { "comments/review/review.md": "review" }, { PLAN_RESULT: "failure" }).calls,
      );
      expect(w[2].body).toContain("terraform plan (prod) did not finish");
    });

    it("replaces every environment's comment with a notice when the plan job did not run", () => {
      const w = writes(
        post([], { "comments/review/review.md": "review" }, { PLAN_RESULT: "skipped" }).calls,
      );
      expect(w.map((x) => x.body.split("\n")[0])).toEqual([
        "<!-- cdktf-cloud-run:review -->",
        "<!-- cdktf-cloud-run:plan:dev -->",
        "<!-- cdktf-cloud-run:plan:prod -->",
      ]);
      expect(w[1].body).toContain("terraform plan (dev) did not run (an earlier job failed)");
    });

    it("replaces the review comment with a notice when the review failed", () => {
      const w = writes(post([], {}, { REVIEW_RESULT: "", ENVIRONMENTS: "[]" }).calls);
      expect(w).toHaveLength(1);
      expect(w[0].body).toContain("**Infrastructure review failed**");
    });

    it("posts only the review when there is no environment", () => {
      const w = writes(
        post([], { "comments/review/review.md": "review" }, { ENVIRONMENTS: "" }).calls,
      );
      expect(w.map((x) => x.body.split("\n")[0])).toEqual(["<!-- cdktf-cloud-run:review -->"]);
    });

    it("replaces a body over GitHub's size limit with a pointer to the run", () => {
      const w = writes(
        post([], { "comments/review/review.md": "x".repeat(70000) }, { ENVIRONMENTS: "[]" }).calls,
      );
      expect(w[0].body.length).toBeLessThan(1000);
      expect(w[0].body).toContain("over GitHub's comment size limit");
    });

    it("labels the pull request when the review found changes", () => {
      const r = post([], files, { REVIEW_RESULT: "changed" });
      expect(r.calls.at(-1)?.args).toEqual([
        "api",
        "--method",
        "POST",
        "repos/acme/platform/issues/7/labels",
        "-f",
        "labels[]=infrastructure-change",
      ]);
    });

    it("removes the label when the review found no change", () => {
      const r = post([], files, { REVIEW_RESULT: "unchanged" });
      expect(r.calls.at(-1)?.args).toEqual([
        "api",
        "--method",
        "DELETE",
        "repos/acme/platform/issues/7/labels/infrastructure-change",
      ]);
    });
  });
});

describe("build.yml", () => {
  it("runs on pushes to main that change a container source, and by hand", () => {
    expect(build.on).toEqual({
      push: { branches: ["main"], paths: ["containers/**"] },
      workflow_dispatch: null,
    });
  });

  it("builds every listed workload into dev with npm run build-image", () => {
    const step = build.jobs.build.steps.find((s) => s.run?.includes("build-image"));
    expect(step?.run).toContain(
      'npm run -s build-image -- --env dev --workload "$workload" --source "$SOURCE_ROOT/$workload"',
    );
    expect(step?.env).toEqual({ WORKLOADS: "${{ needs.workloads.outputs.names }}" });
  });

  it("opens a pull request from a job without cloud credentials", () => {
    const job = build.jobs.propose;
    expect(job.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    expect(usesAction(job, "google-github-actions/auth")).toBe(false);
    expect(stepNamed(job, "Open the pull request").run).toContain("gh pr create");
  });

  describe("the workloads step", () => {
    const script = stepNamed(build.jobs.workloads, "list").run ?? "";
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", args, {
        cwd,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@example.com",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@example.com",
        },
      }).trim();

    function repo(): { dir: string; cleanup: () => void; before: string } {
      const t = tempDir();
      git(t.dir, "init", "-q");
      for (const w of ["api", "orders"]) {
        fs.mkdirSync(path.join(t.dir, "containers", w), { recursive: true });
        fs.writeFileSync(path.join(t.dir, "containers", w, "Dockerfile"), "FROM scratch\n");
      }
      git(t.dir, "add", ".");
      git(t.dir, "commit", "-q", "-m", "one");
      const before = git(t.dir, "rev-parse", "HEAD");
      fs.writeFileSync(path.join(t.dir, "containers", "orders", "main.go"), "package main\n");
      git(t.dir, "add", ".");
      git(t.dir, "commit", "-q", "-m", "two");
      return { ...t, before };
    }

    it("lists only the workloads whose folder changed in the push", () => {
      const t = repo();
      try {
        const r = runStep(script, t.dir, {
          SOURCE_ROOT: "containers",
          EVENT: "push",
          BEFORE: t.before,
        });
        expect(r.status).toBe(0);
        expect(JSON.parse(r.outputs.names)).toEqual(["orders"]);
      } finally {
        t.cleanup();
      }
    });

    it("lists every workload when run by hand or when the push names no known base", () => {
      const t = repo();
      try {
        for (const env of [
          { EVENT: "workflow_dispatch", BEFORE: "" },
          { EVENT: "push", BEFORE: "0000000000000000000000000000000000000000" },
        ]) {
          const r = runStep(script, t.dir, { SOURCE_ROOT: "containers", ...env });
          expect(JSON.parse(r.outputs.names)).toEqual(["api", "orders"]);
        }
      } finally {
        t.cleanup();
      }
    });
  });
});
