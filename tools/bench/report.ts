/**
 * Bench results → medians, ratios, budgets and the Markdown report. Pure functions.
 */
import type { Sample } from "./run";

/** Median of the measured runs (the warm-up is never among them). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface Measure {
  /** Median app time, ms (process start to after app.synth()). */
  readonly appMs: number;
  /** Median wall time of the process, ms. */
  readonly wallMs: number;
  /** Median CPU time of the process (user + system), ms, when the hook reported it. */
  readonly cpuMs?: number;
  /** Median peak RSS, MB. */
  readonly rssMb: number;
  /** Median time until the app's imports were loaded, ms (undefined when not marked). */
  readonly loadedMs?: number;
  /** Median time until the constructs were built (before synth), ms. */
  readonly builtMs?: number;
  readonly runs: number;
}

export function summarize(samples: readonly Sample[]): Measure {
  const mark = (k: string) => {
    const v = samples.map((s) => s.marks[k]).filter((x): x is number => typeof x === "number");
    return v.length === samples.length ? median(v) : undefined;
  };
  return {
    appMs: median(samples.map((s) => s.appMs ?? s.wallMs)),
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: samples.every((s) => s.cpuMs !== undefined)
      ? median(samples.map((s) => s.cpuMs!))
      : undefined,
    rssMb: median(samples.map((s) => s.rssMb)),
    loadedMs: mark("loaded"),
    builtMs: mark("built"),
    runs: samples.length,
  };
}

export interface SizeResult {
  readonly envs: number;
  readonly workloads: number;
  /** Resources in all stacks of our synth. */
  readonly resources: number;
  readonly ours: Measure;
  readonly floor?: Measure;
  /** Does the floor synthesize exactly what ours does (metadata aside)? */
  readonly floorIdentical?: boolean;
  /** Where the floor's synth first differs, when it does. */
  readonly floorDifference?: string;
  readonly classic?: Measure;
}

export interface ReferenceResult {
  /** `node --import tsx main.ts` (the repo's app, environments/*.yaml). */
  readonly app?: Measure;
  /** `cdktf synth` end to end. */
  readonly cli?: Measure;
  readonly resources?: number;
}

export interface Machine {
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly platform: string;
  readonly loadAverage: readonly number[];
}

export interface BenchReport {
  readonly machine: Machine;
  readonly date: string;
  readonly runs: number;
  readonly constructs: readonly string[];
  readonly missingConstructs: readonly string[];
  readonly sizes: readonly SizeResult[];
  readonly reference?: ReferenceResult;
  readonly budgets: readonly Budget[];
  /** false unless --source-maps (ours and the floor turn Node's source maps off first, as main.ts does). */
  readonly sourceMaps?: boolean;
  /** `npm test` wall time, when measured (--npm-test). */
  readonly npmTestMs?: number;
  /** The command that measured it (`npm run -s bench -- --npm-test`), for docs/performance.md. */
  readonly command?: string;
}

export interface Budget {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  /** undefined: not measured in this run. */
  readonly met?: boolean;
}

export const BUDGETS = {
  referenceAppMs: 1000,
  largeAppMs: 5000,
  largeRssMb: 500,
  floorRatio: 1.5,
  classicRatio: 5,
  npmTestMs: 60_000,
} as const;

export function ratio(a?: number, b?: number): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

const s = (ms?: number) => (ms === undefined || Number.isNaN(ms) ? "–" : (ms / 1000).toFixed(2));
const mb = (v?: number) => (v === undefined ? "–" : v.toFixed(0));
const x = (r?: number) => (r === undefined ? "–" : `${r.toFixed(2)}×`);

/** Checks the DESIGN.md §5 budgets against the results. */
export function checkBudgets(
  sizes: readonly SizeResult[],
  reference?: ReferenceResult,
  npmTestMs?: number,
): Budget[] {
  const out: Budget[] = [];
  const refApp = reference?.app?.appMs;
  out.push({
    name: "Reference app (main.ts, environments/*.yaml): app time",
    limit: `< ${s(BUDGETS.referenceAppMs)} s`,
    measured: refApp === undefined ? "not run" : `${s(refApp)} s`,
    met: refApp === undefined ? undefined : refApp < BUDGETS.referenceAppMs,
  });
  const large = sizes.find((r) => r.envs === 10 && r.workloads === 1000);
  out.push({
    name: "1,000 workloads over 10 environments: app time",
    limit: `< ${s(BUDGETS.largeAppMs)} s`,
    measured: large ? `${s(large.ours.appMs)} s` : "not run",
    met: large ? large.ours.appMs < BUDGETS.largeAppMs : undefined,
  });
  out.push({
    name: "1,000 workloads over 10 environments: peak RSS",
    limit: `< ${BUDGETS.largeRssMb} MB`,
    measured: large ? `${mb(large.ours.rssMb)} MB` : "not run",
    met: large ? large.ours.rssMb < BUDGETS.largeRssMb : undefined,
  });
  const floorRatio = ratio(large?.ours.appMs, large?.floor?.appMs);
  const floorCpuRatio = ratio(large?.ours.cpuMs, large?.floor?.cpuMs);
  out.push({
    name: "1,000 workloads over 10 environments: ours / floor (app time)",
    limit: `≤ ${BUDGETS.floorRatio}×`,
    measured:
      floorRatio === undefined
        ? "not run"
        : `${x(floorRatio)}${floorCpuRatio === undefined ? "" : ` (CPU time: ${x(floorCpuRatio)})`}`,
    met: floorRatio === undefined ? undefined : floorRatio <= BUDGETS.floorRatio,
  });
  const classic = sizes.filter((r) => r.classic);
  const classicRatios = classic.map((r) => ratio(r.classic!.appMs, r.ours.appMs)!);
  out.push({
    name: "Classic set-up / ours (app time), every size where classic runs",
    limit: `≥ ${BUDGETS.classicRatio}×`,
    measured:
      classic.length === 0
        ? "not run"
        : classic.map((r, i) => `${x(classicRatios[i])} at ${r.envs}×${r.workloads}`).join(", "),
    met: classic.length === 0 ? undefined : classicRatios.every((v) => v >= BUDGETS.classicRatio),
  });
  out.push({
    name: "`npm test` (type-check and every test), wall time",
    limit: `< ${s(BUDGETS.npmTestMs)} s`,
    measured: npmTestMs === undefined ? "not run (--npm-test)" : `${s(npmTestMs)} s`,
    met: npmTestMs === undefined ? undefined : npmTestMs < BUDGETS.npmTestMs,
  });
  return out;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    line(header.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.map(line),
  ].join("\n");
}

/** The Markdown report: machine, sizes table with ratios, reference app, budgets. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const parts: string[] = [];
  parts.push(
    `Machine: Node ${m.node}, ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb.toFixed(0)} GB, ${m.platform}; ` +
      `load average at start ${m.loadAverage.map((l) => l.toFixed(1)).join(" / ")}. ` +
      `Median of ${report.runs} run${report.runs === 1 ? "" : "s"} after a warm-up, each synth a separate process; ` +
      `app time = process start to after app.synth(); CPU = user + system time of that process ` +
      `(steadier than app time on a loaded machine); RSS = peak resident set size; ` +
      `load = import of the app's modules, build = constructors, synth = app.synth().`,
  );
  if (report.sourceMaps === false) {
    parts.push(
      "Source maps: turned off at the start of ours and the floor, as main.ts does (--source-maps keeps them on); the classic set-up keeps them.",
    );
  }
  if (report.missingConstructs.length > 0) {
    parts.push(
      `Not yet in lib/index.ts: ${report.missingConstructs.join(", ")} — their slots of the mix use ${report.constructs[0] ?? "nothing"} instead.`,
    );
  }
  parts.push("");
  parts.push(
    table(
      [
        "Envs × workloads",
        "Resources",
        "Ours app (s)",
        "Ours CPU (s)",
        "Ours RSS (MB)",
        "Floor app (s)",
        "Floor CPU (s)",
        "Floor RSS (MB)",
        "Ours / floor (app)",
        "Ours / floor (CPU)",
        "Classic app (s)",
        "Classic RSS (MB)",
        "Classic / ours",
      ],
      report.sizes.map((r) => [
        `${r.envs} × ${r.workloads}`,
        String(r.resources),
        s(r.ours.appMs),
        s(r.ours.cpuMs),
        mb(r.ours.rssMb),
        s(r.floor?.appMs),
        s(r.floor?.cpuMs),
        mb(r.floor?.rssMb),
        x(ratio(r.ours.appMs, r.floor?.appMs)) + (r.floorIdentical === false ? " (†)" : ""),
        x(ratio(r.ours.cpuMs, r.floor?.cpuMs)),
        s(r.classic?.appMs),
        mb(r.classic?.rssMb),
        x(ratio(r.classic?.appMs, r.ours.appMs)),
      ]),
    ),
  );
  const diffs = report.sizes.filter((r) => r.floorIdentical === false);
  if (diffs.length > 0) {
    parts.push("");
    for (const r of diffs)
      parts.push(`(†) ${r.envs} × ${r.workloads}: the floor's synth differs: ${r.floorDifference}`);
  }
  parts.push("");
  parts.push(
    table(
      [
        "Envs × workloads",
        "Ours: load (s)",
        "Ours: build (s)",
        "Ours: synth (s)",
        "Ours: wall (s)",
        "Floor: load (s)",
        "Floor: build (s)",
        "Floor: synth (s)",
        "Floor: wall (s)",
      ],
      report.sizes.map((r) => [
        `${r.envs} × ${r.workloads}`,
        ...phases(r.ours),
        s(r.ours.wallMs),
        ...(r.floor ? phases(r.floor) : ["–", "–", "–"]),
        s(r.floor?.wallMs),
      ]),
    ),
  );
  if (report.reference) {
    const ref = report.reference;
    parts.push("");
    parts.push(
      table(
        ["Reference app", "App (s)", "CPU (s)", "Wall (s)", "RSS (MB)"],
        [
          [
            "`node --import tsx main.ts`",
            s(ref.app?.appMs),
            s(ref.app?.cpuMs),
            s(ref.app?.wallMs),
            mb(ref.app?.rssMb),
          ],
          ["`cdktf synth` (CLI, end to end)", "–", "–", s(ref.cli?.wallMs), mb(ref.cli?.rssMb)],
        ],
      ),
    );
  }
  parts.push("");
  parts.push(
    table(
      ["Budget (DESIGN.md §5)", "Limit", "Measured", "Met"],
      report.budgets.map((b) => [
        b.name,
        b.limit,
        b.measured,
        b.met === undefined ? "–" : b.met ? "yes" : "**no**",
      ]),
    ),
  );
  return `${parts.join("\n")}\n`;
}

function phases(m: Measure): string[] {
  if (m.loadedMs === undefined || m.builtMs === undefined) return ["–", "–", "–"];
  return [s(m.loadedMs), s(m.builtMs - m.loadedMs), s(m.appMs - m.builtMs)];
}

/** The markers of docs/performance.md between which a bench run writes its figures. */
export const PERFORMANCE_START = "<!-- bench:start -->";
export const PERFORMANCE_END = "<!-- bench:end -->";

/** The command line a page names for a run: the measuring options, without where output goes. */
export function benchCommand(argv: readonly string[]): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json" || a === "--from-json") i++;
    else if (a.startsWith("--json=") || a.startsWith("--from-json=")) continue;
    else if (a !== "--write-docs" && a !== "--keep") kept.push(a);
  }
  return ["npm run -s bench", ...(kept.length > 0 ? ["--", ...kept] : [])].join(" ");
}

/** What a run writes into docs/performance.md: which run, when, then the report. */
export function renderPerformanceSection(report: BenchReport): string {
  const day = report.date.slice(0, 10) || "an unknown date";
  return `Measured with \`${report.command ?? "npm run -s bench"}\` on ${day}.\n\n${renderMarkdown(report)}`;
}

/** `page` with the text between the bench markers replaced by `section`. */
export function replacePerformanceSection(page: string, section: string): string {
  const start = page.indexOf(PERFORMANCE_START);
  const end = page.indexOf(PERFORMANCE_END);
  if (start < 0 || end < start)
    throw new Error(
      `docs/performance.md has no ${PERFORMANCE_START} … ${PERFORMANCE_END} section to write the figures into`,
    );
  return `${page.slice(0, start + PERFORMANCE_START.length)}\n\n${section.trimEnd()}\n\n${page.slice(end)}`;
}
