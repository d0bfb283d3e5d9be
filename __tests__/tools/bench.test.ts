/** npm run bench: the generators, the floor conversion, the report and the options (never timings). */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GcsBackend, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import {
  MIX,
  benchEnvironments,
  effectiveMix,
  exportedConstructs,
  renderOursApp,
  splitWorkloads,
} from "../../tools/bench/apps";
import {
  FloorElement,
  camelCase,
  convertConfig,
  convertString,
  dependencyOrder,
  elementClass,
  firstDifference,
  floorStack,
  normalizeSynth,
  providerClass,
  renderFloorProgram,
  resourceCounts,
} from "../../tools/bench/floor";
import {
  BenchReport,
  Measure,
  PERFORMANCE_END,
  PERFORMANCE_START,
  SizeResult,
  benchCommand,
  checkBudgets,
  median,
  renderMarkdown,
  renderPerformanceSection,
  replacePerformanceSection,
  summarize,
} from "../../tools/bench/report";
import { parseGnuTimeRssKb } from "../../tools/bench/run";
import { PERFORMANCE_PAGE, main, parseOptions, parseSizes } from "../../tools/bench";
import { UsageError } from "../../tools/private/cli";

const ROOT = path.resolve(__dirname, "..", "..");

describe("sizes and environments", () => {
  test("splitWorkloads spreads the total, the first environments taking the remainder", () => {
    expect(splitWorkloads(10, 3)).toEqual([4, 3, 3]);
    expect(splitWorkloads(1000, 10)).toEqual(Array(10).fill(100));
  });

  test("splitWorkloads refuses zero environments", () => {
    expect(() => splitWorkloads(10, 0)).toThrow("envs must be ≥ 1, got 0");
  });

  test("benchEnvironments names env01…, cycles tiers dev → staging → prod and sums to the total", () => {
    const envs = benchEnvironments({ envs: 4, workloads: 10 });
    expect(envs.map((e) => [e.name, e.project, e.tier])).toEqual([
      ["env01", "acme-bench-01", "dev"],
      ["env02", "acme-bench-02", "staging"],
      ["env03", "acme-bench-03", "prod"],
      ["env04", "acme-bench-04", "dev"],
    ]);
    expect(envs.reduce((n, e) => n + e.workloads, 0)).toBe(10);
  });

  test("the mix per ten workloads is five services, three jobs and two worker pools", () => {
    const count = (c: string) => MIX.filter((m) => m === c).length;
    expect([count("CloudRunService"), count("CloudRunJob"), count("WorkerPool")]).toEqual([
      5, 3, 2,
    ]);
  });
});

describe("our app", () => {
  const all = new Set(["CloudRunService", "CloudRunJob", "WorkerPool"] as const);

  test("exportedConstructs reads value exports of lib/index.ts, not type exports", () => {
    const source = `export { CloudRunService } from "./a";\nexport type { CloudRunJob } from "./b";\nexport { X, WorkerPool as WorkerPool } from "./c";`;
    expect([...exportedConstructs(source)].sort()).toEqual(["CloudRunService", "WorkerPool"]);
  });

  test("effectiveMix fills the slots of a missing construct with the first available one", () => {
    const mix = effectiveMix(new Set(["CloudRunService"] as const));
    expect(new Set(mix)).toEqual(new Set(["CloudRunService"]));
    expect(mix).toHaveLength(MIX.length);
  });

  test("effectiveMix leaves slots empty when no workload construct exists", () => {
    expect(effectiveMix(new Set()).every((c) => c === undefined)).toBe(true);
  });

  test("imports the public API by absolute path and the provider by deep import only", () => {
    const src = renderOursApp({ libDir: "/repo/lib", envs: [], available: all });
    expect(src).toContain(
      'import { ProjectApis, grantDeployers, grantRunBuilder, CloudRunService, CloudRunJob, WorkerPool } from "/repo/lib";',
    );
    expect(src).toContain('from "@cdktf/provider-google/lib/provider"');
    expect(src).not.toMatch(/from "@cdktf\/provider-google"/);
  });

  test("uses secrets, sidecars, schedules, worker pools and invoker grants", () => {
    const src = renderOursApp({ libDir: "/repo/lib", envs: [], available: all });
    for (const needle of [
      "secrets:",
      "sidecars: SIDECARS",
      "schedule: {",
      "new WorkerPool(",
      "grantInvoke(",
      "grantRun(",
      "grantDeployers(stack",
    ])
      expect(src).toContain(needle);
  });

  test("does not import a construct that is not exported", () => {
    const src = renderOursApp({
      libDir: "/repo/lib",
      envs: [],
      available: new Set(["CloudRunService"] as const),
    });
    expect(src).not.toContain("CloudRunJob");
    expect(src).not.toContain("WorkerPool");
  });

  test("embeds the environments", () => {
    const envs = benchEnvironments({ envs: 2, workloads: 3 });
    const src = renderOursApp({ libDir: "/repo/lib", envs, available: all });
    expect(src).toContain(JSON.stringify(envs));
  });
});

describe("floor conversion", () => {
  test("camelCase follows the provider classes' config names", () => {
    expect(camelCase("invoker_iam_disabled")).toBe("invokerIamDisabled");
    expect(camelCase("cloud_run_v2_service")).toBe("cloudRunV2Service");
  });

  test("convertString keeps literals, marks a whole reference, and templates a mixed string", () => {
    expect(convertString("plain")).toBe("plain");
    expect(convertString("${google_service_account.sa.email}")).toEqual({
      $ref: ["google_service_account.sa", "email"],
    });
    expect(convertString("serviceAccount:${google_service_account.sa.email}")).toEqual({
      $tpl: ["serviceAccount:", { $ref: ["google_service_account.sa", "email"] }],
    });
    expect(convertString("${data.google_project.p.number}-compute@x")).toEqual({
      $tpl: [{ $ref: ["data.google_project.p", "number"] }, "-compute@x"],
    });
  });

  test("convertConfig camelCases field names but keeps the keys of map attributes", () => {
    expect(
      convertConfig({
        deletion_protection: false,
        labels: { "managed-by": "x", team_name: "y" },
        template: { containers: [{ resources: { limits: { cpu: "1" }, cpu_idle: true } }] },
      }),
    ).toEqual({
      deletionProtection: false,
      labels: { "managed-by": "x", team_name: "y" },
      template: { containers: [{ resources: { limits: { cpu: "1" }, cpuIdle: true } }] },
    });
  });

  test("convertConfig camelCases lifecycle keys but not the attribute names it lists", () => {
    expect(convertConfig({ lifecycle: { ignore_changes: ["template[0].revision"] } })).toEqual({
      lifecycle: { ignoreChanges: ["template[0].revision"] },
    });
  });

  test("elementClass follows the cdktf provider naming for resources and data sources", () => {
    expect(elementClass("resource", "google_cloud_run_v2_service")).toEqual({
      pkg: "@cdktf/provider-google",
      module: "cloud-run-v2-service",
      className: "CloudRunV2Service",
      namespace: "cloudRunV2Service",
    });
    expect(elementClass("data", "google_project").className).toBe("DataGoogleProject");
    expect(elementClass("resource", "time_sleep")).toMatchObject({
      pkg: "@cdktf/provider-time",
      module: "sleep",
      className: "Sleep",
    });
    expect(providerClass("google").className).toBe("GoogleProvider");
  });

  test("every class the floor names exists as a deep import", () => {
    for (const c of [
      elementClass("resource", "google_cloud_run_v2_worker_pool"),
      elementClass("resource", "google_cloud_scheduler_job"),
      elementClass("resource", "google_secret_manager_secret_iam_member"),
      elementClass("data", "google_project"),
      elementClass("resource", "time_sleep"),
      providerClass("time"),
    ]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(`${c.pkg}/lib/${c.module}`) as Record<string, unknown>;
      expect(typeof mod[c.className]).toBe("function");
    }
  });

  test("dependencyOrder puts what an element refers to or depends on first", () => {
    const el = (address: string, config: unknown, dependsOn: string[] = []): FloorElement => ({
      kind: "resource",
      type: address.split(".")[0],
      id: address.split(".")[1],
      address,
      config,
      dependsOn,
    });
    const order = dependencyOrder([
      el("a.x", { v: { $ref: ["b.y", "id"] } }),
      el("b.y", {}, ["c.z"]),
      el("c.z", {}),
    ]);
    expect(order.map((e) => e.address)).toEqual(["c.z", "b.y", "a.x"]);
  });

  test("floorStack reads providers (map attributes as overrides), the backend and depends_on", () => {
    const plan = floorStack("dev", {
      provider: { google: [{ project: "p", default_labels: { "managed-by": "x" } }] },
      terraform: { backend: { gcs: { bucket: "b", prefix: "p" } } },
      resource: {
        time_sleep: {
          w: { create_duration: "30s", depends_on: ["${google_project_service.run}"] },
        },
        google_project_service: { run: { service: "run.googleapis.com", "//": { metadata: {} } } },
      },
    });
    expect(plan.providers).toEqual([
      {
        type: "google",
        config: { project: "p" },
        overrides: { default_labels: { "managed-by": "x" } },
      },
    ]);
    expect(plan.backend).toEqual({ type: "gcs", config: { bucket: "b", prefix: "p" } });
    expect(plan.elements.map((e) => [e.address, e.dependsOn])).toEqual([
      ["google_project_service.run", []],
      ["time_sleep.w", ["google_project_service.run"]],
    ]);
    expect(plan.elements[0].config).toEqual({ service: "run.googleapis.com" });
  });

  test("the floor writes the stack's terraform.required_version, as the constructs do", () => {
    const plan = floorStack("dev", {
      provider: { google: [{}] },
      terraform: { required_version: ">= 1.5.0" },
      resource: { google_service_account: { sa: { account_id: "a" } } },
    });
    expect(plan.requiredVersion).toBe(">= 1.5.0");
    expect(floorStack("dev", { provider: { google: [{}] } }).requiredVersion).toBeUndefined();
    expect(renderFloorProgram({ stacks: [plan], imports: "deep", planFile: "f.json" })).toContain(
      'stack.addOverride("terraform.required_version", s.requiredVersion)',
    );
  });

  test("the deep program imports each class from its module; the classic one from the barrels", () => {
    const stacks = [
      floorStack("dev", {
        provider: { google: [{}] },
        resource: { google_service_account: { sa: { account_id: "a" } } },
      }),
    ];
    const deep = renderFloorProgram({ stacks, imports: "deep", planFile: "floor.json" });
    expect(deep).toContain('from "@cdktf/provider-google/lib/service-account"');
    expect(deep).not.toMatch(/from "@cdktf\/provider-google"/);
    const classic = renderFloorProgram({ stacks, imports: "barrel", planFile: "floor.json" });
    expect(classic).toContain('import * as barrel0 from "@cdktf/provider-google";');
    expect(classic).toContain("barrel0.serviceAccount.ServiceAccount");
  });

  test("normalizeSynth drops metadata, sorts keys and reads depends_on without ${}", () => {
    expect(normalizeSynth({ b: 1, "//": { x: 1 }, a: { depends_on: ["${t.x}", "t.y"] } })).toEqual({
      a: { depends_on: ["t.x", "t.y"] },
      b: 1,
    });
  });

  test("firstDifference names the path of the first difference", () => {
    expect(firstDifference({ a: { b: [1, 2] } }, { a: { b: [1, 3] } })).toBe("a.b.1: 2 ≠ 3");
    expect(firstDifference({ a: 1 }, { a: 1 })).toBeUndefined();
  });

  test("resourceCounts counts resources by type", () => {
    expect(resourceCounts({ resource: { a: { x: {}, y: {} }, b: { z: {} } } })).toEqual({
      a: 2,
      b: 1,
    });
  });
});

describe("the floor program, end to end", () => {
  test("synthesizes the same JSON as the stack it was derived from", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "dev");
    new GoogleProvider(stack, "google", { project: "acme-dev", region: "us-central1" });
    new GcsBackend(stack, { bucket: "tf", prefix: "dev" });
    const project = new DataGoogleProject(stack, "project", {});
    const sa = new ServiceAccount(stack, "sa", { accountId: "api-run", project: "acme-dev" });
    const svc = new CloudRunV2Service(stack, "api", {
      name: "api",
      location: "us-central1",
      deletionProtection: false,
      labels: { "managed-by": "cdktf", team_name: "core" },
      template: {
        serviceAccount: sa.email,
        containers: [{ image: "nginx", resources: { limits: { cpu: "1", memory: "512Mi" } } }],
      },
      lifecycle: { ignoreChanges: ["client"] },
      dependsOn: [sa],
    });
    new ProjectIamMember(stack, "builder", {
      project: "acme-dev",
      role: "roles/run.builder",
      member: `serviceAccount:${project.number}-compute@developer.gserviceaccount.com`,
    });
    new TerraformOutput(stack, "uri", { value: svc.uri });
    const original = JSON.parse(Testing.synth(stack)) as Record<string, unknown>;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-floor-test-"));
    try {
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
      const plan = [floorStack("dev", original)];
      fs.writeFileSync(path.join(dir, "floor.json"), JSON.stringify({ stacks: plan }));
      fs.writeFileSync(
        path.join(dir, "app.ts"),
        renderFloorProgram({ stacks: plan, imports: "deep", planFile: "floor.json" }),
      );
      const out = path.join(dir, "out");
      const r = spawnSync(process.execPath, ["--import", "tsx", "app.ts"], {
        cwd: dir,
        env: { ...process.env, CDKTF_OUTDIR: out },
        encoding: "utf8",
      });
      expect(r.stderr).toBe("");
      const floor = JSON.parse(
        fs.readFileSync(path.join(out, "stacks", "dev", "cdk.tf.json"), "utf8"),
      ) as Record<string, unknown>;
      expect(firstDifference(normalizeSynth(original), normalizeSynth(floor))).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("report", () => {
  const measure = (appMs: number, rssMb = 100, cpuMs = appMs): Measure => ({
    appMs,
    wallMs: appMs + 20,
    cpuMs,
    rssMb,
    runs: 3,
  });
  const large: SizeResult = {
    envs: 10,
    workloads: 1000,
    resources: 4900,
    ours: measure(4000, 300),
    floor: measure(3000, 280),
    floorIdentical: true,
  };
  const small: SizeResult = {
    envs: 1,
    workloads: 10,
    resources: 60,
    ours: measure(600),
    floor: measure(550),
    floorIdentical: true,
    classic: measure(9000, 1150),
  };

  test("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test("summarize takes medians and the marks the app set", () => {
    const m = summarize([
      { wallMs: 10, appMs: 8, cpuMs: 7, rssMb: 100, marks: { loaded: 2, built: 5 } },
      { wallMs: 30, appMs: 9, cpuMs: 9, rssMb: 120, marks: { loaded: 3, built: 6 } },
      { wallMs: 20, appMs: 7, cpuMs: 8, rssMb: 110, marks: { loaded: 4, built: 7 } },
    ]);
    expect(m).toEqual({
      appMs: 8,
      wallMs: 20,
      cpuMs: 8,
      rssMb: 110,
      loadedMs: 3,
      builtMs: 6,
      runs: 3,
    });
  });

  test("checkBudgets marks each budget met, missed or not run", () => {
    const budgets = checkBudgets([small, large], { app: measure(1200) }, undefined);
    expect(budgets.map((b) => b.met)).toEqual([false, true, true, true, true, undefined]);
    expect(budgets[3].measured).toBe("1.33× (CPU time: 1.33×)");
    expect(budgets[4].measured).toBe("15.00× at 1×10");
  });

  test("the ratio budget fails above 1.5 × the floor", () => {
    const slow = { ...large, ours: measure(4900, 300) };
    expect(checkBudgets([slow])[3].met).toBe(false);
  });

  test("renderMarkdown shows the machine, the ratios and the budgets", () => {
    const report: BenchReport = {
      machine: {
        node: "20.20.2",
        cpus: 2,
        cpuModel: "AMD EPYC",
        memoryGb: 8,
        platform: "Linux",
        loadAverage: [1, 1, 1],
      },
      date: "2026-01-01T00:00:00.000Z",
      runs: 3,
      constructs: ["CloudRunService", "CloudRunJob", "WorkerPool"],
      missingConstructs: [],
      sizes: [small, large],
      budgets: checkBudgets([small, large]),
    };
    const md = renderMarkdown(report);
    expect(md).toContain("Node 20.20.2, 2 cores (AMD EPYC)");
    expect(md).toContain(
      "| 1 × 10 | 60 | 0.60 | 0.60 | 100 | 0.55 | 0.55 | 100 | 1.09× | 1.09× | 9.00 | 1150 | 15.00× |",
    );
    expect(md).toContain(
      "| 10 × 1000 | 4900 | 4.00 | 4.00 | 300 | 3.00 | 3.00 | 280 | 1.33× | 1.33× | – | – | – |",
    );
    expect(md).toContain(
      "| 1,000 workloads over 10 environments: app time | < 5.00 s | 4.00 s | yes |",
    );
  });

  test("renderMarkdown flags a floor that does not synthesize the same JSON", () => {
    const odd = { ...small, floorIdentical: false, floorDifference: "dev.resource.x: 1 ≠ 2" };
    const md = renderMarkdown({
      machine: { node: "20", cpus: 2, cpuModel: "x", memoryGb: 1, platform: "L", loadAverage: [0] },
      date: "",
      runs: 1,
      constructs: [],
      missingConstructs: [],
      sizes: [odd],
      budgets: [],
    });
    expect(md).toContain("1.09× (†)");
    expect(md).toContain("(†) 1 × 10: the floor's synth differs: dev.resource.x: 1 ≠ 2");
  });
});

describe("runner and options", () => {
  test("parseGnuTimeRssKb reads GNU time's peak RSS", () => {
    expect(parseGnuTimeRssKb("\tMaximum resident set size (kbytes): 245012\n")).toBe(245012);
    expect(parseGnuTimeRssKb("nothing")).toBeUndefined();
  });

  test("parseSizes reads ENVSxWORKLOADS lists", () => {
    expect(parseSizes("1x10, 10x1000")).toEqual([
      { envs: 1, workloads: 10 },
      { envs: 10, workloads: 1000 },
    ]);
  });

  test("parseSizes refuses anything else, naming the option", () => {
    expect(() => parseSizes("10*100", "--classic-sizes")).toThrow(
      '--classic-sizes: "10*100" is not ENVSxWORKLOADS (e.g. 10x1000)',
    );
  });

  test("--quick runs three sizes once, classic at the smallest", () => {
    const o = parseOptions(["--quick"]);
    expect(o).toMatchObject({
      sizes: parseSizes("1x10,3x100,10x1000"),
      classicSizes: parseSizes("1x10"),
      runs: 1,
    });
  });

  test("defaults: nine sizes, three runs, classic at 1x10 and 1x100, reference and CLI", () => {
    expect(parseOptions([])).toMatchObject({
      runs: 3,
      classicSizes: parseSizes("1x10,1x100"),
      reference: true,
      cli: true,
      npmTest: false,
    });
    expect((parseOptions([]) as { sizes: unknown[] }).sizes).toHaveLength(9);
  });

  test("--runs must be a positive integer", () => {
    expect(() => parseOptions(["--runs", "0"])).toThrow('--runs: "0" is not a positive integer');
  });

  test("--help and unknown options", () => {
    expect(parseOptions(["--help"])).toBe("help");
    expect(() => parseOptions(["--fast"])).toThrow(/fast/);
  });

  test("source maps stay on unless --no-source-maps", () => {
    expect(parseOptions([])).toMatchObject({ sourceMaps: false });
    expect(parseOptions(["--source-maps"])).toMatchObject({ sourceMaps: true });
  });

  test("--no-classic and --no-reference switch parts off", () => {
    expect(parseOptions(["--no-classic", "--no-reference"])).toMatchObject({
      classicSizes: [],
      reference: false,
      cli: false,
    });
  });
});

describe("docs/performance.md, written by a run", () => {
  const m = (appMs: number): Measure => ({
    appMs,
    wallMs: appMs + 10,
    cpuMs: appMs + 100,
    rssMb: 120,
    loadedMs: 400,
    builtMs: 450,
    runs: 1,
  });
  const sizes: SizeResult[] = [
    { envs: 1, workloads: 10, resources: 61, ours: m(570), floor: m(490), classic: m(6850) },
    { envs: 10, workloads: 1000, resources: 5110, ours: m(4020), floor: m(3460) },
  ];
  const reference = { app: m(710), cli: m(2670) };
  const report: BenchReport = {
    machine: {
      node: "20.20.2",
      cpus: 2,
      cpuModel: "AMD EPYC",
      memoryGb: 24,
      platform: "Linux x64",
      loadAverage: [1.2, 1.2, 1.4],
    },
    date: "2026-11-23T09:15:00.000Z",
    runs: 1,
    constructs: ["CloudRunService"],
    missingConstructs: [],
    sizes,
    reference,
    budgets: checkBudgets(sizes, reference, 27_010),
    npmTestMs: 27_010,
    sourceMaps: false,
    command: "npm run -s bench -- --npm-test",
  };

  test("the page names the command and the day of the run, then the report", () => {
    expect(renderPerformanceSection(report)).toBe(
      `Measured with \`npm run -s bench -- --npm-test\` on 2026-11-23.\n\n${renderMarkdown(report)}`,
    );
  });

  test("the command keeps the measuring options and drops where the output goes", () => {
    expect(benchCommand([])).toBe("npm run -s bench");
    expect(benchCommand(["--npm-test", "--json", "out.json", "--write-docs", "--keep"])).toBe(
      "npm run -s bench -- --npm-test",
    );
    expect(benchCommand(["--sizes", "10x1000", "--json=x.json", "--from-json", "r.json"])).toBe(
      "npm run -s bench -- --sizes 10x1000",
    );
  });

  test("only the text between the markers is replaced", () => {
    const page = `# P\n\nbefore\n\n${PERFORMANCE_START}\n\nold\n\n${PERFORMANCE_END}\n\n## After\n`;
    expect(replacePerformanceSection(page, "new\n")).toBe(
      `# P\n\nbefore\n\n${PERFORMANCE_START}\n\nnew\n\n${PERFORMANCE_END}\n\n## After\n`,
    );
    expect(() => replacePerformanceSection("# P\n", "new")).toThrow(/bench:start/);
  });

  test("the checked-in page has the markers and the tables the renderer writes today", () => {
    const page = fs.readFileSync(PERFORMANCE_PAGE, "utf8");
    const section = page.slice(page.indexOf(PERFORMANCE_START), page.indexOf(PERFORMANCE_END));
    expect(section.length).toBeGreaterThan(PERFORMANCE_START.length);
    const headers = (md: string) =>
      md.split("\n").filter((l) => /^\| [^-0-9`]/.test(l) && /\(s\)|Limit/.test(l));
    expect(headers(section)).toHaveLength(4);
    expect(headers(section)).toEqual(headers(renderPerformanceSection(report)));
    expect(section).toMatch(/^Measured with `npm run -s bench[^`]*` on \d{4}-\d{2}-\d{2}\.$/m);
    expect(page).toContain("## Where the time goes");
    expect(page).toContain("| Budget (DESIGN.md §5) | Limit | Measured | Met |");
  });

  test("--write-docs and --from-json are options; --from-json of an unreadable file is bad usage", async () => {
    expect(parseOptions(["--write-docs", "--from-json", "r.json"])).toMatchObject({
      writeDocs: true,
      fromJson: "r.json",
    });
    expect(parseOptions([])).toMatchObject({ writeDocs: false, command: "npm run -s bench" });
    await expect(
      main(["--from-json", path.join(__dirname, "no-such-report.json")]),
    ).rejects.toThrow(UsageError);
  });
});
