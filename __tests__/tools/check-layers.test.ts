/**
 * tools/check-layers.ts on small fixture trees written to a temporary folder (removed after each
 * test): each violation kind is reported, so the CI step cannot pass by reading nothing.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { LAYERS, checkLayers, findCycles, importsOf } from "../../tools/check-layers";

const ROOT = path.join(__dirname, "..", "..");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-layers-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path → content) under the fixture root. */
function tree(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

/** A clean library: core below workload below service, index on top. */
const CLEAN = {
  "lib/core/errors.ts": "export const code = 1;\n",
  "lib/workload/workload.ts": 'import { code } from "../core/errors";\nexport const w = code;\n',
  "lib/service/service.ts": 'import { w } from "../workload/workload";\nexport const s = w;\n',
  "lib/index.ts": 'export { s } from "./service/service";\n',
  "main.ts": 'import { s } from "@cdktf-cloud-run/constructs";\nconsole.log(s);\n',
};

describe("check-layers", () => {
  test("a tree whose imports point down has no violation", () => {
    tree(CLEAN);
    expect(checkLayers(dir)).toEqual([]);
  });

  test("reports an upward import (core importing workload)", () => {
    tree({
      ...CLEAN,
      "lib/core/errors.ts": 'import { w } from "../workload/workload";\nexport const code = w;\n',
    });
    const problems = checkLayers(dir);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^lib\/core\/errors\.ts: imports "\.\.\/workload\/workload".*upward, core is below workload/,
      ),
    );
  });

  test("reports an import between siblings (function importing service)", () => {
    tree({
      ...CLEAN,
      "lib/function/function.ts":
        'import type { s } from "../service/service";\nexport type F = typeof s;\n',
    });
    expect(checkLayers(dir)).toEqual([
      expect.stringMatching(/^lib\/function\/function\.ts: .*function and service are siblings/),
    ]);
  });

  test("reports a cycle inside one folder, also through import type", () => {
    tree({
      ...CLEAN,
      "lib/service/a.ts": 'import type { B } from "./b";\nexport interface A { b?: B }\n',
      "lib/service/b.ts": 'import type { A } from "./a";\nexport interface B { a?: A }\n',
    });
    expect(checkLayers(dir)).toEqual([
      "import cycle: lib/service/a.ts -> lib/service/b.ts -> lib/service/a.ts",
    ]);
  });

  test("reports a relative import of lib internals from stacks/, main.ts and tools/", () => {
    tree({
      ...CLEAN,
      "stacks/app.ts": 'import { w } from "../lib/workload/workload";\nexport const x = w;\n',
      "main.ts": 'import { s } from "./lib";\nconsole.log(s);\n',
      "tools/t.ts": 'export const t = import("../lib/core/errors");\n',
    });
    const problems = checkLayers(dir);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^stacks\/app\.ts: imports "\.\.\/lib\/workload\/workload", the library's internals/,
        ),
        expect.stringMatching(/^main\.ts: imports "\.\/lib", the library's internals/),
        expect.stringMatching(
          /^tools\/t\.ts: imports "\.\.\/lib\/core\/errors", the library's internals/,
        ),
      ]),
    );
  });

  test("reports a deep import of the package from stacks/", () => {
    tree({
      ...CLEAN,
      "stacks/app.ts":
        'import { w } from "@cdktf-cloud-run/constructs/workload/workload";\nexport const x = w;\n',
    });
    expect(checkLayers(dir)).toEqual([
      expect.stringMatching(
        /^stacks\/app\.ts: imports "@cdktf-cloud-run\/constructs\/workload\/workload"/,
      ),
    ]);
  });

  test("tests under __tests__ may import internals", () => {
    tree({
      ...CLEAN,
      "__tests__/w.test.ts":
        'import { w } from "../lib/workload/workload";\ntest("w", () => expect(w).toBe(1));\n',
    });
    expect(checkLayers(dir)).toEqual([]);
  });

  test("reports a file outside every layer", () => {
    tree({ ...CLEAN, "lib/helpers/x.ts": "export const x = 1;\n", "lib/top.ts": "export {};\n" });
    expect(checkLayers(dir)).toEqual([
      expect.stringMatching(/^lib\/helpers\/x\.ts: outside every layer/),
      expect.stringMatching(/^lib\/top\.ts: outside every layer/),
    ]);
  });

  test("reads imports, re-exports, import type, import() and require, not comments", () => {
    const text = [
      '// import { no } from "./comment";',
      'import a from "./a";',
      'import type { B } from "./b";',
      'export { c } from "./c";',
      'export * from "./d";',
      'const e = require("./e");',
      'const f = import("./f");',
      "const g = \"import x from './string'\";",
    ].join("\n");
    expect(importsOf(text)).toEqual(["./a", "./b", "./c", "./d", "./e", "./f"]);
  });

  test("findCycles finds a cycle of three and none in a diamond", () => {
    const cycle = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(findCycles(cycle)).toEqual([["a", "b", "c", "a"]]);
    const diamond = new Map([
      ["a", ["b", "c"]],
      ["b", ["d"]],
      ["c", ["d"]],
      ["d", []],
    ]);
    expect(findCycles(diamond)).toEqual([]);
  });

  test("every folder of lib/ is a layer, and the repository is clean", () => {
    const folders = fs
      .readdirSync(path.join(ROOT, "lib"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== "dist" && e.name !== "node_modules")
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(
      LAYERS.flat()
        .filter((l) => l !== "index")
        .sort(),
    );
    expect(checkLayers(ROOT)).toEqual([]);
  });

  test("the CLI exits 1 and names the violation on a bad tree", () => {
    tree({
      ...CLEAN,
      "lib/core/x.ts": 'import { s } from "../service/service";\nexport const x = s;\n',
    });
    const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const r = spawnSync(process.execPath, [tsx, path.join(ROOT, "tools", "check-layers.ts"), dir], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('lib/core/x.ts: imports "../service/service"');
    expect(r.stderr).toContain("check-layers: 1 violation(s)");
  });
});
