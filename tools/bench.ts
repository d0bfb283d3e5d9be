/**
 * npm run bench: synth time and peak memory at growing sizes, against two baselines, checked
 * against the budgets of DESIGN.md §5.
 *
 * For each size (environments × workloads in total) it generates, in a temporary folder:
 * - ours: an app using the public API of lib/, imported by package name from its compiled
 *   JavaScript (lib/dist, built by `npm run bench` first) (tools/bench/apps.ts);
 * - the floor: the resources our synth produced, emitted with the raw provider classes through
 *   deep imports, no constructs (tools/bench/floor.ts); checked to synthesize the same JSON;
 * - the classic set-up (small sizes): the floor program importing the provider barrels, run
 *   with ts-node type-checking.
 * Each synth is a separate process: one warm-up, then --runs measured runs (interleaved), median.
 * Also the reference app (main.ts with environments/*.yaml; it too loads lib/dist, as no source
 * condition is set) and `cdktf synth` end to end.
 *
 * Usage: npm run -s bench -- [--quick] [--sizes 1x10,10x1000] [--classic-sizes 1x10]
 *          [--runs 3] [--json out.json] [--no-classic] [--no-reference] [--no-cli]
 *          [--npm-test] [--keep] [--write-docs] [--from-json FILE]
 * Output: Markdown on stdout, progress on stderr, JSON with --json; --write-docs also writes the
 * figures into docs/performance.md (between its bench markers); --from-json FILE renders a saved
 * --json report instead of measuring.
 * Exit codes: 0 measured and every measured budget met; 2 measured, a budget missed;
 *             1 a synth failed (or another error); 64 bad usage.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  BenchSize,
  WORKLOAD_CONSTRUCTS,
  benchEnvironments,
  exportedConstructs,
  renderOursApp,
  TIMING_HOOK,
} from "./bench/apps";
import {
  FloorStack,
  firstDifference,
  floorStack,
  normalizeSynth,
  renderFloorProgram,
  resourceCounts,
} from "./bench/floor";
import {
  BenchReport,
  Machine,
  Measure,
  ReferenceResult,
  SizeResult,
  benchCommand,
  checkBudgets,
  renderMarkdown,
  renderPerformanceSection,
  replacePerformanceSection,
  summarize,
} from "./bench/report";
import { RunError, RunSpec, Sample, hasGnuTime, runOnce } from "./bench/run";
import { EXIT, UsageError, parseCli, progress, runTool, writeProduct } from "./private/cli";

const TOOL = "bench";
const ROOT = path.resolve(__dirname, "..");
const LIB_PACKAGE = "@cdktf-cloud-run/constructs";

export const HELP = `Usage: npm run -s bench -- [options]

Synth time and peak memory of generated apps (environments × workloads), against the floor
(same resources, raw provider classes, deep imports) and the classic set-up (provider barrels,
ts-node type-checking), plus the reference app and \`cdktf synth\`. Markdown on stdout.

Options:
  --quick                 small subset: sizes 1x10,3x100,10x1000, classic at 1x10, 1 run
  --sizes LIST            sizes as ENVSxWORKLOADS, comma-separated
                          (default: 1x10,1x100,1x1000,3x10,3x100,3x1000,10x10,10x100,10x1000)
  --classic-sizes LIST    sizes where the classic set-up runs (default: 1x10,1x100)
  --runs N                measured runs per synth after one warm-up (default 3)
  --json FILE             also write the results as JSON
  --no-classic            skip the classic set-up
  --no-reference          skip the reference app and the cdktf CLI
  --no-cli                skip \`cdktf synth\` (the CLI) only
  --npm-test              also time \`npm test\` once (type-check and every test)
  --source-maps           keep Node's source maps on in ours and the floor (tsx's default;
                          main.ts turns them off, and so do ours and the floor by default)
  --keep                  keep the temporary folder (printed on stderr)
  --write-docs            also write the figures into docs/performance.md
  --from-json FILE        measure nothing: render the report FILE (from --json) instead
                          (with --write-docs: write it into docs/performance.md)
  -h, --help              this help

Exit codes: 0 every measured budget met; 2 a budget missed; 1 a synth failed; 64 bad usage.
`;

export const DEFAULT_SIZES = "1x10,1x100,1x1000,3x10,3x100,3x1000,10x10,10x100,10x1000";
export const DEFAULT_CLASSIC_SIZES = "1x10,1x100";
const QUICK = { sizes: "1x10,3x100,10x1000", classic: "1x10", runs: 1 };

/** `1x10,10x1000` → sizes; throws UsageError on anything else. */
export function parseSizes(list: string, option = "--sizes"): BenchSize[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\d+)x(\d+)$/.exec(s);
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
        throw new UsageError(`${option}: "${s}" is not ENVSxWORKLOADS (e.g. 10x1000)`);
      return { envs: Number(m[1]), workloads: Number(m[2]) };
    });
}

interface Options {
  readonly sizes: BenchSize[];
  readonly classicSizes: BenchSize[];
  readonly runs: number;
  readonly json?: string;
  readonly reference: boolean;
  readonly cli: boolean;
  readonly npmTest: boolean;
  readonly keep: boolean;
  readonly sourceMaps: boolean;
  readonly writeDocs: boolean;
  readonly fromJson?: string;
  /** The measuring command, for the page (`npm run -s bench -- --npm-test`). */
  readonly command: string;
}

export function parseOptions(argv: readonly string[]): Options | "help" {
  const { values } = parseCli(argv, {
    quick: { type: "boolean" },
    sizes: { type: "string" },
    "classic-sizes": { type: "string" },
    runs: { type: "string" },
    json: { type: "string" },
    "no-classic": { type: "boolean" },
    "no-reference": { type: "boolean" },
    "no-cli": { type: "boolean" },
    "npm-test": { type: "boolean" },
    keep: { type: "boolean" },
    "source-maps": { type: "boolean" },
    "write-docs": { type: "boolean" },
    "from-json": { type: "string" },
  });
  if (values.help) return "help";
  const runs = values.runs ?? String(values.quick ? QUICK.runs : 3);
  if (!/^\d+$/.test(runs) || Number(runs) < 1)
    throw new UsageError(`--runs: "${runs}" is not a positive integer`);
  return {
    sizes: parseSizes(values.sizes ?? (values.quick ? QUICK.sizes : DEFAULT_SIZES)),
    classicSizes: values["no-classic"]
      ? []
      : parseSizes(
          values["classic-sizes"] ?? (values.quick ? QUICK.classic : DEFAULT_CLASSIC_SIZES),
          "--classic-sizes",
        ),
    runs: Number(runs),
    json: values.json,
    reference: !values["no-reference"],
    cli: !values["no-reference"] && !values["no-cli"],
    npmTest: values["npm-test"] ?? false,
    keep: values.keep ?? false,
    sourceMaps: values["source-maps"] === true,
    writeDocs: values["write-docs"] === true,
    fromJson: values["from-json"],
    command: benchCommand(argv),
  };
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.versions.node,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGb: os.totalmem() / 2 ** 30,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg(),
  };
}

/** Reads every stack's cdk.tf.json of a synth output folder, by stack name. */
function readStacks(outdir: string): Map<string, Record<string, unknown>> {
  const dir = path.join(outdir, "stacks");
  const out = new Map<string, Record<string, unknown>>();
  for (const name of fs.readdirSync(dir).sort())
    out.set(name, JSON.parse(fs.readFileSync(path.join(dir, name, "cdk.tf.json"), "utf8")));
  return out;
}

function compareSynths(
  a: Map<string, Record<string, unknown>>,
  b: Map<string, Record<string, unknown>>,
): string | undefined {
  const names = [...new Set([...a.keys(), ...b.keys()])];
  for (const n of names) {
    const d = firstDifference(normalizeSynth(a.get(n)), normalizeSynth(b.get(n)), n);
    if (d) return d;
  }
  return undefined;
}

const CLASSIC_TSCONFIG = {
  // The compiler options of `cdktf init --template=typescript`.
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ["es2018", "dom"],
    module: "CommonJS",
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: "ES2018",
    incremental: true,
    skipLibCheck: true,
    types: ["node"],
  },
  include: ["**/*.ts"],
  exclude: ["node_modules", "cdktf.out"],
};

class Bench {
  readonly tmp: string;
  readonly hook: string;
  readonly samples = new Map<string, Sample[]>();

  constructor(readonly options: Options) {
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-bench-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(this.tmp, "node_modules"), "dir");
    this.hook = path.join(this.tmp, "timing-hook.cjs");
    fs.writeFileSync(this.hook, TIMING_HOOK);
    fs.writeFileSync(
      path.join(this.tmp, "no-source-maps.cjs"),
      "process.setSourceMapsEnabled(false);\n",
    );
    fs.writeFileSync(
      path.join(this.tmp, "tsconfig.json"),
      `${JSON.stringify(CLASSIC_TSCONFIG, null, 2)}\n`,
    );
  }

  run(key: string, spec: RunSpec, record: boolean): Sample {
    const sample = runOnce(spec, this.hook);
    if (record) this.samples.set(key, [...(this.samples.get(key) ?? []), sample]);
    return sample;
  }

  measure(key: string): Measure | undefined {
    const s = this.samples.get(key);
    return s && s.length > 0 ? summarize(s) : undefined;
  }

  cleanup(): void {
    if (this.options.keep) progress(TOOL, `kept ${this.tmp}`);
    else fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Unless --source-maps: the app's first import turns Node's source maps off, as main.ts does. */
function withoutSourceMaps(source: string, sourceMaps: boolean): string {
  return sourceMaps ? source : `import ${JSON.stringify(NO_SOURCE_MAPS)};\n${source}`;
}
const NO_SOURCE_MAPS = "../../no-source-maps.cjs";

function tsxSpec(dir: string, file = "app.ts"): Omit<RunSpec, "outdir"> {
  return { command: [process.execPath, "--import", "tsx", file], cwd: dir };
}

function benchSizes(bench: Bench, constructs: Set<string>): SizeResult[] {
  const { options } = bench;
  const results: SizeResult[] = [];
  const available = new Set(WORKLOAD_CONSTRUCTS.filter((c) => constructs.has(c)));
  for (const size of options.sizes) {
    const label = `${size.envs}x${size.workloads}`;
    const dir = path.join(bench.tmp, label);
    const oursDir = path.join(dir, "ours");
    const floorDir = path.join(dir, "floor");
    const classicDir = path.join(dir, "classic");
    for (const d of [oursDir, floorDir, classicDir]) fs.mkdirSync(d, { recursive: true });
    const classic = options.classicSizes.some(
      (c) => c.envs === size.envs && c.workloads === size.workloads,
    );

    fs.writeFileSync(
      path.join(oursDir, "app.ts"),
      withoutSourceMaps(
        renderOursApp({
          // By package name, without the source condition: the compiled lib/dist (built by
          // `npm run bench` first), as an app that installed the package imports it.
          libDir: LIB_PACKAGE,
          envs: benchEnvironments(size),
          available,
        }),
        options.sourceMaps,
      ),
    );
    const specs: Array<[string, RunSpec]> = [
      [`${label}:ours`, { ...tsxSpec(oursDir), outdir: path.join(oursDir, "out") }],
    ];

    // Warm-up of ours doubles as the source of the floor.
    progress(TOOL, `${label}: ours (warm-up)`);
    bench.run(specs[0][0], specs[0][1], false);
    const ours = readStacks(specs[0][1].outdir);
    const resources = [...ours.values()].reduce(
      (n, j) => n + Object.values(resourceCounts(j)).reduce((a, b) => a + b, 0),
      0,
    );
    const plan: FloorStack[] = [...ours.entries()].map(([name, json]) => floorStack(name, json));
    fs.writeFileSync(path.join(floorDir, "floor.json"), JSON.stringify({ stacks: plan }));
    fs.writeFileSync(
      path.join(floorDir, "app.ts"),
      withoutSourceMaps(
        renderFloorProgram({ stacks: plan, imports: "deep", planFile: "floor.json" }),
        options.sourceMaps,
      ),
    );
    const floorSpec: RunSpec = { ...tsxSpec(floorDir), outdir: path.join(floorDir, "out") };
    progress(TOOL, `${label}: floor (warm-up, compared with ours)`);
    bench.run(`${label}:floor`, floorSpec, false);
    const difference = compareSynths(ours, readStacks(floorSpec.outdir));
    specs.push([`${label}:floor`, floorSpec]);

    if (classic) {
      fs.copyFileSync(path.join(floorDir, "floor.json"), path.join(classicDir, "floor.json"));
      fs.writeFileSync(
        path.join(classicDir, "app.ts"),
        renderFloorProgram({ stacks: plan, imports: "barrel", planFile: "floor.json" }),
      );
      const classicSpec: RunSpec = {
        command: [process.execPath, "--require", "ts-node/register", "app.ts"],
        cwd: classicDir,
        env: { TS_NODE_PROJECT: path.join(bench.tmp, "tsconfig.json") },
        outdir: path.join(classicDir, "out"),
      };
      progress(TOOL, `${label}: classic (warm-up)`);
      bench.run(`${label}:classic`, classicSpec, false);
      specs.push([`${label}:classic`, classicSpec]);
    }

    // Interleaved, so a change of load on the machine hits every variant alike.
    for (let r = 1; r <= options.runs; r++) {
      for (const [key, spec] of specs) {
        progress(TOOL, `${label}: ${key.split(":")[1]} run ${r}/${options.runs}`);
        bench.run(key, spec, true);
      }
    }
    results.push({
      envs: size.envs,
      workloads: size.workloads,
      resources,
      ours: bench.measure(`${label}:ours`)!,
      floor: bench.measure(`${label}:floor`),
      floorIdentical: difference === undefined,
      floorDifference: difference,
      classic: bench.measure(`${label}:classic`),
    });
    const last = results[results.length - 1];
    progress(
      TOOL,
      `${label}: ours ${(last.ours.appMs / 1000).toFixed(2)} s, floor ${((last.floor?.appMs ?? NaN) / 1000).toFixed(2)} s` +
        (last.classic ? `, classic ${(last.classic.appMs / 1000).toFixed(2)} s` : "") +
        `, ${resources} resources${difference ? `; floor differs: ${difference}` : ""}`,
    );
  }
  return results;
}

function benchReference(bench: Bench): ReferenceResult {
  const out = path.join(bench.tmp, "reference");
  const appSpec: RunSpec = { ...tsxSpec(ROOT, "main.ts"), outdir: path.join(out, "app") };
  progress(TOOL, "reference app (warm-up)");
  bench.run("reference:app", appSpec, false);
  const resources = [...readStacks(appSpec.outdir).values()].reduce(
    (n, j) => n + Object.values(resourceCounts(j)).reduce((a, b) => a + b, 0),
    0,
  );
  for (let r = 1; r <= bench.options.runs; r++) {
    progress(TOOL, `reference app run ${r}/${bench.options.runs}`);
    bench.run("reference:app", appSpec, true);
  }
  if (bench.options.cli) {
    const cliOut = path.join(out, "cli");
    const cliSpec: RunSpec = {
      command: [path.join(ROOT, "node_modules", ".bin", "cdktf"), "synth", "--output", cliOut],
      cwd: ROOT,
      env: { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true", CI: "1" },
      outdir: cliOut,
    };
    progress(TOOL, "cdktf synth (warm-up)");
    bench.run("reference:cli", cliSpec, false);
    progress(TOOL, "cdktf synth (measured once)");
    bench.run("reference:cli", cliSpec, true);
  }
  return {
    app: bench.measure("reference:app"),
    cli: bench.measure("reference:cli"),
    resources,
  };
}

function timeNpmTest(): number {
  progress(TOOL, "npm test (once)");
  const start = process.hrtime.bigint();
  const r = spawnSync("npm", ["test", "--silent"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) progress(TOOL, `npm test exited ${r.status} (timed anyway)`);
  return ms;
}

export const PERFORMANCE_PAGE = path.join(ROOT, "docs", "performance.md");

/** Writes the figures of `report` into docs/performance.md, between its bench markers. */
function writePerformancePage(report: BenchReport, page = PERFORMANCE_PAGE): void {
  const current = fs.readFileSync(page, "utf8");
  fs.writeFileSync(page, replacePerformanceSection(current, renderPerformanceSection(report)));
  progress(TOOL, `wrote ${path.relative(ROOT, page)}`);
}

/** --from-json: the Markdown of a saved report (and the page), without measuring anything. */
function renderSaved(file: string, writeDocs: boolean): number {
  let report: BenchReport;
  try {
    report = JSON.parse(fs.readFileSync(file, "utf8")) as BenchReport;
  } catch (e) {
    throw new UsageError(`--from-json: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!report || !Array.isArray(report.sizes) || !Array.isArray(report.budgets) || !report.machine)
    throw new UsageError(`--from-json: ${file} is not a report written by --json`);
  writeProduct(renderMarkdown(report));
  if (writeDocs) writePerformancePage(report);
  return report.budgets.some((b) => b.met === false) ? EXIT.changes : EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === "help") {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (options.fromJson !== undefined) return renderSaved(options.fromJson, options.writeDocs);
  const constructs = exportedConstructs(
    fs.readFileSync(path.join(ROOT, "lib", "index.ts"), "utf8"),
  );
  if (!fs.existsSync(path.join(ROOT, "lib", "dist", "index.js")))
    throw new UsageError(
      `${LIB_PACKAGE} is not built (lib/dist/index.js); run npm run build:lib (npm run bench does)`,
    );
  const missing = WORKLOAD_CONSTRUCTS.filter((c) => !constructs.has(c));
  if (missing.length > 0) progress(TOOL, `not exported by lib/index.ts yet: ${missing.join(", ")}`);
  if (!hasGnuTime()) progress(TOOL, "no GNU time: peak RSS from process.resourceUsage()");

  const bench = new Bench(options);
  const startMachine = machine();
  try {
    let sizes: SizeResult[];
    let reference: ReferenceResult | undefined;
    try {
      sizes = benchSizes(bench, constructs);
      reference = options.reference ? benchReference(bench) : undefined;
    } catch (e) {
      if (e instanceof RunError) {
        progress(TOOL, e.message);
        return EXIT.error;
      }
      throw e;
    }
    const npmTestMs = options.npmTest ? timeNpmTest() : undefined;
    const report: BenchReport = {
      machine: startMachine,
      date: new Date().toISOString(),
      runs: options.runs,
      constructs: WORKLOAD_CONSTRUCTS.filter((c) => constructs.has(c)),
      missingConstructs: missing,
      sizes,
      reference,
      budgets: checkBudgets(sizes, reference, npmTestMs),
      npmTestMs,
      sourceMaps: options.sourceMaps,
      command: options.command,
    };
    writeProduct(renderMarkdown(report));
    if (options.writeDocs) writePerformancePage(report);
    if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    return report.budgets.some((b) => b.met === false) ? EXIT.changes : EXIT.ok;
  } finally {
    bench.cleanup();
  }
}

if (require.main === module) runTool(TOOL, main);
