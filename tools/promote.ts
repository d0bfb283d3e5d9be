/**
 * Promotes image references between environment files: copies `images:` entries from one
 * environment to another, keeping the target's comments and key order, and prints the diff.
 *
 * Usage: npm run -s promote -- --from dev --to staging [--only api,worker] [--dry-run] [--dir environments]
 */
import * as fs from "fs";
import * as path from "path";
import { Document, isMap, parseDocument } from "yaml";
import { parseImageRef } from "@cdktf-cloud-run/constructs";
import { parseEnvironment } from "../stacks/environment";
import { EXIT, ToolError, UsageError, parseCli, progress, runTool } from "./private/cli";
import { readText, replaceFile } from "./private/safe-write";
import { unifiedDiff } from "./private/unified-diff";
import { setMapEntries } from "./private/yaml-edit";

const TOOL = "promote";

export const HELP = `Usage: npm run -s promote -- --from <env> --to <env> [--only a,b] [--dry-run] [--dir environments]

Copies the image references of the source environment's \`images:\` map into the target
environment file, keeping its comments, key order and line endings, and prints a unified diff
of the target. A reference without an @sha256 digest is refused for a target whose tier is prod.
The target is replaced atomically (a temporary file in the same folder, renamed over it), and
only when it still holds what was read.

Options:
  --from <env>    source environment (file <dir>/<env>.yaml); required
  --to <env>      target environment; required
  --only <names>  comma-separated workload names (default: every image of the source)
  --dry-run       print the diff, write nothing
  --dir <folder>  folder of the environment files (default: environments)
  -h, --help      this text

Exit codes:
  0   promoted, or nothing to change (the diff is on stdout; empty when nothing changed)
  1   refused or failed, nothing written (tag-only image into prod, invalid reference, a target
      that is already invalid or changed meanwhile, a file that cannot be read or written)
  64  bad usage, unknown environment or workload name (the known ones are listed)
`;

export interface PromoteOptions {
  readonly from: string;
  readonly to: string;
  readonly only?: readonly string[];
  readonly dir: string;
  readonly dryRun?: boolean;
}

export interface PromoteResult {
  /** The unified diff of the target file ("" when nothing changed). */
  readonly diff: string;
  /** Workload → [old reference or undefined, new reference], for the changed entries. */
  readonly changed: ReadonlyArray<{ name: string; before?: string; after: string }>;
  readonly file: string;
  readonly written: boolean;
}

/** Environment names: the `*.yaml` files of `dir`. */
export function knownEnvironments(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new UsageError(`no environment folder ${dir}`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

function load(file: string): { text: string; doc: Document } {
  const text = readText(file);
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ToolError(`${file}: ${doc.errors[0].message}`);
  return { text, doc };
}

/** The environment loader's verdict on `text`, as a plain message (undefined when valid). */
function problems(text: string, file: string): string | undefined {
  try {
    parseEnvironment(text, file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

function images(doc: Document): Record<string, string> {
  const node = doc.get("images");
  if (!isMap(node)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.toJSON() as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** A computed promotion, not yet written: the target's text as read and as it will be. */
export interface PreparedPromotion extends PromoteResult {
  readonly before: string;
  readonly after: string;
}

/** Reads both files and computes the promotion; writes nothing. */
export function preparePromotion(options: PromoteOptions): PreparedPromotion {
  const known = knownEnvironments(options.dir);
  for (const env of [options.from, options.to])
    if (!known.includes(env))
      throw new UsageError(`unknown environment "${env}"; known: ${known.join(", ")}`);
  if (options.from === options.to)
    throw new UsageError("--from and --to name the same environment");

  const sourceFile = path.join(options.dir, `${options.from}.yaml`);
  const targetFile = path.join(options.dir, `${options.to}.yaml`);
  const source = images(load(sourceFile).doc);
  const available = Object.keys(source);
  if (available.length === 0) throw new ToolError(`${sourceFile} has no images: to promote`);
  const names = options.only ?? available;
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0)
    throw new UsageError(
      `unknown workload${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}; ${options.from} has images for: ${available.join(", ")}`,
    );

  const target = load(targetFile);
  const invalid = problems(target.text, targetFile);
  if (invalid)
    throw new ToolError(
      `${targetFile} is not a valid environment file, before any change; nothing written. Fix it first:\n${invalid}`,
    );
  const tier = target.doc.get("tier");
  const current = images(target.doc);
  const refusals: string[] = [];
  for (const name of names) {
    const parsed = parseImageRef(source[name]);
    if (!parsed.ok)
      refusals.push(`${name}: "${source[name]}" is not an image reference (${parsed.reason})`);
    else if (tier === "prod" && !parsed.ref.digest)
      refusals.push(
        `${name}: "${source[name]}" has a tag but no @sha256 digest; ${options.to} is tier prod, which takes digests only. Pin the image by digest in ${options.from} first.`,
      );
  }
  if (refusals.length > 0)
    throw new ToolError(
      `refused, nothing written to ${targetFile}:\n  - ${refusals.join("\n  - ")}`,
    );

  const changed: Array<{ name: string; before?: string; after: string }> = [];
  for (const name of names)
    if (current[name] !== source[name])
      changed.push({ name, before: current[name], after: source[name] });
  let text = target.text;
  if (changed.length > 0) {
    try {
      text = setMapEntries(
        target.text,
        "images",
        Object.fromEntries(changed.map((c) => [c.name, c.after])),
      );
    } catch (e) {
      throw new ToolError(`${targetFile}: ${(e as Error).message}`);
    }
  }
  // The result must still be a valid environment file holding exactly the promoted references.
  const broken = problems(text, targetFile);
  if (broken)
    throw new ToolError(
      `${targetFile} would not be valid after the promotion; nothing written:\n${broken}`,
    );
  const after = images(parseDocument(text));
  for (const c of changed)
    if (after[c.name] !== c.after)
      throw new ToolError(`${targetFile}: could not set images.${c.name}; edit it by hand`);
  const rel = path.relative(process.cwd(), targetFile);
  const label = rel.startsWith("..") ? path.resolve(targetFile) : rel;
  return {
    diff: unifiedDiff(target.text, text, label),
    changed,
    file: targetFile,
    written: false,
    before: target.text,
    after: text,
  };
}

/**
 * Writes a prepared promotion: atomically (temporary file + rename), and only when the target
 * still holds the text it was prepared from.
 */
export function writePromotion(prepared: PreparedPromotion): PromoteResult {
  if (prepared.changed.length > 0) replaceFile(prepared.file, prepared.after, prepared.before);
  const { diff, changed, file } = prepared;
  return { diff, changed, file, written: prepared.changed.length > 0 };
}

/** The promotion itself; throws UsageError / ToolError, writes only when not a dry run. */
export function promote(options: PromoteOptions): PromoteResult {
  const prepared = preparePromotion(options);
  if (options.dryRun) {
    const { diff, changed, file } = prepared;
    return { diff, changed, file, written: false };
  }
  return writePromotion(prepared);
}

function main(argv: string[]): number {
  const { values } = parseCli(argv, {
    from: { type: "string" },
    to: { type: "string" },
    only: { type: "string" },
    "dry-run": { type: "boolean" },
    dir: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!values.from || !values.to) throw new UsageError("--from <env> and --to <env> are required");
  const only = values.only
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.only !== undefined && only?.length === 0)
    throw new UsageError("--only needs at least one workload name");
  const result = promote({
    from: values.from,
    to: values.to,
    only,
    dir: values.dir ?? "environments",
    dryRun: values["dry-run"],
  });
  process.stdout.write(result.diff);
  for (const c of result.changed) progress(TOOL, `${c.name}: ${c.before ?? "(none)"} → ${c.after}`);
  if (result.changed.length === 0) progress(TOOL, `${result.file} is already up to date`);
  else if (result.written) progress(TOOL, `wrote ${result.file}`);
  else progress(TOOL, `dry run: ${result.file} not written`);
  return EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
