/**
 * Checks the layers of the library package (lib/): the one place their order is written down.
 *
 * - Every source file of lib/ belongs to a layer: its top folder (`lib/service/…` → `service`),
 *   or `index` for lib/index.ts. A file elsewhere (a new folder, a file at lib/'s top) fails until
 *   its folder is added to LAYERS.
 * - An import points down: to its own folder, or to a folder of a lower layer. Folders of one layer
 *   are siblings and never import each other (a construct that needs another's code moves it down).
 * - No import cycle between files, not even inside a folder and not even through `import type`
 *   (a type both sides need moves down a layer or into a file of its own).
 * - main.ts, stacks/ and tools/ use the package by its name (`@cdktf-cloud-run/constructs`), as an
 *   outside repository would: no relative path into lib/, no deep import of the package's files.
 *   Tests (__tests__/) may import internals.
 *
 * Import specifiers are read with TypeScript's `preProcessFile` (imports, `export … from`,
 * `import type`, `import()` and `require`), so comments and strings are not mistaken for imports.
 *
 * Usage: npm run check:layers [-- ROOT]
 * Exit codes: 0 clean; 1 violations (one line each); 64 bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

/** Lowest first. Folders in one entry are siblings: they may import only lower entries. */
export const LAYERS: readonly (readonly string[])[] = [
  ["core"],
  ["apis"],
  ["iam"],
  ["workload"],
  ["artifact-repository", "service", "function", "job", "worker-pool"],
  ["checks"],
  ["index"],
];

/** The package name outside code imports the library by. */
export const PACKAGE = "@cdktf-cloud-run/constructs";

/** Folders of the app (besides main.ts) that must use the package by its name. */
const APP_DIRS = ["stacks", "tools"];

const SKIP_DIRS = new Set(["node_modules", "dist", "cdktf.out", ".git"]);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...sourceFiles(full));
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(full);
    }
  }
  return out.sort();
}

/** The module specifiers a file imports or re-exports. */
export function importsOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** The file a relative specifier names, if it exists (`./x` → x.ts or x/index.ts). */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec.replace(/\.js$/, ""));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The layer (folder) of a file of lib/, or undefined when it sits outside every layer. */
function folderOf(libDir: string, file: string): string | undefined {
  const rel = path.relative(libDir, file).split(path.sep);
  if (rel.length === 1) return rel[0] === "index.ts" ? "index" : undefined;
  return LAYERS.some((l) => l.includes(rel[0]!)) ? rel[0] : undefined;
}

function rankOf(folder: string): number {
  return LAYERS.findIndex((l) => l.includes(folder));
}

/** Every cycle of the graph, once each (as found by a depth-first walk), as file lists. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const walk = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "open") {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join("\n");
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...cycle, next]);
        }
      } else if (s === undefined) {
        walk(next);
      }
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) walk(node);
  return cycles;
}

/** The violations in the repository at `root` (one message each); empty when clean. */
export function checkLayers(root: string): string[] {
  const libDir = path.join(root, "lib");
  const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");
  const problems: string[] = [];
  const graph = new Map<string, string[]>();

  for (const file of sourceFiles(libDir)) {
    const folder = folderOf(libDir, file);
    if (folder === undefined) {
      problems.push(
        `${rel(file)}: outside every layer; put it in a folder of LAYERS (tools/check-layers.ts) or add its folder there`,
      );
      continue;
    }
    const edges: string[] = [];
    graph.set(file, edges);
    for (const spec of importsOf(fs.readFileSync(file, "utf8"))) {
      if (spec === PACKAGE || spec.startsWith(`${PACKAGE}/`)) {
        problems.push(`${rel(file)}: imports "${spec}", its own package; use a relative path`);
        continue;
      }
      if (!spec.startsWith(".")) continue;
      const target = resolveRelative(file, spec);
      if (target === undefined) continue; // tsc reports what does not resolve
      if (!target.startsWith(libDir + path.sep)) {
        problems.push(`${rel(file)}: imports "${spec}" (${rel(target)}), outside the package`);
        continue;
      }
      edges.push(target);
      const to = folderOf(libDir, target);
      if (to === undefined || to === folder) continue;
      const [a, b] = [rankOf(folder), rankOf(to)];
      if (b > a) {
        problems.push(
          `${rel(file)}: imports "${spec}" (${rel(target)}): upward, ${folder} is below ${to}; move what both need down`,
        );
      } else if (b === a) {
        problems.push(
          `${rel(file)}: imports "${spec}" (${rel(target)}): ${folder} and ${to} are siblings; move what both need down`,
        );
      }
    }
  }

  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle: ${cycle.map(rel).join(" -> ")}`);
  }

  const appFiles = [
    ...(fs.existsSync(path.join(root, "main.ts")) ? [path.join(root, "main.ts")] : []),
    ...APP_DIRS.flatMap((d) => sourceFiles(path.join(root, d))),
  ];
  for (const file of appFiles) {
    for (const spec of importsOf(fs.readFileSync(file, "utf8"))) {
      if (spec.startsWith(`${PACKAGE}/`)) {
        problems.push(`${rel(file)}: imports "${spec}"; import "${PACKAGE}" (its only entry)`);
        continue;
      }
      if (!spec.startsWith(".")) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (target === libDir || target.startsWith(libDir + path.sep)) {
        problems.push(
          `${rel(file)}: imports "${spec}", the library's internals; import "${PACKAGE}" as an outside repository would`,
        );
      }
    }
  }
  return problems;
}

function main(argv: string[]): number {
  if (argv.includes("--help") || argv.length > 1) {
    process.stdout.write(
      "Usage: npm run check:layers [-- ROOT]\nChecks lib/'s layers, cycles and deep imports.\n",
    );
    return argv.includes("--help") ? 0 : 64;
  }
  const root = path.resolve(argv[0] ?? path.join(__dirname, ".."));
  const problems = checkLayers(root);
  for (const p of problems) process.stderr.write(`${p}\n`);
  const order = LAYERS.map((l) => l.join(" | ")).join(" < ");
  if (problems.length > 0) {
    process.stderr.write(`check-layers: ${problems.length} violation(s); order: ${order}\n`);
    return 1;
  }
  process.stdout.write(`check-layers: clean (${order})\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
