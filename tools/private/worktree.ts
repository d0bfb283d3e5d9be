/**
 * Git and synth for review: resolve a ref, check it out in a temporary `git worktree` (sharing
 * the repository's node_modules through a symlink), and synthesize a tree into a temporary
 * folder, returning each stack's parsed cdk.tf.json.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { onInterrupt } from "./cleanup";
import { ToolError } from "./cli";
import { Stacks, TfJson } from "./tf-diff";

/** What the app is run with when cdktf.json names no `app`. */
export const DEFAULT_APP = "node --conditions=cdktf-cloud-run-source --import tsx main.ts";

function git(cwd: string, args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.error) throw new ToolError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0)
    throw new ToolError(`git ${args.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/** The top folder of the git repository holding `cwd`. */
export function repoRoot(cwd: string): string {
  return git(cwd, ["rev-parse", "--show-toplevel"]);
}

/** The commit a ref names; a ToolError naming the ref when git does not know it. */
export function resolveCommit(root: string, ref: string): string {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  if (r.status !== 0)
    throw new ToolError(
      `git does not know the ref "${ref}"; fetch it first (CI: actions/checkout with fetch-depth: 0).`,
    );
  return r.stdout.trim();
}

/**
 * Runs `fn` in a temporary worktree of `commit`, removing the worktree and its folder afterwards,
 * also when the tool is interrupted (SIGINT, SIGTERM, SIGHUP).
 */
export async function withWorktree<T>(
  root: string,
  commit: string,
  fn: (dir: string) => Promise<T> | T,
): Promise<T> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "review-base-"));
  const dir = path.join(tmp, "tree");
  const cleanup = onInterrupt(() => {
    spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: root });
    fs.rmSync(tmp, { recursive: true, force: true });
    spawnSync("git", ["worktree", "prune"], { cwd: root });
  });
  try {
    git(root, ["worktree", "add", "--detach", dir, commit]);
    // The repository's packages, one folder up (Node looks there after the tree's node_modules),
    // and in the tree's own node_modules the library package linked to the tree's lib/: a link
    // to the repository's node_modules as a whole would make the base commit's app load the
    // working tree's lib/ through node_modules/@cdktf-cloud-run/constructs.
    const modules = path.join(root, "node_modules");
    if (fs.existsSync(modules) && !fs.existsSync(path.join(dir, "node_modules"))) {
      fs.symlinkSync(modules, path.join(tmp, "node_modules"), "dir");
      const scope = path.join(dir, "node_modules", "@cdktf-cloud-run");
      fs.mkdirSync(scope, { recursive: true });
      fs.symlinkSync(path.join("..", "..", "lib"), path.join(scope, "constructs"), "dir");
      fs.symlinkSync(path.join(modules, ".bin"), path.join(dir, "node_modules", ".bin"), "dir");
    }
    return await fn(dir);
  } finally {
    cleanup();
  }
}

/** The synth command: `override`, else cdktf.json's `app`, else DEFAULT_APP. */
export function appCommand(dir: string, override?: string): string {
  if (override) return override;
  const file = path.join(dir, "cdktf.json");
  if (fs.existsSync(file)) {
    try {
      const app = (JSON.parse(fs.readFileSync(file, "utf8")) as { app?: unknown }).app;
      if (typeof app === "string" && app.trim() !== "") return app;
    } catch {
      // A broken cdktf.json is the app's business; fall back to the default command.
    }
  }
  return DEFAULT_APP;
}

/**
 * Every `stacks/<name>/cdk.tf.json` below an output folder. Absolute paths into the synthesized
 * tree (`root`; a local backend's state path) are made relative, so base and head compare.
 */
export function readStacks(outdir: string, root?: string): Stacks {
  const stacksDir = path.join(outdir, "stacks");
  const out: Record<string, TfJson> = {};
  if (!fs.existsSync(stacksDir)) return out;
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) continue;
    let text = fs.readFileSync(file, "utf8");
    if (root) text = text.split(JSON.stringify(root).slice(1, -1)).join(".");
    out[name] = JSON.parse(text) as TfJson;
  }
  return out;
}

/**
 * Variables the base synth must not inherit: they point the app at the head's files or change
 * what it writes (ENVIRONMENTS_DIR would make the base read the head's environment files, and
 * "No changes" would hide a real change). Every `CDKTF_*` variable is cleared too.
 */
export const BASE_CLEARED = ["ENVIRONMENTS_DIR", "SYNTH_HCL_OUTPUT", "TSX_TSCONFIG_PATH"] as const;

/** Cleared for the head as well: review needs every stack, as JSON. */
export const ALWAYS_CLEARED = [
  "SYNTH_HCL_OUTPUT",
  "CDKTF_TARGET_STACK_ID",
  "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS",
] as const;

/** The environment a synth runs with: `side` "base" drops what could point it at the head. */
export function synthEnv(
  side: "base" | "head",
  outdir: string,
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...from };
  for (const name of ALWAYS_CLEARED) delete env[name];
  if (side === "base") {
    for (const name of BASE_CLEARED) delete env[name];
    for (const name of Object.keys(env)) if (name.startsWith("CDKTF_")) delete env[name];
  }
  return { ...env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
}

/** Variables of `from` that the head synth sees but the base does not (for a note). */
export function headOnlyVariables(from: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(from)
    .filter(
      (n) =>
        (n === "ENVIRONMENTS_DIR" || n === "TSX_TSCONFIG_PATH" || n.startsWith("CDKTF_")) &&
        n !== "CDKTF_OUTDIR" &&
        !(ALWAYS_CLEARED as readonly string[]).includes(n),
    )
    .sort();
}

/** Runs `command` through the shell in its own process group, killed with the tool. */
function run(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd, env, shell: true, detached: true });
    const chunks: string[] = [];
    let size = 0;
    const keep = (data: Buffer) => {
      // The last 64 KB are enough for the error message.
      const text = data.toString("utf8");
      chunks.push(text);
      size += text.length;
      while (size > 65536 && chunks.length > 1) size -= chunks.shift()!.length;
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const stop = onInterrupt(() => {
      try {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    });
    child.on("error", (e) => {
      stop();
      reject(new ToolError(`cannot run ${command}: ${e.message}`));
    });
    child.on("close", (status, signal) => {
      stop();
      resolve({ status, signal, output: chunks.join("") });
    });
  });
}

/**
 * Synthesizes the app in `dir` into a temporary folder (CDKTF_OUTDIR) and reads the stacks.
 * `side` "base" clears the variables that would point the app at the head (BASE_CLEARED,
 * CDKTF_*). A failing synth is a ToolError carrying the end of the app's output.
 */
export async function synthesize(
  dir: string,
  label: string,
  app?: string,
  side: "base" | "head" = "head",
): Promise<Stacks> {
  const command = appCommand(dir, app);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "review-out-"));
  const cleanup = onInterrupt(() => fs.rmSync(outdir, { recursive: true, force: true }));
  try {
    const r = await run(command, dir, synthEnv(side, outdir));
    if (r.status !== 0) {
      const detail = r.output.trim().split("\n").slice(-30).join("\n");
      const how = r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
      throw new ToolError(`synth of ${label} failed (${command}, ${how}):\n${detail}`);
    }
    const stacks = readStacks(outdir, dir);
    // An app that ignores CDKTF_OUTDIR writes to its own cdktf.out.
    return Object.keys(stacks).length > 0 ? stacks : readStacks(path.join(dir, "cdktf.out"), dir);
  } finally {
    cleanup();
  }
}
