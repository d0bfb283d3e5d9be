/**
 * Every TypeScript example in README.md and docs/**\/*.md is run here, so the docs cannot rot:
 * each ```ts block runs with `this` bound to a stack that has a Google provider (project
 * acme-dev, region us-central1), with every export of lib/ and cdktf in scope, then synthesizes
 * with validations on. A block whose first line is `// illustration` is skipped (fragments).
 */
import * as fs from "fs";
import * as path from "path";
import { transformSync } from "@swc/core";
import * as cdktf from "cdktf";
import * as lib from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "./helpers";

const ROOT = path.join(__dirname, "..");

/** README.md and every Markdown page under docs/, as paths relative to the repository. */
function pages(): string[] {
  const out = ["README.md"];
  const walk = (dir: string): void => {
    if (!fs.existsSync(path.join(ROOT, dir))) return;
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith(".md")) out.push(rel);
    }
  };
  walk("docs");
  return out.sort();
}

function examples(page: string): Array<{ page: string; line: number; code: string }> {
  const text = fs.readFileSync(path.join(ROOT, page), "utf8");
  const out: Array<{ page: string; line: number; code: string }> = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  for (const m of text.matchAll(re)) {
    const line = text.slice(0, m.index).split("\n").length;
    if (!m[1].startsWith("// illustration")) out.push({ page, line, code: m[1] });
  }
  return out;
}

function run(code: string): cdktf.TerraformStack {
  const stack = plainStack({ project: "acme-dev", region: "us-central1" });
  const body = code.replace(/^import .*$/gm, "");
  const js = transformSync(body, {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  }).code;
  const scope: Record<string, unknown> = { ...cdktf, ...lib };
  const names = Object.keys(scope).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  new Function(...names, js).call(stack, ...names.map((n) => scope[n]));
  return stack;
}

const cases = pages().flatMap(examples);

test("the docs have TypeScript examples", () => {
  expect(cases.length).toBeGreaterThan(0);
});

test.each(cases.map((c) => [c.page, c.line, c.code] as const))(
  "%s example at line %i synthesizes",
  (_page, _line, code) => {
    const json = synth(run(code));
    expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(0);
  },
);
