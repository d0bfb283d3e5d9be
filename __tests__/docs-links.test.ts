/**
 * Every relative Markdown link in README.md and docs/**\/*.md points at a file that exists, and
 * its `#anchor`, if any, at a heading of that page (GitHub's slugs). Links in code blocks and
 * inline code are not links; http(s) and mailto links are not checked (no network in tests).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

function pages(): string[] {
  const out = ["README.md"];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("docs");
  return out.sort();
}

/** The text of a page without fenced code blocks and inline code (their brackets are not links). */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/(`+)[\s\S]*?\1/g, "");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutCode = markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const m of withoutCode.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const text = m[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/<[^>]+>/g, "")
      .toLowerCase();
    const base = text.replace(/[^\p{L}\p{N}\p{M}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** `[text](target)` links of a page: target and line. */
function links(markdown: string): Array<{ target: string; line: number }> {
  const text = prose(markdown);
  const out: Array<{ target: string; line: number }> = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    out.push({ target: m[1], line: text.slice(0, m.index).split("\n").length });
  }
  return out;
}

describe("anchors and links (the parser the test relies on)", () => {
  test("slugs follow GitHub: punctuation dropped, spaces to dashes, repeats numbered", () => {
    const md =
      "# A: b\n## `grantRun` and `x.y`\n## Errors\n## Errors\n```sh\n# not a heading\n```\n";
    expect([...anchors(md)]).toEqual(["a-b", "grantrun-and-xy", "errors", "errors-1"]);
  });

  test("links in code are not links", () => {
    const md = "see [a](a.md) and `[b](b.md)`\n```ts\n[c](c.md)\n```\n[d](d.md#x)\n";
    expect(links(md).map((l) => l.target)).toEqual(["a.md", "d.md#x"]);
  });
});

const cases = pages().flatMap((page) =>
  links(fs.readFileSync(path.join(ROOT, page), "utf8"))
    .filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l.target))
    .map((l) => [page, l.line, l.target] as const),
);

test("the docs have relative links", () => {
  expect(cases.length).toBeGreaterThan(10);
});

test.each(cases)("%s line %i: %s exists", (page, _line, target) => {
  const [file, anchor] = target.split("#", 2) as [string, string | undefined];
  const resolved = file === "" ? path.join(ROOT, page) : path.join(ROOT, path.dirname(page), file);
  expect(fs.existsSync(resolved) ? resolved : `missing: ${resolved}`).toBe(resolved);
  if (anchor !== undefined && resolved.endsWith(".md")) {
    const found = anchors(fs.readFileSync(resolved, "utf8"));
    expect(found.has(anchor) ? anchor : `no heading #${anchor} in ${file || page}`).toBe(anchor);
  }
});

/**
 * Source paths the docs name in inline code (`lib/workload/prerequisites.ts`,
 * `__tests__/lib/service/cloud-run-service.test.ts`) exist: a file moved without its mentions
 * would send a reader nowhere. Globs (`lib/**`) are not paths.
 */
const SOURCE_PATH = /`((?:lib|__tests__|tools|stacks)\/[\w./-]+\.(?:ts|js|sh))`/g;
const named = pages().flatMap((page) => {
  const text = fs.readFileSync(path.join(ROOT, page), "utf8");
  return [...text.matchAll(SOURCE_PATH)].map(
    (m) => [page, text.slice(0, m.index).split("\n").length, m[1]] as const,
  );
});

test("the docs name source files", () => {
  expect(named.length).toBeGreaterThan(10);
});

test.each(named)("%s line %i names %s, which exists", (_page, _line, file) => {
  expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
});
