/**
 * The benchmark's generated apps: sizes, environments, and the source of "our" app (the public
 * API of lib/, one plain TerraformStack per environment set up as EnvironmentStack does).
 * Pure functions: no file system, no processes, so they are unit-tested.
 */

export interface BenchSize {
  /** Number of environments (one stack each). */
  readonly envs: number;
  /** Workloads in total, spread over the environments. */
  readonly workloads: number;
}

export type Tier = "dev" | "staging" | "prod";

export interface BenchEnv {
  readonly name: string;
  readonly project: string;
  readonly region: string;
  readonly tier: Tier;
  /** Workloads in this environment. */
  readonly workloads: number;
}

/** The workload constructs the generated app uses; the bench passes those lib/index.ts exports. */
export type WorkloadConstruct = "CloudRunService" | "CloudRunJob" | "WorkerPool";
export const WORKLOAD_CONSTRUCTS: readonly WorkloadConstruct[] = [
  "CloudRunService",
  "CloudRunJob",
  "WorkerPool",
];

/**
 * The mix, per ten workloads: five services (secrets, sidecars, VPC egress, invoker grants),
 * three jobs (two on a Cloud Scheduler schedule) and two worker pools.
 */
export const MIX: readonly WorkloadConstruct[] = [
  "CloudRunService",
  "CloudRunService",
  "CloudRunService",
  "CloudRunService",
  "CloudRunService",
  "CloudRunJob",
  "CloudRunJob",
  "CloudRunJob",
  "WorkerPool",
  "WorkerPool",
];

const TIERS: readonly Tier[] = ["dev", "staging", "prod"];
const REGIONS = ["us-central1", "europe-west1", "us-east4", "asia-northeast1"];

/** Spreads `total` over `envs`; the first environments take the remainder. */
export function splitWorkloads(total: number, envs: number): number[] {
  if (!Number.isInteger(envs) || envs < 1) throw new Error(`envs must be ≥ 1, got ${envs}`);
  if (!Number.isInteger(total) || total < 0) throw new Error(`workloads must be ≥ 0, got ${total}`);
  const base = Math.floor(total / envs);
  const extra = total % envs;
  return Array.from({ length: envs }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The environments of one size: env01…envNN, tiers cycling dev → staging → prod. */
export function benchEnvironments(size: BenchSize): BenchEnv[] {
  return splitWorkloads(size.workloads, size.envs).map((workloads, i) => {
    const n = String(i + 1).padStart(2, "0");
    return {
      name: `env${n}`,
      project: `acme-bench-${n}`,
      region: REGIONS[i % REGIONS.length],
      tier: TIERS[i % TIERS.length],
      workloads,
    };
  });
}

/**
 * Which construct fills each slot of the mix: a slot whose construct is not (yet) exported
 * takes the first available one, so the workload count stays the same. `undefined` when none is.
 */
export function effectiveMix(
  available: ReadonlySet<WorkloadConstruct>,
): (WorkloadConstruct | undefined)[] {
  const fallback = WORKLOAD_CONSTRUCTS.find((c) => available.has(c));
  return MIX.map((c) => (available.has(c) ? c : fallback));
}

/** The workload constructs `lib/index.ts` exports (value exports, not `export type`). */
export function exportedConstructs(indexSource: string): Set<WorkloadConstruct> {
  const found = new Set<WorkloadConstruct>();
  for (const m of indexSource.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().split(/\s+as\s+/)[0])) {
      if ((WORKLOAD_CONSTRUCTS as readonly string[]).includes(name))
        found.add(name as WorkloadConstruct);
    }
  }
  return found;
}

export interface OursAppOptions {
  /** Absolute path of the project's lib/ (the public API). */
  readonly libDir: string;
  readonly envs: readonly BenchEnv[];
  readonly available: ReadonlySet<WorkloadConstruct>;
}

/** Code of one slot of the mix; `i` is the workload index, `n` its zero-padded form. */
const SLOT_CODE: Record<WorkloadConstruct, readonly string[]> = {
  CloudRunService: [
    // 0: API with two secrets and invokers
    `const s = new CloudRunService(stack, \`api-\${n}\`, {
        image: image("api"),
        env: { LOG_LEVEL: "info", REGION: e.region },
        secrets: { DB_PASS: { secret: "db-pass" }, API_KEY: { secret: "api-key", version: "3" } },
        minInstances: 0, maxInstances: 20, deletionProtection,
        invokers: ["group:api-callers@acme.example"],
      });
      services.push(s);`,
    // 1: web front with an OpenTelemetry sidecar
    `const s = new CloudRunService(stack, \`web-\${n}\`, {
        image: image("web"), port: 3000, memory: "1Gi", cpu: "1",
        env: { NODE_ENV: "production", OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317" },
        sidecars: SIDECARS, ingress: "internal-and-cloud-load-balancing", deletionProtection,
      });
      services.push(s);`,
    // 2: internal service: secrets, sidecar, Direct VPC egress; invoked by the previous service
    `const s = new CloudRunService(stack, \`orders-\${n}\`, {
        image: image("orders"), ingress: "internal",
        secrets: { DB_PASS: { secret: "orders-db-pass" } }, sidecars: SIDECARS,
        vpc: { network: "shared-vpc", subnetwork: "run-egress", egress: "private-ranges-only" },
        maxInstances: 50, concurrency: 40, timeout: "60s", deletionProtection,
      });
      const caller = services[services.length - 1];
      if (caller) s.grantInvoke(caller.serviceAccountMember);
      services.push(s);`,
    // 3: plain service with scaling, invoked by a group
    `const s = new CloudRunService(stack, \`edge-\${n}\`, {
        image: image("edge"), minInstances: 1, maxInstances: 10, cpuBoost: true, deletionProtection,
      });
      s.grantInvoke("serviceAccount:gateway@acme-shared.iam.gserviceaccount.com");
      services.push(s);`,
    // 4: auth service with a secret, invoked by the first service of the environment
    `const s = new CloudRunService(stack, \`auth-\${n}\`, {
        image: image("auth"), secrets: { JWT_KEY: { secret: "jwt-key", version: "2" } },
        env: { ISSUER: "https://auth.acme.example" }, deletionProtection,
      });
      if (services[0]) s.grantInvoke(services[0].serviceAccountMember);
      services.push(s);`,
  ],
  CloudRunJob: [
    // nightly report on a schedule, with a secret
    `new CloudRunJob(stack, \`report-\${n}\`, {
        image: image("report"), secrets: { DB_PASS: { secret: "db-pass" } },
        taskTimeout: "30m", maxRetries: 1, deletionProtection,
        schedule: { cron: "0 3 * * *", timeZone: "Europe/Paris" },
      });`,
    // frequent ETL: tasks in parallel, on a schedule
    `new CloudRunJob(stack, \`etl-\${n}\`, {
        image: image("etl"), tasks: 10, parallelism: 5, memory: "2Gi", cpu: "2", deletionProtection,
        env: { BATCH: "500" }, schedule: { cron: "*/15 * * * *" },
      });`,
    // manual job run by a group
    `const j = new CloudRunJob(stack, \`migrate-\${n}\`, {
        image: image("migrate"), secrets: { DB_PASS: { secret: "db-pass" } }, deletionProtection,
      });
      j.grantRun("group:platform@acme.example");`,
  ],
  WorkerPool: [
    // queue consumer with a secret
    `new WorkerPool(stack, \`worker-\${n}\`, {
        image: image("worker"), instances: 2, secrets: { QUEUE_TOKEN: { secret: "queue-token" } },
        env: { SUBSCRIPTION: "orders-sub" }, deletionProtection,
      });`,
    // Kafka consumer with a sidecar
    `new WorkerPool(stack, \`consumer-\${n}\`, {
        image: image("consumer"), sidecars: SIDECARS, memory: "1Gi", deletionProtection,
      });`,
  ],
};

/** Which variant of its construct each mix slot uses (slot 0 → the first service variant …). */
function slotVariant(slot: number): number {
  const c = MIX[slot];
  return MIX.slice(0, slot).filter((x) => x === c).length;
}

function slotCode(slot: number, construct: WorkloadConstruct): string {
  const variants = SLOT_CODE[construct];
  // A substituted slot (its construct missing) uses a variant of the substitute, by position.
  const v = MIX[slot] === construct ? slotVariant(slot) : slot % variants.length;
  return variants[v];
}

/**
 * Our app: for each environment a TerraformStack set up as EnvironmentStack does (Google provider
 * with default labels, GCS backend, ProjectApis, the run.builder grant), the workloads of the mix,
 * then the deployer grants (which cover every workload's service account).
 */
export function renderOursApp(options: OursAppOptions): string {
  const mix = effectiveMix(options.available);
  const used = WORKLOAD_CONSTRUCTS.filter((c) => mix.includes(c));
  const cases = mix
    .map((c, slot) =>
      c
        ? `      case ${slot}: {\n      ${slotCode(slot, c)}\n        break;\n      }`
        : `      case ${slot}:\n        break;`,
    )
    .join("\n");
  const lib = JSON.stringify(options.libDir);
  const servicesType = used.includes("CloudRunService") ? "CloudRunService" : "never";
  return `// Generated by tools/bench.ts: our constructs, through the public API of lib/.
import { App, GcsBackend, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ProjectApis, grantDeployers, grantRunBuilder${used.map((c) => `, ${c}`).join("")} } from ${lib};

const marks: Record<string, number> = ((globalThis as any).__benchMarks ??= {});
marks.loaded = performance.now();

const ENVS = ${JSON.stringify(options.envs)};
const DIGEST = "@sha256:" + "0123456789abcdef".repeat(4);
const image = (name: string) => \`us-docker.pkg.dev/acme-ci/apps/\${name}\${DIGEST}\`;
const SIDECARS = {
  otel: { image: \`us-docker.pkg.dev/acme-ci/mirror/otel-collector\${DIGEST}\`, cpu: "0.5", memory: "256Mi" },
};

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
for (const e of ENVS) {
  const stack = new TerraformStack(app, e.name);
  const provider = new GoogleProvider(stack, "google", { project: e.project, region: e.region });
  provider.addOverride("default_labels", { environment: e.name, "managed-by": "cdktf-cloud-run" });
  new GcsBackend(stack, { bucket: "acme-tfstate", prefix: \`bench/\${e.name}\` });
  ProjectApis.of(stack);
  grantRunBuilder(stack);
  const deletionProtection = e.tier === "prod";
  const services: ${servicesType}[] = [];
  for (let i = 0; i < e.workloads; i++) {
    const n = String(i).padStart(4, "0");
    switch (i % ${MIX.length}) {
${cases}
    }
  }
  void services;
  grantDeployers(stack, ["group:platform@acme.example"]);
}
marks.built = performance.now();
app.synth();
marks.synthesized = performance.now();
`;
}

/**
 * Loaded with `node --require` into every measured process: on exit, writes the app time
 * (`performance.now()`, milliseconds since the process started), the process's CPU time (user +
 * system, all threads), the marks the app set, and the peak RSS to the file named by
 * BENCH_TIMING_FILE.
 */
export const TIMING_HOOK = `"use strict";
const fs = require("fs");
const { performance } = require("perf_hooks");
process.on("exit", () => {
  const file = process.env.BENCH_TIMING_FILE;
  if (!file) return;
  fs.writeFileSync(file, JSON.stringify({
    appMs: performance.now(),
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    marks: globalThis.__benchMarks || {},
    maxRssKb: process.resourceUsage().maxRSS,
  }));
});
`;
