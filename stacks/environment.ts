/**
 * Environment files: `environments/<name>.yaml`, validated into a typed `Environment`.
 * One zod schema (stacks/environment-schema.ts) both validates the files and generates
 * `environments/schema.json`.
 *
 * A file is hostile input until validated: its name becomes a stack name and a folder, its keys
 * become object keys, its values are echoed in messages. So the name is checked like a stack name,
 * only regular files are read, bytes must be UTF-8 without NUL, YAML aliases are counted, keys that
 * name JavaScript object properties are refused, and echoed values are capped.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, LineCounter, parseDocument } from "yaml";
import { labelProblems, showValue as show } from "@cdktf-cloud-run/constructs";
import { environmentSchema, Present, WorkloadOverrides } from "./environment-schema";
import { keyPath, quote, SchemaIssue, validate } from "./schema";
import { echoFrom, plainValues } from "./yaml-values";

export { environmentJsonSchema, environmentSchema } from "./environment-schema";
export type { EnvironmentFile, WorkloadOverrides } from "./environment-schema";

/**
 * An environment's name (its file name without `.yaml`): the stack's name, its folder under
 * `cdktf.out/stacks/`, the `environment` label value and part of the state prefix. Label values
 * are at most 63 lowercase letters, digits, `_` or `-`; `_` is left out because names also go into
 * resource ids.
 */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Labels this project sets on every resource of an environment (provider `default_labels`). */
export const MANAGED_LABELS = ["environment", "managed-by"] as const;

/** Largest environment file read (they are a few kB; anything larger is not one). */
const MAX_FILE_BYTES = 1024 * 1024;

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

/** A file name for a message: as is when it is plain, otherwise quoted and escaped. */
export function showFile(file: string): string {
  return /^[\w./@+-]+$/.test(file) ? file : quote(file);
}

/** Parses and validates one environment file's text. `file` is used in messages and for the name. */
export function parseEnvironment(text: string, file: string): Environment {
  const shown = showFile(file);
  const lines = new LineCounter();
  let doc: Document;
  try {
    // Duplicate keys are found in plainValues: the library's own check is quadratic (80 s for
    // 50,000 keys).
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  } catch (e) {
    // The parser's own limits (e.g. nesting so deep its stack runs out).
    throw new EnvironmentFileError(shown, [
      {
        path: "(file)",
        message: `cannot be parsed as YAML: ${(e as Error).message.split("\n")[0]}`,
      },
    ]);
  }
  if (doc.errors.length > 0) {
    throw new EnvironmentFileError(
      shown,
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
  const { value, written } = plainValues(doc, text, lines, issues);
  if (issues.length > 0) throw new EnvironmentFileError(shown, issues);
  const raw = value ?? {};
  const { data, issues: schemaIssues } = validate(environmentSchema, raw, echoFrom(written));
  issues.push(...schemaIssues);
  const name = path.basename(file).replace(/\.ya?ml$/, "");
  if (!ENVIRONMENT_NAME.test(name)) issues.push(...fileNameIssues(`${name}.yaml`, name, []));
  crossCheck(raw, name, issues);
  if (issues.length > 0 || !data) throw new EnvironmentFileError(shown, issues);
  return {
    name,
    file,
    project: data.project,
    region: data.region,
    tier: data.tier,
    state: data.state
      ? {
          bucket: data.state.bucket,
          prefix: data.state.prefix ?? `cloud-run/${name}`,
        }
      : undefined,
    allowPublic: data.allowPublic ?? false,
    deployers: data.deployers ?? [],
    build: {
      grantRunBuilder: data.build?.grantRunBuilder ?? false,
      serviceAccount: data.build?.serviceAccount ?? undefined,
    },
    apis: data.apis ?? [],
    labels: data.labels ?? {},
    images: data.images ?? {},
    overrides: Object.fromEntries(
      Object.entries(data.overrides ?? {}).map(([k, o]) => [k, present(o)]),
    ) as Record<string, WorkloadOverrides>,
  };
}

/** Drops keys written empty (`memory:` with nothing after it): the same as not written. */
function present<T extends object>(o: T): Present<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined),
  ) as Present<T>;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Rules across keys, run on the file's values also when some keys are wrong. */
function crossCheck(raw: unknown, name: string, issues: SchemaIssue[]): void {
  if (!isMapping(raw)) return;
  if (
    typeof raw.tier === "string" &&
    ["staging", "prod"].includes(raw.tier) &&
    (raw.state === undefined || raw.state === null)
  ) {
    issues.push({
      path: "state",
      message: `missing; tier ${raw.tier} needs a GCS backend (state: { bucket, prefix }) — local state is allowed for tier dev only`,
    });
  }
  if (isMapping(raw.overrides)) {
    for (const [workload, o] of Object.entries(raw.overrides)) {
      if (!isMapping(o)) continue;
      if (
        typeof o.minInstances === "number" &&
        typeof o.maxInstances === "number" &&
        o.minInstances > o.maxInstances
      ) {
        issues.push({
          path: `overrides.${workload}.minInstances`,
          message: `${o.minInstances} is above maxInstances ${o.maxInstances}; lower minInstances or raise maxInstances`,
        });
      }
    }
  }
  if (isMapping(raw.labels)) labelIssues(raw.labels, name, issues);
}

/**
 * Top-level `labels:` go on every resource through the provider's default_labels: the constructs'
 * label rules apply (lib/workload/container-rules.ts labelProblems), plus two of this file's own:
 * `environment` and `managed-by` are set here and may not be overridden, and `goog-` keys are
 * Google's (the provider adds `goog-terraform-provisioned` itself).
 */
function labelIssues(labels: Record<string, unknown>, name: string, issues: SchemaIssue[]): void {
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== "string") continue; // reported by the schema
    if ((MANAGED_LABELS as readonly string[]).includes(k)) {
      issues.push({
        path: `labels.${k}`,
        message: `is set by cdktf-cloud-run on every resource (environment: ${quote(name)}, managed-by: "cdktf-cloud-run"); remove it from labels`,
      });
    } else if (k.startsWith("goog-")) {
      issues.push({
        path: keyPath(["labels", k]),
        message: `key ${quote(k)} is in the goog- namespace, reserved by Google; use a key of your own`,
      });
    } else {
      strings[k] = v;
    }
  }
  const all = { ...strings, environment: name, "managed-by": "cdktf-cloud-run" };
  for (const p of labelProblems("labels", "labels", all)) {
    if (p.prop === "labels") {
      issues.push({
        path: "labels",
        message: `${Object.keys(labels).length} labels, and environment and managed-by are added; at most 64 in all (${p.code}). Remove some labels`,
      });
      continue;
    }
    // `CODE: [labels] labels.<key> is VALUE; rule. Fix.`: the key path, then what is wrong.
    const key = p.prop.slice("labels.".length);
    const head = `${p.code}: [labels] ${p.prop} is ${show(p.value)}; `;
    const rule = p.message.startsWith(head) ? p.message.slice(head.length) : p.message;
    const what = p.code === "CR_LABEL_VALUE" ? "value" : "key";
    issues.push({
      path: keyPath(["labels", key]),
      message: `${what} ${quote(String(p.value))}: ${rule.replace(/\.$/, "")} (${p.code})`,
    });
  }
}

/** Reads and validates one file; messages name it relative to the working directory. */
export function loadEnvironment(file: string): Environment {
  const shown = shownPath(file);
  const text = readEnvironmentText(file, showFile(shown));
  if (text === undefined) {
    throw new EnvironmentFileError(showFile(shown), [
      { path: "(file)", message: "is not a regular file" },
    ]);
  }
  return parseEnvironment(text, shown);
}

function shownPath(file: string): string {
  return path.isAbsolute(file) && file.startsWith(process.cwd() + path.sep)
    ? path.relative(process.cwd(), file)
    : file;
}

/**
 * The text of an environment file, or `undefined` when it is not a regular file (a FIFO, a
 * socket, a folder): such a file is never opened, so reading cannot hang. A symbolic link is
 * followed only to a file inside `dir`, so no file elsewhere is read and echoed. Invalid UTF-8
 * and NUL bytes are refused with their line.
 */
export function readEnvironmentText(file: string, shown: string, dir?: string): string | undefined {
  const fail = (message: string) => new EnvironmentFileError(shown, [{ path: "(file)", message }]);
  let stat: fs.Stats;
  try {
    if (dir && fs.lstatSync(file).isSymbolicLink()) {
      const target = fs.realpathSync(file);
      const inside = fs.realpathSync(dir) + path.sep;
      if (!target.startsWith(inside)) {
        throw fail(
          "is a symbolic link to a file outside its folder; environment files are read from their folder only. Copy the file in instead",
        );
      }
    }
    stat = fs.statSync(file);
  } catch (e) {
    if (e instanceof EnvironmentFileError) throw e;
    throw fail(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!stat.isFile()) return undefined;
  if (stat.size > MAX_FILE_BYTES) {
    throw fail(`is ${stat.size} bytes; an environment file is at most ${MAX_FILE_BYTES} bytes`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw fail(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString("utf8");
    throw fail(
      `is not UTF-8 text (line ${lineOf(lossy, lossy.indexOf("\uFFFD"))}); save it as UTF-8`,
    );
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) throw fail(`holds a NUL byte (line ${lineOf(text, nul)}); it is not a text file`);
  return text;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split("\n").length;
}

/** What one folder of environment files holds: the valid environments, the bad files, notes. */
export interface EnvironmentFolder {
  readonly environments: Environment[];
  readonly errors: EnvironmentFileError[];
  /** Files skipped, e.g. a FIFO named `x.yaml`: worth a line on stderr, not an error. */
  readonly notes: string[];
}

/**
 * Every `*.yaml` and `*.yml` in `dir`, sorted by name, each validated; also the rules across
 * files (two files for one name, two environments sharing one Terraform state). Never throws for
 * a bad file: every bad file is in `errors`.
 */
export function readEnvironments(dir: string): EnvironmentFolder {
  const shownDir = shownPath(dir);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    return {
      environments: [],
      errors: [
        new EnvironmentFileError(showFile(shownDir), [
          {
            path: "(folder)",
            message: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          },
        ]),
      ],
      notes: [],
    };
  }
  const files = entries.filter((f) => /\.ya?ml$/i.test(f)).sort();
  const environments: Environment[] = [];
  const errors: EnvironmentFileError[] = [];
  const notes: string[] = [];
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const name = f.replace(/\.ya?ml$/i, "");
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  for (const f of files) {
    const file = path.join(shownDir, f);
    const shown = showFile(file);
    const name = f.replace(/\.ya?ml$/i, "");
    const nameIssues = fileNameIssues(f, name, byName.get(name) ?? []);
    if (nameIssues.length > 0) {
      errors.push(new EnvironmentFileError(shown, nameIssues));
      continue;
    }
    try {
      const text = readEnvironmentText(path.join(dir, f), shown, dir);
      if (text === undefined) {
        notes.push(`${shown} is not a regular file (a FIFO, socket or folder); skipped`);
        continue;
      }
      environments.push(parseEnvironment(text, file));
    } catch (e) {
      if (!(e instanceof EnvironmentFileError)) throw e;
      errors.push(e);
    }
  }
  errors.push(...sharedStateErrors(environments));
  if (files.length === 0 || (environments.length === 0 && errors.length === 0)) {
    errors.push(
      new EnvironmentFileError(showFile(shownDir), [
        { path: "(folder)", message: "holds no environment file (*.yaml)" },
      ]),
    );
  }
  const bad = new Set(errors.map((e) => e.file));
  return {
    environments: environments.filter((e) => !bad.has(showFile(e.file))),
    errors,
    notes,
  };
}

/** A file name is a stack name: see ENVIRONMENT_NAME. */
function fileNameIssues(f: string, name: string, sameName: readonly string[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (!/\.ya?ml$/.test(f)) {
    issues.push({
      path: "(file name)",
      message: `ends in ${quote(f.slice(name.length))}; environment files end in .yaml (lower case)`,
    });
  }
  if (!ENVIRONMENT_NAME.test(name)) {
    issues.push({
      path: "(file name)",
      message: `${quote(name)} is not an environment name: 1–63 lowercase letters, digits or -, starting with a letter (it names the stack, its folder in cdktf.out and the environment label). Rename the file`,
    });
  }
  if (sameName.length > 1) {
    issues.push({
      path: "(file name)",
      message: `${sameName.map(quote).join(" and ")} would both be the environment ${quote(name)}; keep one`,
    });
  }
  return issues;
}

/**
 * Two environments with the same state bucket and prefix share one Terraform state: an apply of
 * one would destroy the other's resources. Both files are named.
 */
function sharedStateErrors(envs: readonly Environment[]): EnvironmentFileError[] {
  const seen = new Map<string, Environment>();
  const out: EnvironmentFileError[] = [];
  for (const env of envs) {
    if (!env.state) continue;
    const where = `gs://${env.state.bucket}/${env.state.prefix.replace(/\/+$/, "")}`;
    const first = seen.get(where);
    if (!first) {
      seen.set(where, env);
      continue;
    }
    for (const [file, other] of [
      [env.file, first.file],
      [first.file, env.file],
    ]) {
      out.push(
        new EnvironmentFileError(showFile(file), [
          {
            path: "state",
            message: `${where} is also the state of ${showFile(other)}: two environments in one Terraform state destroy each other's resources on apply. Give each file its own state.prefix`,
          },
        ]),
      );
    }
  }
  return out;
}

/** Every environment of a folder; throws every bad file at once (see readEnvironments). */
export function loadEnvironments(dir: string): Environment[] {
  const { environments, errors } = readEnvironments(dir);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  return environments;
}

/** Several configuration errors found in one run (bad files, misconfigured stacks), all reported. */
export class ConfigErrors extends Error {
  constructor(public readonly errors: readonly Error[]) {
    super(errors.map((e) => e.message).join("\n\n"));
    this.name = "ConfigErrors";
  }
}
