/**
 * Builds a container source in CI and records what was pushed: `gcloud builds submit` (a
 * Dockerfile in the source: `--tag IMAGE`; otherwise Google Cloud's buildpacks: `--pack
 * image=IMAGE`) into the environment's Artifact Registry repository, then the pushed image's
 * digest, read from the Build that `--format=json` prints (`results.images[].name` and
 * `.digest`), is written into that environment's `images:` as `REPO/IMAGE@sha256:…` with the
 * same comment-keeping YAML writer as promote. From there `npm run promote` carries it on.
 *
 * Terraform cannot do this: `build_config` on `google_cloud_run_v2_service` stores metadata and
 * starts no build (hashicorp/terraform-provider-google #22263, #23057). See docs/build-image.md.
 *
 * Usage: npm run -s build-image -- --env dev --workload api [--source DIR] [--dry-run]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isMap, parseDocument } from "yaml";
import { parseImageRef } from "@cdktf-cloud-run/constructs";
import { parseEnvironment } from "../stacks/environment";
import { EXIT, ToolError, UsageError, parseCli, progress, runTool } from "./private/cli";
import { setMapEntries } from "./private/yaml-edit";

const TOOL = "build-image";

export const HELP = `Usage: npm run -s build-image -- --env <env> --workload <name> [--source DIR] [--repository REPO] [--tag TAG] [--dir environments] [--dry-run]

Builds the workload's container with Cloud Build (gcloud builds submit) and writes the pushed
image, pinned by digest, into the environment file's images: map (comments kept). A Dockerfile in
the source is built with --tag; without one, Google Cloud's buildpacks build it (--pack).

Options:
  --env <env>          environment (file <dir>/<env>.yaml): project, region and the images: entry; required
  --workload <name>    workload whose images: entry is written (must exist in the file); required
  --source <dir>       source directory (default: .); .gcloudignore applies, as gcloud reads it
  --repository <repo>  Artifact Registry repository to push to
                       (default: REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy, from the file)
  --tag <tag>          image tag (default: the git commit, 12 digits; "latest" outside git)
  --dir <folder>       folder of the environment files (default: environments)
  --dry-run            print the gcloud command, run nothing, write nothing
  -h, --help           this text

Prints the image reference (REPO/WORKLOAD@sha256:…) on stdout; progress and gcloud's own
messages on stderr. Needs the Google Cloud CLI (gcloud) on PATH, authenticated for the project.

Exit codes:
  0   built and written (or the file already held that digest); with --dry-run: command printed
  1   gcloud missing, the build failed, no digest in the build result, or the file could not be written
  64  bad usage, unknown environment or workload (the known ones are listed)
`;

export interface BuildImageOptions {
  readonly env: string;
  readonly workload: string;
  readonly source?: string;
  readonly repository?: string;
  readonly tag?: string;
  readonly dir: string;
  readonly dryRun?: boolean;
  /** Environment of the gcloud process (PATH decides which gcloud runs). @default process.env */
  readonly processEnv?: NodeJS.ProcessEnv;
}

export interface BuildImageResult {
  /** The gcloud command line (argv, gcloud first). */
  readonly command: readonly string[];
  /** `REPO/WORKLOAD@sha256:…`, unless a dry run. */
  readonly reference?: string;
  readonly before?: string;
  readonly file: string;
  readonly written: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const REPOSITORY = /^[a-z0-9-]+-docker\.pkg\.dev\/[a-z][a-z0-9-.:]*[a-z0-9]\/[a-z][a-z0-9-]*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** `REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy`: the repository gcloud's source deploys use. */
export function defaultRepository(project: string, region: string): string {
  return `${region}-docker.pkg.dev/${project.replace(":", "/")}/cloud-run-source-deploy`;
}

/** The gcloud argv for a build of `source` into `image`. */
export function gcloudCommand(o: {
  source: string;
  image: string;
  project: string;
  region: string;
  dockerfile: boolean;
}): string[] {
  return [
    "gcloud",
    "builds",
    "submit",
    o.source,
    ...(o.dockerfile ? [`--tag=${o.image}`] : [`--pack=image=${o.image}`]),
    `--project=${o.project}`,
    `--region=${o.region}`,
    // The Build on stdout as JSON; logs stay out of it (they are on the Cloud Build page).
    "--format=json",
    "--suppress-logs",
  ];
}

/** A shell-quoted command line, for --dry-run and messages. */
export function shellLine(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))
    .join(" ");
}

function defaultTag(cwd: string): string {
  const git = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd, encoding: "utf8" });
  const sha = git.status === 0 ? git.stdout.trim() : "";
  return /^[0-9a-f]{7,40}$/.test(sha) ? sha : "latest";
}

interface BuildJson {
  id?: string;
  status?: string;
  statusDetail?: string;
  logUrl?: string;
  results?: { images?: Array<{ name?: string; digest?: string }> };
}

/** The Build JSON gcloud printed (the last top-level JSON object on stdout). */
export function parseBuild(stdout: string): BuildJson | undefined {
  const start = stdout.search(/^\{/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as BuildJson;
  } catch {
    return undefined;
  }
}

/** `REPO/WORKLOAD@sha256:…` from the build result, for `image` (`REPO/WORKLOAD:TAG`). */
export function pushedReference(build: BuildJson, image: string): string {
  const repoPath = image.replace(/:[^/:]+$/, "");
  const found = (build.results?.images ?? []).find(
    (i) => i.name === image || i.name?.replace(/:[^/:]+$/, "") === repoPath,
  );
  const digest = found?.digest;
  if (!found || !digest || !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new ToolError(
      `the build${build.id ? ` ${build.id}` : ""} reported no digest for ${image} (results.images: ${JSON.stringify(build.results?.images ?? [])}); nothing written. Check the build's log${build.logUrl ? ` at ${build.logUrl}` : ""}.`,
    );
  return `${repoPath}@${digest}`;
}

/** The environment in `text`; an invalid file is a ToolError with the file's problems. */
function checkedEnvironment(text: string, file: string): ReturnType<typeof parseEnvironment> {
  try {
    return parseEnvironment(text, file);
  } catch (e) {
    throw new ToolError((e as Error).message);
  }
}

/** The build and the write; throws UsageError / ToolError. */
export function buildImage(options: BuildImageOptions): BuildImageResult {
  const file = path.join(options.dir, `${options.env}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs.existsSync(options.dir)
      ? fs
          .readdirSync(options.dir)
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => f.slice(0, -5))
          .sort()
      : [];
    throw new UsageError(
      `unknown environment "${options.env}"; known: ${known.join(", ") || "none"}`,
    );
  }
  const text = fs.readFileSync(file, "utf8");
  const env = checkedEnvironment(text, file);
  const doc = parseDocument(text);
  const imagesNode = doc.get("images");
  const current = isMap(imagesNode) ? (imagesNode.toJSON() as Record<string, string>) : {};
  if (!NAME.test(options.workload))
    throw new UsageError(`--workload "${options.workload}" is not a workload name`);
  if (!(options.workload in current))
    throw new UsageError(
      `${file} has no images.${options.workload}; workloads with an image: ${Object.keys(current).join(", ") || "none"}`,
    );

  const source = path.resolve(options.source ?? ".");
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory())
    throw new UsageError(`--source ${options.source ?? "."} is not a directory`);
  const repository = options.repository ?? defaultRepository(env.project, env.region);
  if (!REPOSITORY.test(repository))
    throw new UsageError(
      `--repository "${repository}" is not an Artifact Registry Docker repository (REGION-docker.pkg.dev/PROJECT/REPOSITORY)`,
    );
  const tag = options.tag ?? defaultTag(source);
  if (!TAG.test(tag)) throw new UsageError(`--tag "${tag}" is not a Docker tag`);
  const image = `${repository}/${options.workload}:${tag}`;
  const command = gcloudCommand({
    source,
    image,
    project: env.project,
    region: env.region,
    dockerfile: fs.existsSync(path.join(source, "Dockerfile")),
  });
  if (options.dryRun) return { command, file, written: false, before: current[options.workload] };

  progress(TOOL, `building ${image} with Cloud Build: ${shellLine(command)}`);
  const run = spawnSync(command[0], command.slice(1), {
    encoding: "utf8",
    env: options.processEnv ?? process.env,
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    throw new ToolError(
      code === "ENOENT"
        ? "gcloud is not on PATH: install the Google Cloud CLI (https://cloud.google.com/sdk/docs/install) and authenticate, or use --dry-run to print the command"
        : `could not run gcloud: ${run.error.message}`,
    );
  }
  const build = parseBuild(run.stdout ?? "");
  if (run.status !== 0)
    throw new ToolError(
      `the build failed (gcloud exited ${run.status}${build?.status ? `, build ${build.id ?? ""} ${build.status}` : ""}); nothing written to ${file}. gcloud's messages are above.`,
    );
  if (!build)
    throw new ToolError(`gcloud printed no Build JSON on stdout; nothing written to ${file}`);
  if (build.status && build.status !== "SUCCESS")
    throw new ToolError(
      `build ${build.id ?? ""} ended ${build.status}${build.statusDetail ? ` (${build.statusDetail})` : ""}; nothing written to ${file}`,
    );
  const reference = pushedReference(build, image);
  const parsed = parseImageRef(reference);
  if (!parsed.ok) throw new ToolError(`the build reported ${reference}, ${parsed.reason}`);

  const before = current[options.workload];
  let written = false;
  if (before !== reference) {
    let out: string;
    try {
      out = setMapEntries(text, "images", { [options.workload]: reference });
    } catch (e) {
      throw new ToolError(`${file}: ${(e as Error).message}`);
    }
    checkedEnvironment(out, file);
    fs.writeFileSync(file, out);
    written = true;
  }
  return { command, reference, before, file, written };
}

function main(argv: string[]): number {
  const { values } = parseCli(argv, {
    env: { type: "string" },
    workload: { type: "string" },
    source: { type: "string" },
    repository: { type: "string" },
    tag: { type: "string" },
    dir: { type: "string" },
    "dry-run": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!values.env || !values.workload)
    throw new UsageError("--env <env> and --workload <name> are required");
  const result = buildImage({
    env: values.env,
    workload: values.workload,
    source: values.source,
    repository: values.repository,
    tag: values.tag,
    dir: values.dir ?? "environments",
    dryRun: values["dry-run"],
  });
  if (values["dry-run"]) {
    process.stdout.write(`${shellLine(result.command)}\n`);
    progress(TOOL, `dry run: nothing built, ${result.file} not written`);
    return EXIT.ok;
  }
  process.stdout.write(`${result.reference}\n`);
  if (result.written)
    progress(
      TOOL,
      `${values.workload}: ${result.before ?? "(none)"} → ${result.reference}; wrote ${result.file}`,
    );
  else progress(TOOL, `${result.file} already holds ${result.reference}`);
  return EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
