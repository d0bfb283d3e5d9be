/**
 * Adopts services and jobs that `gcloud run deploy` or the console created: reads what
 * `gcloud run services|jobs describe NAME --format export` prints and prints the catalog entry,
 * the environment file's images and overrides, and the import lines, so the first apply imports
 * instead of re-creating. Mapping: tools/private/adopt-map.ts and adopt-containers.ts.
 *
 * Usage: npm run -s adopt -- FILE… --env <name> [--iam [<workload>=]<policy.json>]…
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { parseAllDocuments } from "yaml";
import {
  ConfigErrors,
  Environment,
  EnvironmentFileError,
  loadEnvironment,
} from "../stacks/environment";
import { EXIT, ToolError, UsageError, progress, runTool, writeProduct } from "./private/cli";
import { AdoptError, AdoptedWorkload, adoptDocument, assignImageKeys } from "./private/adopt-map";
import { report } from "./private/adopt-print";

const TOOL = "adopt";

export const HELP = `Usage: npm run -s adopt -- FILE… (--env <name> | --project <id> [--region <r>]) [options]

Reads Cloud Run services and jobs as gcloud exports them:
  gcloud run services describe NAME --region REGION --format export > api.yaml
  gcloud run jobs describe NAME --region REGION --format export > report.yaml
  gcloud run services get-iam-policy NAME --region REGION --format json > api-iam.json   (optional)
and prints Markdown with (a) the catalog entry of each (TypeScript, the constructs' props), (b) the
images and overrides to add to the environment file, (c) import lines (cdktf importFrom → Terraform
import blocks) for the service or job, its IAM members and its service account, so the first
apply imports instead of re-creating; then every field that no prop expresses, by name, and
what changes on adoption. Product on stdout, progress on stderr.

Options:
  --env <name>        the environment the exports come from (<dir>/<name>.yaml): its project id
                      (the export holds only the project number) and default region
  --dir <folder>      folder of the environment files (default: environments)
  --project <id>      project id, instead of --env
  --region <region>   the environment's default region, with --project (region is written
                      only for workloads elsewhere)
  --iam [<name>=]<f>  IAM policy (get-iam-policy --format json) of workload <name>; the name may
                      be left out when one workload is adopted. Repeatable
  --out <file>        write the Markdown to <file> instead of stdout
  -h, --help          this text

Exit codes:
  0   adopted; every field of the exports is expressed (or ignored as set by Cloud Run)
  2   adopted, but some fields are not expressible: listed under "Not expressible"
  1   a file cannot be read or is not a service/job export; a bad environment file
  64  bad usage
`;

export interface AdoptCliOptions {
  readonly files: readonly string[];
  readonly env?: string;
  readonly dir: string;
  readonly project?: string;
  readonly region?: string;
  readonly iam: readonly string[];
  readonly out?: string;
  readonly help?: boolean;
}

export interface AdoptResult {
  readonly workloads: readonly AdoptedWorkload[];
  readonly environment?: Environment;
  readonly markdown: string;
}

export function parseAdoptArgs(argv: readonly string[]): AdoptCliOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        env: { type: "string" },
        dir: { type: "string" },
        project: { type: "string" },
        region: { type: "string" },
        iam: { type: "string", multiple: true },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const options: AdoptCliOptions = {
    files: parsed.positionals,
    env: v.env as string | undefined,
    dir: (v.dir as string | undefined) ?? "environments",
    project: v.project as string | undefined,
    region: v.region as string | undefined,
    iam: (v.iam as string[] | undefined) ?? [],
    out: v.out as string | undefined,
    help: v.help as boolean | undefined,
  };
  if (options.help) return options;
  if (options.files.length === 0) throw new UsageError("name at least one exported FILE");
  if (!options.env === !options.project)
    throw new UsageError("give exactly one of --env <name> and --project <id>");
  if (options.region && options.env) throw new UsageError("--region goes with --project only");
  return options;
}

/** Reads the exports and policies, maps them, renders the Markdown. */
export function adopt(options: AdoptCliOptions): AdoptResult {
  let environment: Environment | undefined;
  if (options.env) {
    if (!/^[a-z][a-z0-9-]*$/.test(options.env))
      throw new UsageError(`--env ${JSON.stringify(options.env)} is not an environment name`);
    try {
      environment = loadEnvironment(path.join(options.dir, `${options.env}.yaml`));
    } catch (e) {
      if (e instanceof EnvironmentFileError || e instanceof ConfigErrors)
        throw new ToolError(e.message);
      throw e;
    }
  }
  const project = environment?.project ?? options.project!;
  const envRegion = environment?.region ?? options.region;

  const docs: Array<{ doc: unknown; file: string }> = [];
  for (const file of options.files) {
    for (const d of parseAllDocuments(read(file)) as ReturnType<typeof parseAllDocuments>) {
      if (!("errors" in d)) continue;
      if (d.errors.length > 0) throw new ToolError(`${file}: ${d.errors[0].message}`);
      docs.push({ doc: d.toJS(), file });
    }
  }
  if (docs.length === 0)
    throw new ToolError(
      `${options.files.join(", ")}: no YAML document; expected gcloud … describe NAME --format export`,
    );
  const names = docs.map(({ doc }) => (doc as { metadata?: { name?: unknown } })?.metadata?.name);
  const policies = iamPolicies(
    options.iam,
    names.filter((n): n is string => typeof n === "string"),
  );

  const workloads: AdoptedWorkload[] = [];
  const seen = new Set<string>();
  for (const { doc, file } of docs) {
    try {
      const name = (doc as { metadata?: { name?: string } })?.metadata?.name ?? "";
      const w = adoptDocument(doc, file, { project, envRegion, iamPolicy: policies.get(name) });
      if (seen.has(w.name))
        throw new ToolError(`${file}: a second export of ${w.name}; adopt each workload once`);
      seen.add(w.name);
      workloads.push(w);
    } catch (e) {
      if (e instanceof AdoptError) throw new ToolError(e.message);
      throw e;
    }
  }
  const keyed = assignImageKeys(workloads);
  return {
    workloads: keyed,
    environment,
    markdown: report(keyed, { file: environment?.file, project }),
  };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ToolError(`${file}: cannot be read: ${(e as Error).message}`);
  }
}

/** `--iam name=file` (or `--iam file` with a single workload) → parsed policies by workload. */
function iamPolicies(specs: readonly string[], names: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    let name = eq > 0 ? spec.slice(0, eq) : undefined;
    const file = eq > 0 ? spec.slice(eq + 1) : spec;
    if (!name) {
      if (names.length !== 1)
        throw new UsageError(
          `--iam ${spec}: name the workload (--iam <name>=<file>) when adopting several`,
        );
      name = names[0];
    }
    if (!names.includes(name))
      throw new UsageError(
        `--iam ${spec}: no export of a workload "${name}"; exported: ${names.join(", ")}`,
      );
    try {
      out.set(name, JSON.parse(read(file)));
    } catch (e) {
      if (e instanceof ToolError) throw e;
      throw new ToolError(
        `${file}: not JSON (${(e as Error).message}); expected get-iam-policy --format json`,
      );
    }
  }
  return out;
}

export function main(argv: readonly string[]): number {
  const options = parseAdoptArgs(argv);
  if (options.help) {
    writeProduct(HELP);
    return EXIT.ok;
  }
  const result = adopt(options);
  writeProduct(result.markdown, options.out);
  let left = 0;
  for (const w of result.workloads) {
    progress(
      TOOL,
      `${w.name}: ${w.kind} from ${w.file}; ${w.notExpressible.length} field(s) not expressible, ${w.grants.length} IAM member(s)`,
    );
    left += w.notExpressible.length;
  }
  return left > 0 ? EXIT.changes : EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
