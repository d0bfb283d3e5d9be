/**
 * adopt on exports written from Google's Cloud Run YAML reference (__tests__/fixtures/adopt):
 * the round trip export → printed TypeScript and environment YAML → EnvironmentStack → synth keeps
 * every mapped setting and writes the import blocks; the printed TypeScript type-checks against
 * lib/; what no prop expresses is listed by name; the CLI's exit codes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { transformSync } from "@swc/core";
import { Testing } from "cdktf";
import * as ts from "typescript";
import * as lib from "@cdktf-cloud-run/constructs";
import { Catalog } from "../../stacks/catalog";
import { parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { adopt, AdoptResult, main } from "../../tools/adopt";
import { adoptDocument, assignImageKeys } from "../../tools/private/adopt-map";
import { entryCode } from "../../tools/private/adopt-print";
import { UsageError } from "../../tools/private/cli";
import { only, resources, synth, TfJson } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "adopt");
const ENV_DIR = path.join(FIXTURES, "environments");
const SERVICE = path.join(FIXTURES, "api-service.yaml");
const JOB = path.join(FIXTURES, "nightly-report-job.yaml");

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function run(files: string[], iam: string[] = []): AdoptResult {
  return adopt({ files, env: "prod", dir: ENV_DIR, iam });
}

function blocks(markdown: string, lang: string): string[] {
  const re = new RegExp("^```" + lang + "\\n([\\s\\S]*?)^```", "gm");
  return [...markdown.matchAll(re)].map((m) => m[1]);
}

/**
 * cdktf's importFrom adds a validation that runs `terraform version` (>= 1.5) at synth; tests
 * need no terraform, so a stand-in on PATH answers for it.
 */
let fakeBin: string;
const savedPath = process.env.PATH;
beforeAll(() => {
  fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-tf-"));
  fs.writeFileSync(path.join(fakeBin, "terraform"), '#!/bin/sh\necho "Terraform v1.9.8"\n', {
    mode: 0o755,
  });
  process.env.PATH = `${fakeBin}${path.delimiter}${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  fs.rmSync(fakeBin, { recursive: true, force: true });
});

/** Printed YAML merged into the fixture environment, printed TypeScript run in its stack. */
function roundTrip(result: AdoptResult): TfJson {
  const envText =
    fs.readFileSync(path.join(ENV_DIR, "prod.yaml"), "utf8") + blocks(result.markdown, "yaml")[0];
  const env = parseEnvironment(envText, "environments/prod.yaml");
  const catalog = new Catalog(
    env,
    Object.fromEntries(result.workloads.map((w) => [w.name, Object.keys(w.images)])),
  );
  const stack = new EnvironmentStack(Testing.app(), env, { catalog: false });
  const code = blocks(result.markdown, "ts").join("\n");
  const js = transformSync(code, {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
  }).code;
  const scope: Record<string, unknown> = { ...lib, scope: stack, env, catalog };
  const names = Object.keys(scope);
  new Function(...names, js)(...names.map((n) => scope[n]));
  catalog.finish();
  return synth(stack);
}

describe("adopt: a service (sidecar, secrets, Cloud SQL, VPC egress, probes, traffic)", () => {
  let json: TfJson;
  let svc: Json;
  let tmpl: Json;
  let main: Json;
  let sidecar: Json;
  beforeAll(() => {
    json = roundTrip(run([SERVICE], [`api=${path.join(FIXTURES, "api-iam.json")}`]));
    svc = only(json, "google_cloud_run_v2_service") as Json;
    tmpl = svc.template;
    main = tmpl.containers[0];
    sidecar = tmpl.containers[1];
  });

  test.each([
    ["metadata.name → name", () => svc.name, "api"],
    [
      "location label → location (the environment's region, so no region prop)",
      () => svc.location,
      "us-east4",
    ],
    ["labels → labels", () => svc.labels, { team: "payments", "cost-center": "cc-42" }],
    ["run.googleapis.com/ingress", () => svc.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"],
    ["run.googleapis.com/description", () => svc.description, "Public payments API"],
    [
      "run.googleapis.com/custom-audiences",
      () => svc.custom_audiences,
      ["https://api.acme.example"],
    ],
    ["run.googleapis.com/invoker-iam-disabled", () => svc.invoker_iam_disabled, true],
    [
      "run.googleapis.com/binary-authorization: default",
      () => svc.binary_authorization,
      { use_default: true },
    ],
    ["run.googleapis.com/minScale (service level)", () => svc.scaling.min_instance_count, 1],
    ["autoscaling.knative.dev/minScale", () => tmpl.scaling.min_instance_count, 1],
    ["autoscaling.knative.dev/maxScale", () => tmpl.scaling.max_instance_count, 50],
    ["containerConcurrency", () => tmpl.max_instance_request_concurrency, 40],
    ["timeoutSeconds", () => tmpl.timeout, "120s"],
    [
      "serviceAccountName",
      () => tmpl.service_account,
      "api-sa@acme-run-prod.iam.gserviceaccount.com",
    ],
    [
      "run.googleapis.com/execution-environment",
      () => tmpl.execution_environment,
      "EXECUTION_ENVIRONMENT_GEN2",
    ],
    ["run.googleapis.com/sessionAffinity", () => tmpl.session_affinity, true],
    ["run.googleapis.com/vpc-access-egress", () => tmpl.vpc_access.egress, "PRIVATE_RANGES_ONLY"],
    [
      "run.googleapis.com/network-interfaces",
      () => tmpl.vpc_access.network_interfaces,
      [{ network: "default", subnetwork: "default", tags: ["run-egress"] }],
    ],
    ["main container name", () => main.name, "api"],
    [
      "main image (through images: of the environment file)",
      () => main.image,
      "us-docker.pkg.dev/acme-ci/apps/api@sha256:6bb2dc519d438e5ebd34a19ffa51c6869ae2e125c623ddfbb124b3cdbadfab6e",
    ],
    ["command", () => main.command, ["/app/api"]],
    ["args", () => main.args, ["--serve", "--grpc-health=8081"]],
    ["ports: containerPort and h2c", () => main.ports, { container_port: 8080, name: "h2c" }],
    [
      "resources.limits (cpu, memory from overrides)",
      () => main.resources.limits,
      { cpu: "2", memory: "1Gi" },
    ],
    ["run.googleapis.com/cpu-throttling: false", () => main.resources.cpu_idle, false],
    ["run.googleapis.com/startup-cpu-boost", () => main.resources.startup_cpu_boost, true],
    ["run.googleapis.com/container-dependencies", () => main.depends_on, ["otel-collector"]],
    [
      "env values (the project id back from ${env.project})",
      () => main.env.filter((e: Json) => e.value !== undefined),
      [
        { name: "LOG_LEVEL", value: "info" },
        { name: "ORDERS_URL", value: "https://orders-acme-run-prod.a.run.app" },
      ],
    ],
    [
      "env valueFrom.secretKeyRef → secrets (key = version)",
      () => main.env.find((e: Json) => e.name === "DB_PASSWORD").value_source,
      { secret_key_ref: { secret: "payments-db-password", version: "3" } },
    ],
    [
      "a secret alias (run.googleapis.com/secrets) → the full secret path",
      () => main.env.find((e: Json) => e.name === "PARTNER_API_KEY").value_source,
      { secret_key_ref: { secret: "projects/987654321098/secrets/partner-api-key", version: "7" } },
    ],
    [
      "startupProbe httpGet with headers",
      () => main.startup_probe,
      {
        period_seconds: 5,
        timeout_seconds: 3,
        failure_threshold: 12,
        http_get: {
          path: "/healthz",
          port: 8080,
          http_headers: [{ name: "X-Probe", value: "startup" }],
        },
      },
    ],
    [
      "livenessProbe grpc",
      () => main.liveness_probe,
      {
        period_seconds: 30,
        failure_threshold: 3,
        grpc: { port: 8081, service: "grpc.health.v1.Health" },
      },
    ],
    [
      "volumeMounts of the main container",
      () => main.volume_mounts,
      [
        { name: "certs", mount_path: "/etc/certs" },
        { name: "cache", mount_path: "/cache" },
        { name: "uploads", mount_path: "/uploads" },
        { name: "shared", mount_path: "/mnt/shared" },
        { name: "cloudsql", mount_path: "/cloudsql" },
      ],
    ],
    [
      "secret volume (items, defaultMode)",
      () => tmpl.volumes.find((v: Json) => v.name === "certs").secret,
      { secret: "api-tls", default_mode: 292, items: [{ path: "cert.pem", version: "2" }] },
    ],
    [
      "emptyDir Memory → in-memory volume",
      () => tmpl.volumes.find((v: Json) => v.name === "cache").empty_dir,
      { medium: "MEMORY", size_limit: "256Mi" },
    ],
    [
      "gcsfuse CSI → GCS volume",
      () => tmpl.volumes.find((v: Json) => v.name === "uploads").gcs,
      { bucket: "acme-uploads", read_only: true },
    ],
    [
      "nfs volume",
      () => tmpl.volumes.find((v: Json) => v.name === "shared").nfs,
      { server: "10.20.0.2", path: "/share", read_only: false },
    ],
    [
      "run.googleapis.com/cloudsql-instances → Cloud SQL volume",
      () => tmpl.volumes.find((v: Json) => v.name === "cloudsql").cloud_sql_instance,
      { instances: ["acme-run-prod:us-east4:payments"] },
    ],
    [
      "traffic (latest and a tagged revision)",
      () => svc.traffic,
      [
        { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", percent: 90 },
        {
          type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION",
          percent: 10,
          revision: "api-00041-xuz",
          tag: "canary",
        },
      ],
    ],
    [
      "sidecar image, args, env, resources",
      () => ({
        name: sidecar.name,
        image: sidecar.image,
        args: sidecar.args,
        env: sidecar.env,
        limits: sidecar.resources.limits,
      }),
      {
        name: "otel-collector",
        image:
          "us-docker.pkg.dev/acme-ci/mirror/otelcol-google@sha256:9df239e4c4af83a790d4ae5927f2e4213d76ae85178480dadab4df1753c504c6",
        args: ["--config=/etc/otelcol/config.yaml"],
        env: [{ name: "GOOGLE_CLOUD_PROJECT", value: "acme-run-prod" }],
        limits: { cpu: "500m", memory: "256Mi" },
      },
    ],
    [
      "sidecar volumeMounts",
      () => sidecar.volume_mounts,
      [{ name: "cache", mount_path: "/var/cache/otel" }],
    ],
    [
      "sidecar startupProbe tcpSocket",
      () => sidecar.startup_probe,
      { initial_delay_seconds: 1, period_seconds: 2, tcp_socket: { port: 13133 } },
    ],
  ] as const)("keeps %s", (_field, actual, expected) => {
    expect(actual()).toEqual(expected);
  });

  test("creates no service account: the given one is kept", () => {
    expect(resources(json, "google_service_account")).toEqual({});
  });

  test("writes import blocks for the service and its IAM members", () => {
    const imports = (json as Json).import as Array<{ id: string; to: string }>;
    const svcId = Object.keys(resources(json, "google_cloud_run_v2_service"))[0];
    expect(imports).toContainEqual({
      id: "projects/acme-run-prod/locations/us-east4/services/api",
      to: `google_cloud_run_v2_service.${svcId}`,
    });
    const members = Object.entries(resources(json, "google_cloud_run_v2_service_iam_member"));
    expect(members.map(([, m]) => `${m.role} ${m.member}`).sort()).toEqual([
      "roles/run.developer user:jane@acme.example",
      "roles/run.invoker group:payments-qa@acme.example",
      "roles/run.invoker serviceAccount:checkout@acme-run-prod.iam.gserviceaccount.com",
    ]);
    for (const [id, m] of members) {
      expect(imports).toContainEqual({
        id: `projects/acme-run-prod/locations/us-east4/services/api ${m.role} ${m.member}`,
        to: `google_cloud_run_v2_service_iam_member.${id}`,
      });
    }
  });
});

describe("adopt: a job", () => {
  let json: TfJson;
  let job: Json;
  let task: Json;
  beforeAll(() => {
    json = roundTrip(run([JOB], [path.join(FIXTURES, "nightly-report-iam.json")]));
    job = only(json, "google_cloud_run_v2_job") as Json;
    task = job.template.template;
  });

  test.each([
    ["metadata.name", () => job.name, "nightly-report"],
    ["labels", () => job.labels, { team: "data" }],
    [
      "run.googleapis.com/binary-authorization",
      () => job.binary_authorization,
      { use_default: true },
    ],
    ["taskCount", () => job.template.task_count, 10],
    ["parallelism", () => job.template.parallelism, 5],
    ["maxRetries", () => task.max_retries, 1],
    ["timeoutSeconds", () => task.timeout, "1800s"],
    [
      "command and args",
      () => [task.containers[0].command, task.containers[0].args],
      [["python"], ["report.py", "--since", "24h"]],
    ],
    [
      "resources.limits",
      () => task.containers[0].resources.limits,
      { cpu: "1000m", memory: "1Gi" },
    ],
    [
      "env and secrets",
      () => task.containers[0].env,
      [
        { name: "REPORT_BUCKET", value: "acme-reports" },
        {
          name: "DB_PASSWORD",
          value_source: { secret_key_ref: { secret: "orders-db-password", version: "3" } },
        },
      ],
    ],
    [
      "Cloud SQL",
      () => task.volumes,
      [{ name: "cloudsql", cloud_sql_instance: { instances: ["acme-run-prod:us-east4:orders"] } }],
    ],
    [
      "Direct VPC egress by path",
      () => task.vpc_access,
      {
        egress: "ALL_TRAFFIC",
        network_interfaces: [
          {
            network: "projects/acme-run-prod/global/networks/main",
            subnetwork: "projects/acme-run-prod/regions/us-east4/subnetworks/run",
          },
        ],
      },
    ],
  ] as const)("keeps %s", (_field, actual, expected) => {
    expect(actual()).toEqual(expected);
  });

  test("the library's own account name is imported rather than created anew", () => {
    const sa = only(json, "google_service_account") as Json;
    expect(sa.account_id).toBe("nightly-report-job");
    const saId = Object.keys(resources(json, "google_service_account"))[0];
    expect((json as Json).import).toContainEqual({
      id: "projects/acme-run-prod/serviceAccounts/nightly-report-job@acme-run-prod.iam.gserviceaccount.com",
      to: `google_service_account.${saId}`,
    });
  });

  test("imports the job and its run.invoker member", () => {
    const imports = ((json as Json).import as Array<{ id: string }>).map((i) => i.id);
    expect(imports).toEqual(
      expect.arrayContaining([
        "projects/acme-run-prod/locations/us-east4/jobs/nightly-report",
        "projects/acme-run-prod/locations/us-east4/jobs/nightly-report roles/run.invoker serviceAccount:scheduler@acme-run-prod.iam.gserviceaccount.com",
      ]),
    );
  });
});

describe("adopt: what cannot be expressed, and what is Cloud Run's", () => {
  const result = () => run([SERVICE, JOB]);

  test("lists each field no prop expresses, by its path and annotation name", () => {
    const api = result().workloads.find((w) => w.name === "api")!;
    expect(api.notExpressible.map((l) => [l.field, l.value])).toEqual([
      ["spec.template.metadata.labels.release", "blue"],
      ["spec.template.spec.containers[0].workingDir", "/srv"],
    ]);
  });

  test("an unknown field anywhere is reported, never dropped", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
    try {
      const text = fs
        .readFileSync(SERVICE, "utf8")
        .replace(
          /^( +)run\.googleapis\.com\/sessionAffinity: .*\n/m,
          "$1run.googleapis.com/encryption-key: projects/p/locations/us-east4/keyRings/r/cryptoKeys/k\n$1run.googleapis.com/vpc-access-connector: conn\n",
        )
        .replace(/^( +)readOnly: false\n/m, "$1readOnly: false\n$1futureField: 1\n");
      fs.writeFileSync(path.join(dir, "api.yaml"), text);
      const fields = run([path.join(dir, "api.yaml")]).workloads[0].notExpressible.map(
        (l) => l.field,
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          // The fixture has Direct VPC egress: a connector beside it is refused.
          'spec.template.metadata.annotations["run.googleapis.com/vpc-access-connector"]',
          "spec.template.spec.volumes[3].nfs.futureField",
        ]),
      );
      expect(fields).not.toContain(
        'spec.template.metadata.annotations["run.googleapis.com/encryption-key"]',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("lists the fields Cloud Run or gcloud set, with why they are ignored", () => {
    const ignored = result().workloads[0].ignored.map((l) => l.field);
    expect(ignored).toEqual(
      expect.arrayContaining([
        "metadata.namespace",
        'metadata.annotations["serving.knative.dev/creator"]',
        "spec.template.metadata.name",
        'spec.template.metadata.labels["client.knative.dev/nonce"]',
      ]),
    );
  });

  test("the environment file part names the images and the per-environment overrides", () => {
    const yaml = blocks(result().markdown, "yaml")[0];
    expect(yaml).toContain(
      "  otel-collector: us-docker.pkg.dev/acme-ci/mirror/otelcol-google@sha256:",
    );
    expect(yaml).toContain("  nightly-report:\n    cpu: 1000m\n");
  });

  test("the printed TypeScript type-checks against lib/ and stacks/", () => {
    const r = run(
      [SERVICE, JOB],
      [
        `api=${path.join(FIXTURES, "api-iam.json")}`,
        `nightly-report=${path.join(FIXTURES, "nightly-report-iam.json")}`,
      ],
    );
    const file = path.join(ROOT, "__adopt_check__.ts");
    const source = [
      'import { Construct } from "constructs";',
      'import { CloudRunJob, CloudRunJobProps, CloudRunService, CloudRunServiceProps, IamBinding } from "./lib";',
      'import { Catalog } from "./stacks/catalog";',
      'import { Environment } from "./stacks/environment";',
      "export function adopted(scope: Construct, env: Environment, catalog: Catalog): void {",
      ...blocks(r.markdown, "ts"),
      "}",
    ].join("\n");
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      esModuleInterop: true,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version, ...rest) =>
      path.resolve(name) === file
        ? ts.createSourceFile(name, source, version)
        : getSourceFile(name, version, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(file))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(errors).toEqual([]);
  });
});

describe("adopt: single fields", () => {
  const doc = (template: Json = {}, service: Json = {}) => ({
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: { name: "web", labels: { "cloud.googleapis.com/location": "europe-west1" } },
    spec: {
      template: {
        spec: { containers: [{ image: "nginx@sha256:" + "a".repeat(64) }], ...template },
      },
      ...service,
    },
  });
  const adoptOne = (d: Json, iamPolicy?: unknown) =>
    adoptDocument(d, "web.yaml", { project: "acme-run-prod", envRegion: "us-east4", iamPolicy });

  test("a workload outside the environment's region gets region", () => {
    expect(adoptOne(doc()).props.region).toBe("europe-west1");
  });

  test("no serviceAccountName (the Compute Engine default): a dedicated account, said in a note", () => {
    const w = adoptOne(doc());
    expect(w.props.serviceAccount).toBeUndefined();
    expect(w.notes[0]).toContain("runs as the Compute Engine default service account today");
  });

  test("allUsers as invoker becomes allowUnauthenticated, not a grant", () => {
    const w = adoptOne(doc(), {
      bindings: [{ role: "roles/run.invoker", members: ["allUsers", "user:a@acme.example"] }],
    });
    expect(w.props.allowUnauthenticated).toBe(true);
    expect(w.grants.map((g) => g.member)).toEqual(["user:a@acme.example"]);
    expect(w.notes.join("\n")).toContain("remove-iam-policy-binding");
  });

  test("a conditional IAM binding is not adopted, and said so", () => {
    const w = adoptOne(doc(), {
      bindings: [
        { role: "roles/run.invoker", members: ["user:a@acme.example"], condition: { title: "t" } },
      ],
    });
    expect(w.grants).toEqual([]);
    expect(w.notes.join("\n")).toContain("has a condition; not adopted");
  });

  test("100 % to the latest revision is Google's default: not written, listed as ignored", () => {
    const w = adoptOne(doc({}, { traffic: [{ percent: 100, latestRevision: true }] }));
    expect(w.props.traffic).toBeUndefined();
    expect(w.ignored.map((l) => l.field)).toContain("spec.traffic");
  });

  test("a GPU: limit, accelerator and zonal redundancy", () => {
    const d = doc({
      nodeSelector: { "run.googleapis.com/accelerator": "nvidia-l4" },
      containers: [
        { image: "x", resources: { limits: { "nvidia.com/gpu": "1", cpu: "4", memory: "16Gi" } } },
      ],
    });
    (d.spec.template as Json).metadata = {
      annotations: { "run.googleapis.com/gpu-zonal-redundancy-disabled": "true" },
    };
    const w = adoptOne(d);
    expect(w.props.gpu).toEqual({ type: "nvidia-l4", zonalRedundancy: false });
    expect(w.notExpressible).toEqual([]);
  });

  test("two sidecars of one name with different images get distinct images: keys", () => {
    const withSidecar = (name: string, image: string) => ({
      ...doc(),
      metadata: { name, labels: { "cloud.googleapis.com/location": "us-east4" } },
      spec: {
        template: {
          spec: {
            containers: [
              { image: `${name}-image`, ports: [{ containerPort: 8080 }] },
              { name: "otel", image },
            ],
          },
        },
      },
    });
    const [a, b, c] = assignImageKeys([
      adoptOne(withSidecar("a", "otel:1")),
      adoptOne(withSidecar("b", "otel:2")),
      adoptOne(withSidecar("c", "otel:1")),
    ]);
    expect([a.sidecarImageKeys.otel, b.sidecarImageKeys.otel, c.sidecarImageKeys.otel]).toEqual([
      "otel",
      "b-otel",
      "otel",
    ]);
    expect(b.images).toEqual({ b: "b-image", "b-otel": "otel:2" });
    expect(entryCode(b)).toContain('image: catalog.image("b-otel")');
  });

  test("a Serverless VPC Access connector becomes vpc.connector with its egress", () => {
    const d = doc();
    (d.spec.template as Json).metadata = {
      annotations: {
        "run.googleapis.com/vpc-access-connector": "conn",
        "run.googleapis.com/vpc-access-egress": "all-traffic",
      },
    };
    const w = adoptOne(d);
    expect(w.props.vpc).toEqual({ connector: "conn", egress: "all-traffic" });
    expect(w.notExpressible).toEqual([]);
  });

  test("a connector beside Direct VPC egress is refused with the reason", () => {
    const d = doc();
    (d.spec.template as Json).metadata = {
      annotations: {
        "run.googleapis.com/vpc-access-connector": "conn",
        "run.googleapis.com/network-interfaces": '[{"network":"default","subnetwork":"default"}]',
      },
    };
    const w = adoptOne(d);
    expect(w.props.vpc).toBeUndefined();
    expect(w.notExpressible.map((l) => [l.field, l.why])).toEqual([
      [
        'spec.template.metadata.annotations["run.googleapis.com/network-interfaces"]',
        "a connector and Direct VPC egress together; keep one",
      ],
      [
        'spec.template.metadata.annotations["run.googleapis.com/vpc-access-connector"]',
        "a connector and Direct VPC egress together; keep one",
      ],
    ]);
  });

  test("run.googleapis.com/encryption-key becomes encryptionKey (services and jobs)", () => {
    const key = "projects/acme-kms/locations/europe-west1/keyRings/run/cryptoKeys/api";
    const d = doc();
    (d.spec.template as Json).metadata = {
      annotations: { "run.googleapis.com/encryption-key": key },
    };
    expect(adoptOne(d).props.encryptionKey).toBe(key);
  });

  test("sessionAffinity: true is written, false left out, anything else reported", () => {
    const withAffinity = (value: string) => {
      const d = doc();
      (d.spec.template as Json).metadata = {
        annotations: { "run.googleapis.com/sessionAffinity": value },
      };
      return adoptOne(d);
    };
    expect(withAffinity("true").props.sessionAffinity).toBe(true);
    expect(withAffinity("false").props.sessionAffinity).toBeUndefined();
    expect(withAffinity("false").notExpressible).toEqual([]);
    expect(withAffinity("yes").notExpressible.map((l) => l.why)).toEqual([
      "session affinity is true or false",
    ]);
  });

  test("the key-revocation annotations on a service are reported: worker pools only in provider 6.50", () => {
    const d = doc();
    (d.spec.template as Json).metadata = {
      annotations: { "run.googleapis.com/post-key-revocation-action-type": "SHUTDOWN" },
    };
    expect(adoptOne(d).notExpressible[0].why).toContain("worker pools only");
  });
});

describe("npm run adopt", () => {
  let out: string[];
  let write: jest.SpyInstance;
  beforeEach(() => {
    out = [];
    write = jest
      .spyOn(process.stdout, "write")
      .mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  test("main: the Markdown on stdout; exit 2 when fields are left out, 0 when all are expressed", () => {
    expect(main([SERVICE, "--env", "prod", "--dir", ENV_DIR])).toBe(2);
    expect(out.join("")).toMatch(
      /^# Adopting api \(Cloud Run service\) into project acme-run-prod/,
    );
    expect(main([JOB, "--project", "acme-run-prod", "--region", "us-east4"])).toBe(0);
    expect(write).toHaveBeenCalled();
  });

  test("main: --help prints the usage with the exit codes", () => {
    expect(main(["--help"])).toBe(0);
    expect(out.join("")).toContain("Exit codes:");
  });

  test("bad usage: no --env nor --project, --iam without a name for several files", () => {
    expect(() => main([SERVICE])).toThrow(UsageError);
    expect(() => main([SERVICE, JOB, "--project", "p", "--iam", "x.json"])).toThrow(
      "name the workload (--iam <name>=<file>) when adopting several",
    );
  });

  test("an empty file is refused", () => {
    expect(() => main(["/dev/null", "--project", "acme-run-prod"])).toThrow("no YAML document");
  });

  test("a file that is not a service or job export is refused, naming what is read", () => {
    expect(() => main([path.join(ENV_DIR, "prod.yaml"), "--project", "acme-run-prod"])).toThrow(
      "is not supported; adopt reads serving.knative.dev/v1 Service",
    );
  });

  test("end to end: product on stdout, progress on stderr, exit code 2", () => {
    jest.restoreAllMocks();
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(ROOT, "tools", "adopt.ts"),
        SERVICE,
        "--env",
        "prod",
        "--dir",
        ENV_DIR,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^# Adopting api/);
    expect(r.stderr).toMatch(/^adopt: api: service from .*; 2 field\(s\) not expressible/);
  });
});
