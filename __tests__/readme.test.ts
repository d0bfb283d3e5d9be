/**
 * Every TypeScript example in README.md is run here, so the docs cannot rot: each ```ts block
 * runs with `this` bound to a stack that has a Google provider (project acme-dev, region
 * us-central1), with every export of lib/ and cdktf in scope, then synthesizes with
 * validations on. A block whose first line is `// illustration` is skipped (fragments).
 */
import * as fs from "fs";
import * as path from "path";
import { transformSync } from "@swc/core";
import * as cdktf from "cdktf";
import * as lib from "../lib";
import { plainStack, synth } from "./helpers";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

function examples(): Array<{ line: number; code: string }> {
  const out: Array<{ line: number; code: string }> = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  for (const m of README.matchAll(re)) {
    const line = README.slice(0, m.index).split("\n").length;
    if (!m[1].startsWith("// illustration")) out.push({ line, code: m[1] });
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

const cases = examples();

test("README.md has TypeScript examples", () => {
  expect(cases.length).toBeGreaterThan(0);
});

test.each(cases.map((c) => [c.line, c.code] as const))(
  "README example at line %i synthesizes",
  (_line, code) => {
    const json = synth(run(code));
    expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(0);
  },
);
