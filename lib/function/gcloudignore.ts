/**
 * `.gcloudignore` rules with gcloud's semantics (`gcloud topic gcloudignore`,
 * https://cloud.google.com/sdk/gcloud/reference/topic/gcloudignore): gitignore syntax (comments,
 * `!` negation, trailing `/` for directories only, a `/` elsewhere anchors the pattern to the
 * top-level directory, `*`, `?`, `[…]`, `**`), the last matching rule wins, and a file inside an
 * excluded directory cannot be re-included. `#!include:FILE` inserts the rules of another
 * gitignore-style file of the same directory at that point (the usual `#!include:.gitignore`).
 * gcloud reads only the `.gcloudignore` of the top-level directory, and so does this module.
 *
 * Without a `.gcloudignore`, gcloud applies the file it would generate (`DEFAULT_IGNORE_FILE` in
 * the Cloud SDK's `googlecloudsdk/command_lib/util/gcloudignore.py`: `.gcloudignore`, `.git`,
 * `.gitignore`, plus `#!include:.gitignore` when a `.gitignore` exists); `gcloud functions deploy`
 * adds `node_modules` to it (`command_lib/functions/source_util.py`), since the build installs
 * dependencies itself.
 */
import * as fs from "fs";
import * as path from "path";

/** One compiled line. */
export interface IgnoreRule {
  /** The line as written (for messages). */
  readonly pattern: string;
  /** Where it came from: `.gcloudignore:3`, `.gitignore:7` or `default`. */
  readonly source: string;
  readonly negate: boolean;
  readonly dirOnly: boolean;
  readonly regex: RegExp;
}

/** gcloud's generated default, for functions (with `node_modules`). */
export const DEFAULT_GCLOUDIGNORE = [".gcloudignore", ".git", ".gitignore", "node_modules"];

/** How deep `#!include:` may nest before it is a loop. */
const MAX_INCLUDE_DEPTH = 8;

/**
 * The rules for `root` (an existing directory): its `.gcloudignore` when there is one, otherwise
 * gcloud's default. `fail` receives problems with include directives (missing file, a path out of
 * the directory, include loops).
 */
export function ignoreRulesFor(root: string, fail: (why: string) => void): IgnoreRule[] {
  const own = path.join(root, ".gcloudignore");
  if (fs.existsSync(own)) return readRules(root, ".gcloudignore", fail, 0);
  const rules = DEFAULT_GCLOUDIGNORE.map((p) => compileRule(p, "default")!);
  if (fs.existsSync(path.join(root, ".gitignore")))
    rules.push(...readRules(root, ".gitignore", fail, 1));
  return rules;
}

function readRules(
  root: string,
  file: string,
  fail: (why: string) => void,
  depth: number,
): IgnoreRule[] {
  if (depth > MAX_INCLUDE_DEPTH) {
    fail(`#!include directives nest deeper than ${MAX_INCLUDE_DEPTH} levels at ${file} (a loop?)`);
    return [];
  }
  const full = path.resolve(root, file);
  if (path.relative(root, full).startsWith("..") || path.isAbsolute(path.relative(root, full))) {
    fail(`#!include:${file} names a file outside the source directory`);
    return [];
  }
  let text: string;
  try {
    text = fs.readFileSync(full, "utf8");
  } catch {
    fail(`#!include:${file}: the file does not exist`);
    return [];
  }
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const include = /^#!include:(.+)$/.exec(line.trim());
    if (include) {
      rules.push(...readRules(root, include[1].trim(), fail, depth + 1));
      return;
    }
    const rule = compileRule(line, `${file}:${i + 1}`);
    if (rule) rules.push(rule);
  });
  return rules;
}

/** One gitignore line as a rule; `undefined` for blank lines and comments. */
export function compileRule(line: string, source: string): IgnoreRule | undefined {
  // Trailing spaces are ignored unless escaped with a backslash.
  let p = line.replace(/(?<!\\)\s+$/, "");
  if (p === "" || p.startsWith("#")) return undefined;
  let negate = false;
  if (p.startsWith("!")) {
    negate = true;
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith("/") && !p.endsWith("\\/")) {
    dirOnly = true;
    p = p.replace(/\/+$/, "");
  }
  if (p === "") return undefined;
  const anchored = p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);
  const body = globToRegex(p);
  const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
  return { pattern: line.trim(), source, negate, dirOnly, regex };
}

function globToRegex(glob: string): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (glob.startsWith("**/", i) && (i === 0 || glob[i - 1] === "/")) {
      out += "(?:.*/)?";
      i += 3;
    } else if (
      glob.startsWith("**", i) &&
      i + 2 === glob.length &&
      (i === 0 || glob[i - 1] === "/")
    ) {
      out += ".*";
      i += 2;
    } else if (c === "*") {
      out += "[^/]*";
      i++;
    } else if (c === "?") {
      out += "[^/]";
      i++;
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        out += "\\[";
        i++;
      } else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith("!")) cls = `^${cls.slice(1)}`;
        out += `[${cls.replace(/\\/g, "\\\\")}]`;
        i = end + 1;
      }
    } else if (c === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1]);
      i += 2;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * The rule that decides `rel` (a `/`-separated path relative to the top-level directory), or
 * `undefined` when none matches; the path is ignored when that rule is not a negation. The
 * caller does not descend into ignored directories, which is how gcloud keeps their files out.
 */
export function decidingRule(
  rules: readonly IgnoreRule[],
  rel: string,
  isDir: boolean,
): IgnoreRule | undefined {
  let found: IgnoreRule | undefined;
  for (const rule of rules) {
    if (rule.dirOnly && !isDir) continue;
    if (rule.regex.test(rel)) found = rule;
  }
  return found;
}
