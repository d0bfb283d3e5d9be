/**
 * Creates the Terraform state bucket(s) of environments: synthesizes one small local-state stack
 * per bucket (tools/private/bootstrap-stack.ts) and prints the commands that apply it.
 *
 * Usage: npm run -s bootstrap -- --env prod [--env staging …] | --all
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { App } from "cdktf";
import {
  ConfigErrors,
  Environment,
  EnvironmentFileError,
  loadEnvironments,
} from "../stacks/environment";
import { EXIT, ToolError, UsageError, progress, runTool, writeProduct } from "./private/cli";
import {
  BOOTSTRAP_PREFIX,
  BootstrapError,
  StateBucketPlan,
  StateBucketStack,
  planStateBuckets,
} from "./private/bootstrap-stack";

const TOOL = "bootstrap";

export const HELP = `Usage: npm run -s bootstrap -- (--env <name> [--env <name> …] | --all) [options]

Synthesizes one small stack per state bucket named in the environment files' state: (several
environments may share a bucket with distinct prefixes), with LOCAL state, that creates the
bucket as Google recommends for Terraform state: versioning on, uniform bucket-level access,
public access prevention enforced, force_destroy off, and lifecycle prevent_destroy. Prints the
commands that apply it (stdout); progress goes to stderr. Needs no credentials to synthesize.

Options:
  --env <name>       environment (file <dir>/<name>.yaml); repeat for several. Its bucket's
                     stack lists every environment of <dir> that shares the bucket
  --all              every environment of <dir> that has state: (others are skipped)
  --dir <folder>     folder of the environment files (default: environments)
  --out <folder>     synth output (default: cdktf.out/bootstrap); stacks/<stack>/cdk.tf.json
  --state-dir <dir>  where the local state files go (default: bootstrap), one per bucket
  --project <id>     project of the bucket(s) (default: the project of the highest-tier
                     environment using the bucket)
  --location <loc>   bucket location (default: that environment's region), e.g. US, EU
  --migrate          synthesize the stack with the bucket itself as its backend (prefix
                     "${BOOTSTRAP_PREFIX}"), after the first apply, and print how to move the state
  -h, --help         this text

Exit codes:
  0   synthesized; the commands are on stdout
  1   an environment file is invalid, has no state:, or two environments share bucket and prefix
  64  bad usage (no --env nor --all, unknown option)
`;

export interface BootstrapOptions {
  readonly envs?: readonly string[];
  readonly all?: boolean;
  readonly dir: string;
  readonly out: string;
  readonly stateDir: string;
  readonly project?: string;
  readonly location?: string;
  readonly migrate?: boolean;
}

export interface BootstrapResult {
  readonly buckets: readonly StateBucketPlan[];
  readonly skipped: readonly string[];
  /** The commands and notes printed on stdout. */
  readonly text: string;
}

/** Loads the environments, synthesizes one stack per bucket into `out`, returns the commands. */
export function bootstrap(options: BootstrapOptions): BootstrapResult {
  const envs = loadSelected(options);
  let planned: ReturnType<typeof planStateBuckets>;
  try {
    planned = planStateBuckets(envs, options, !options.all);
  } catch (e) {
    if (e instanceof BootstrapError) throw new ToolError(e.message);
    throw e;
  }
  if (planned.buckets.length === 0) {
    throw new ToolError(
      `no environment in ${options.dir} has state: (all use local state); nothing to bootstrap`,
    );
  }
  fs.mkdirSync(options.out, { recursive: true });
  const app = new App({ outdir: options.out });
  for (const plan of planned.buckets) {
    new StateBucketStack(app, plan, {
      backend: options.migrate ? { gcs: true } : { local: stateFile(options, plan) },
    });
  }
  app.synth();
  return { ...planned, text: commands(planned.buckets, options) };
}

/**
 * The environments of the selected buckets: every environment of the folder whose state is in a
 * bucket that a named environment uses, so the bucket's stack (its project, its outputs) does not
 * depend on which of its environments were named.
 */
function loadSelected(options: BootstrapOptions): Environment[] {
  for (const name of options.envs ?? []) {
    if (!/^[a-z][a-z0-9-]*$/.test(name))
      throw new UsageError(`--env ${JSON.stringify(name)} is not an environment name`);
    if (!fs.existsSync(path.join(options.dir, `${name}.yaml`)))
      throw new UsageError(
        `no environment ${name}: ${path.join(options.dir, `${name}.yaml`)} does not exist`,
      );
  }
  const all = loadEnvironments(options.dir);
  if (options.all) return all;
  const named = all.filter((e) => options.envs?.includes(e.name));
  const buckets = new Set(named.map((e) => e.state?.bucket).filter((b) => b !== undefined));
  return [
    ...named,
    ...all.filter((e) => !named.includes(e) && e.state && buckets.has(e.state.bucket)),
  ];
}

function stateFile(options: BootstrapOptions, plan: StateBucketPlan): string {
  return path.join(options.stateDir, `${plan.bucket}.tfstate`);
}

function commands(buckets: readonly StateBucketPlan[], options: BootstrapOptions): string {
  const lines: string[] = [];
  for (const plan of buckets) {
    const dir = path.join(options.out, "stacks", plan.stackName);
    const tf = `terraform -chdir=${dir}`;
    const envs = plan.environments.map((e) => `${e.name} (prefix ${e.prefix})`).join(", ");
    lines.push(
      `# State bucket gs://${plan.bucket} in project ${plan.project}, location ${plan.location}`,
      `# holds the state of: ${envs}`,
      ...plan.notes.map((n) => `# note: ${n}`),
    );
    if (!options.migrate) {
      lines.push(
        `# 1. Create it (needs roles/storage.admin on ${plan.project}). Its own state stays in`,
        `#    ${path.resolve(stateFile(options, plan))}: keep that file, or do step 3.`,
        `${tf} init`,
        `#    (if the bucket exists already: ${tf} import google_storage_bucket.state ${plan.project}/${plan.bucket})`,
        `${tf} apply`,
        `# 2. The environments can now use it: npx cdktf deploy ${plan.environments.map((e) => e.name).join(" ")}`,
        `# 3. Optional: keep this stack's state in the bucket too (prefix ${BOOTSTRAP_PREFIX}):`,
        `npm run -s bootstrap -- ${selection(options)} --migrate`,
      );
    } else {
      lines.push(
        `# Move this stack's local state into the bucket (prefix ${BOOTSTRAP_PREFIX}), then check that`,
        `# the plan is empty and delete the local file:`,
        `${tf} init -reconfigure`,
        `${tf} state push ${path.resolve(stateFile(options, plan))}`,
        `${tf} plan`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

function selection(options: BootstrapOptions): string {
  const parts = options.all ? ["--all"] : (options.envs ?? []).map((e) => `--env ${e}`);
  if (options.dir !== "environments") parts.push(`--dir ${options.dir}`);
  if (options.out !== DEFAULT_OUT) parts.push(`--out ${options.out}`);
  if (options.project) parts.push(`--project ${options.project}`);
  if (options.location) parts.push(`--location ${options.location}`);
  return parts.join(" ");
}

const DEFAULT_OUT = path.join("cdktf.out", "bootstrap");

/** Parses the command line (`--env` may repeat). */
export function parseBootstrapArgs(argv: readonly string[]): BootstrapOptions & { help?: boolean } {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        env: { type: "string", multiple: true },
        all: { type: "boolean" },
        dir: { type: "string" },
        out: { type: "string" },
        "state-dir": { type: "string" },
        project: { type: "string" },
        location: { type: "string" },
        migrate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const envs = (values.env as string[] | undefined) ?? [];
  if (!values.help && envs.length === 0 && !values.all)
    throw new UsageError("name the environments: --env <name> (repeatable) or --all");
  if (envs.length > 0 && values.all) throw new UsageError("--env and --all exclude each other");
  return {
    help: values.help as boolean | undefined,
    envs,
    all: values.all as boolean | undefined,
    dir: (values.dir as string | undefined) ?? "environments",
    out: (values.out as string | undefined) ?? DEFAULT_OUT,
    stateDir: (values["state-dir"] as string | undefined) ?? "bootstrap",
    project: values.project as string | undefined,
    location: values.location as string | undefined,
    migrate: values.migrate as boolean | undefined,
  };
}

export function main(argv: readonly string[]): number {
  const options = parseBootstrapArgs(argv);
  if (options.help) {
    writeProduct(HELP);
    return EXIT.ok;
  }
  let result: BootstrapResult;
  try {
    result = bootstrap(options);
  } catch (e) {
    // A bad environment file: its message names the file and every problem.
    if (e instanceof EnvironmentFileError || e instanceof ConfigErrors)
      throw new ToolError(e.message);
    throw e;
  }
  for (const name of result.skipped) progress(TOOL, `${name}: local state, nothing to bootstrap`);
  for (const plan of result.buckets)
    progress(TOOL, `synthesized ${path.join(options.out, "stacks", plan.stackName)}`);
  writeProduct(result.text);
  return EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
