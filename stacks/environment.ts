/**
 * Environment files: `environments/<name>.yaml`, validated into a typed `Environment`.
 * One schema (below) both validates the files and generates `environments/schema.json`.
 */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import {
  bool,
  field,
  list,
  num,
  object,
  oneOf,
  record,
  str,
  strOrNum,
  SchemaIssue,
  SchemaType,
} from "./schema";

const NAME = /^[a-z][a-z0-9-]*$/;
const MEMBER =
  /^(user:|group:|serviceAccount:|domain:|principal:\/\/|principalSet:\/\/)[^\s]+$|^allUsers$|^allAuthenticatedUsers$/;

const overridesSchema = object(
  {
    minInstances: field(num("minimum instances", { integer: true, min: 0 })),
    maxInstances: field(num("maximum instances", { integer: true, min: 1 })),
    instances: field(num("worker pool instance count", { integer: true, min: 0 })),
    concurrency: field(num("requests per instance", { integer: true, min: 1, max: 1000 })),
    cpu: field(strOrNum('CPU limit, e.g. "1" or 2')),
    memory: field(str('memory limit, e.g. "512Mi"')),
    timeout: field(strOrNum('request timeout, e.g. "300s"')),
    tasks: field(num("job task count", { integer: true, min: 1, max: 10000 })),
    parallelism: field(num("job parallelism", { integer: true, min: 0 })),
    maxRetries: field(num("job retries per task", { integer: true, min: 0, max: 10 })),
    taskTimeout: field(strOrNum('job task timeout, e.g. "10m"')),
    env: field(record(str("value"), "extra environment variables")),
    labels: field(record(str("value"), "extra labels")),
    deletionProtection: field(bool("deletion protection, overriding the tier default")),
  },
  "per-environment values for one workload of the catalog",
);

export const environmentSchema = object(
  {
    project: field(
      str("Google Cloud project id", {
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        patternHint: "a project id (6–30 lowercase letters, digits, hyphens; starts with a letter)",
      }),
      true,
    ),
    region: field(
      str("default region of every workload", {
        pattern: /^[a-z]+-[a-z]+[0-9]$/,
        patternHint: 'a region such as "us-central1"',
      }),
      true,
    ),
    tier: field(
      oneOf(["dev", "staging", "prod"] as const, "safety defaults: dev | staging | prod"),
      true,
    ),
    state: field(
      object(
        {
          bucket: field(
            str("GCS bucket of the Terraform state", {
              pattern: /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/,
              patternHint: "a bucket name",
            }),
            true,
          ),
          prefix: field(str("object prefix of the state")),
        },
        "GCS backend; omitted: local state (dev tier only)",
      ),
    ),
    allowPublic: field(bool("may services allow unauthenticated calls?")),
    deployers: field(
      list(
        str("IAM member", {
          pattern: MEMBER,
          patternHint: "an IAM member such as group:platform@acme.example",
        }),
        "who deploys: members granted the Cloud Run deployer roles",
      ),
    ),
    build: field(
      object(
        {
          grantRunBuilder: field(
            bool("grant roles/run.builder to the Cloud Build service account"),
          ),
          serviceAccount: field(
            str("build service account email", {
              pattern:
                /^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$|^[^@\s]+@developer\.gserviceaccount\.com$/,
              patternHint: "a service account email",
            }),
          ),
        },
        "source builds",
      ),
    ),
    apis: field(
      list(
        str("API", {
          pattern: /^[a-z][a-z0-9.-]*\.googleapis\.com$/,
          patternHint: "an API such as pubsub.googleapis.com",
        }),
        "extra APIs to enable",
      ),
    ),
    labels: field(record(str("label value"), "labels on every workload")),
    images: field(
      record(str("image reference"), "what promotion moves: workload name → image", {
        pattern: NAME,
        hint: "a workload name",
      }),
    ),
    overrides: field(
      record(overridesSchema, "per-workload overrides", { pattern: NAME, hint: "a workload name" }),
    ),
  },
  "a cdktf-cloud-run environment",
);

export type EnvironmentFile = NonNullable<SchemaType<typeof environmentSchema>>;
export type WorkloadOverrides = NonNullable<SchemaType<typeof overridesSchema>>;

/** A validated environment file with its defaults applied. */
export interface Environment {
  /** File name without `.yaml`; the stack's name. */
  readonly name: string;
  /** Path of the file it came from. */
  readonly file: string;
  readonly project: string;
  readonly region: string;
  readonly tier: "dev" | "staging" | "prod";
  readonly state?: { readonly bucket: string; readonly prefix: string };
  readonly allowPublic: boolean;
  readonly deployers: readonly string[];
  readonly build: { readonly grantRunBuilder: boolean; readonly serviceAccount?: string };
  readonly apis: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly images: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, WorkloadOverrides>>;
}

/** A bad environment file: names the file and lists every problem with its key path. */
export class EnvironmentFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly issues: readonly SchemaIssue[],
  ) {
    super(
      `ENV_INVALID: ${file} has ${issues.length} problem${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n"),
    );
    this.name = "EnvironmentFileError";
  }
}

/** Parses and validates one environment file's text. `file` is used in messages and for the name. */
export function parseEnvironment(text: string, file: string): Environment {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new EnvironmentFileError(
      file,
      doc.errors.map((e) => {
        const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
        return {
          path: `line ${line}, column ${col}`,
          message: `YAML syntax: ${e.message.split("\n")[0]}`,
        };
      }),
    );
  }
  const issues: SchemaIssue[] = [];
  const data = environmentSchema.check(doc.toJS() ?? {}, "", issues);
  if (data) crossCheck(data, issues);
  if (issues.length > 0 || !data) throw new EnvironmentFileError(file, issues);
  const name = path.basename(file).replace(/\.ya?ml$/, "");
  return {
    name,
    file,
    project: data.project!,
    region: data.region!,
    tier: data.tier!,
    state: data.state
      ? { bucket: data.state.bucket!, prefix: data.state.prefix ?? `cloud-run/${name}` }
      : undefined,
    allowPublic: data.allowPublic ?? false,
    deployers: data.deployers ?? [],
    build: {
      grantRunBuilder: data.build?.grantRunBuilder ?? false,
      serviceAccount: data.build?.serviceAccount,
    },
    apis: data.apis ?? [],
    labels: data.labels ?? {},
    images: data.images ?? {},
    overrides: data.overrides ?? {},
  };
}

function crossCheck(data: EnvironmentFile, issues: SchemaIssue[]): void {
  if (data.tier && data.tier !== "dev" && !data.state) {
    issues.push({
      path: "state",
      message: `missing; tier ${data.tier} needs a GCS backend (state: { bucket, prefix }) — local state is allowed for tier dev only`,
    });
  }
  for (const [name, o] of Object.entries(data.overrides ?? {})) {
    if (
      o.minInstances !== undefined &&
      o.maxInstances !== undefined &&
      o.minInstances > o.maxInstances
    ) {
      issues.push({
        path: `overrides.${name}.minInstances`,
        message: `${o.minInstances} is above maxInstances ${o.maxInstances}; lower minInstances or raise maxInstances`,
      });
    }
  }
}

/** Reads and validates one file; messages name it relative to the working directory. */
export function loadEnvironment(file: string): Environment {
  const shown =
    path.isAbsolute(file) && file.startsWith(process.cwd() + path.sep)
      ? path.relative(process.cwd(), file)
      : file;
  return parseEnvironment(readFile(file, shown), shown);
}

function readFile(file: string, shown: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new EnvironmentFileError(shown, [
      { path: "(file)", message: `cannot be read: ${(e as Error).message}` },
    ]);
  }
}

/** Every `*.yaml` in `dir`, sorted by name; every bad file is reported, not only the first. */
export function loadEnvironments(dir: string): Environment[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) {
    throw new EnvironmentFileError(dir, [
      { path: "(folder)", message: "holds no environment file (*.yaml)" },
    ]);
  }
  const envs: Environment[] = [];
  const bad: EnvironmentFileError[] = [];
  for (const f of files) {
    try {
      envs.push(loadEnvironment(path.join(dir, f)));
    } catch (e) {
      if (!(e instanceof EnvironmentFileError)) throw e;
      bad.push(e);
    }
  }
  if (bad.length === 1) throw bad[0];
  if (bad.length > 1) throw new ConfigErrors(bad);
  return envs;
}

/** Several configuration errors found in one run (bad files, misconfigured stacks), all reported. */
export class ConfigErrors extends Error {
  constructor(public readonly errors: readonly Error[]) {
    super(errors.map((e) => e.message).join("\n\n"));
    this.name = "ConfigErrors";
  }
}
