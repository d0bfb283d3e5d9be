/**
 * The construct-props fuzz harness (issue 14): generated props objects, valid and invalid, typed
 * and untyped (what a JavaScript caller or a parsed file can pass), through the public API of
 * every construct. Every case either synthesizes or fails with a reported error (ConfigError or
 * cdktf's validation error listing our messages): never another exception. A case that holds a
 * value known to be invalid must not synthesize (that would be a silent acceptance). Fixed seed;
 * FUZZ_RUNS=N for more cases. The closing note prints cases, rejections and crashes.
 */
import fc from "fast-check";
import { TerraformStack } from "cdktf";
import {
  ArtifactRepository,
  CloudRunJob,
  CloudRunService,
  IamBinding,
  WorkerPool,
  type CloudRunJobProps,
  type CloudRunServiceProps,
  type IamBindingProps,
  type WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import {
  SEED,
  fuzzStack,
  hostileString,
  isReported,
  outdir,
  runs,
  synthJson,
} from "./fuzz-helpers";

const IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";
const out = outdir();
afterAll(() => out.cleanup());

// ---------------------------------------------------------------------------------------------
// Values: valid ones, and invalid ones (wrong JavaScript type or outside Cloud Run's rules)
// ---------------------------------------------------------------------------------------------

type Arb = fc.Arbitrary<unknown>;
interface PropGen {
  readonly valid: Arb;
  readonly invalid: Arb;
}

const notAString: Arb = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant(["x"]),
);
const notANumber: Arb = fc.oneof(
  fc.constant(null),
  fc.constant(NaN),
  fc.constant(Infinity),
  fc.constant(1e21),
  fc.constant(-1e21),
  fc.constantFrom("1", "10", ""),
  fc.boolean(),
  fc.constant({}),
  fc.constant([1]),
);
const notABoolean: Arb = fc.oneof(
  fc.constant(null),
  fc.constantFrom("true", "false", "yes", ""),
  fc.constantFrom(0, 1),
  fc.constant({}),
);
const notAList: Arb = fc.oneof(
  fc.constant(null),
  fc.constant("x"),
  fc.constant({ 0: "x" }),
  fc.constant([null]),
  fc.constant([1]),
  fc.constant([{}]),
);
const notAMap: Arb = fc.oneof(
  fc.constant(null),
  fc.constant("A=1"),
  fc.constant(["A=1"]),
  fc.constant({ A: null }),
  fc.constant({ A: 1 }),
  fc.constant({ A: {} }),
);

const str = (valid: Arb, ...bad: unknown[]): PropGen => ({
  valid,
  invalid: fc.oneof(notAString, ...(bad.length ? [fc.constantFrom(...bad)] : [])),
});
const num = (min: number, max: number, ...bad: unknown[]): PropGen => ({
  valid: fc.integer({ min, max }),
  invalid: fc.oneof(notANumber, ...(bad.length ? [fc.constantFrom(...bad)] : [])),
});
const bool: PropGen = { valid: fc.boolean(), invalid: notABoolean };
const list = (item: Arb): PropGen => ({
  valid: fc.array(item, { maxLength: 3 }),
  invalid: notAList,
});
const envName = fc
  .stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/)
  .filter(
    (n) =>
      !n.startsWith("X_GOOGLE_") &&
      !["K_SERVICE", "K_REVISION", "K_CONFIGURATION", "PORT"].includes(n) &&
      !n.startsWith("CLOUD_RUN_"),
  );
const map = (key: fc.Arbitrary<string>, value: Arb): PropGen => ({
  valid: fc.dictionary(key, value, { maxKeys: 3 }),
  invalid: notAMap,
});
const labelKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
const labelValue = fc.stringMatching(/^[a-z0-9_-]{0,10}$/);

const CONTAINER: Record<string, PropGen> = {
  command: list(hostileString),
  args: list(hostileString),
  env: map(envName, hostileString),
  cpu: {
    valid: fc.constantFrom("1", 1, 2, "2"),
    invalid: fc.oneof(fc.constantFrom(null, {}, "lots", -1, "3", 3, NaN, 1e21)),
  },
  memory: {
    valid: fc.constantFrom("512Mi", "1Gi", "256Mi"),
    invalid: fc.constantFrom(null, {}, 512, "1", "64Gi", "lots"),
  },
};

const WORKLOAD: Record<string, PropGen> = {
  ...CONTAINER,
  name: str(fc.constantFrom("api", "web-1", "a1"), "Bad_Name", "-x", "", "a".repeat(64)),
  project: str(fc.constantFrom("acme-test", "acme-prod-1"), "Acme", "${var.p}", "", "1234"),
  region: str(fc.constantFrom("us-central1", "europe-west1"), "US", "", "us central1"),
  serviceAccount: str(
    fc.constant("app@acme-test.iam.gserviceaccount.com"),
    "",
    "app",
    "app@gmail.com",
  ),
  labels: {
    valid: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
    invalid: fc.oneof(notAMap, fc.constantFrom({ Team: "a" }, { team: "A B" }, { "": "x" })),
  },
  vpc: {
    valid: fc.constantFrom({ network: "default" }, { subnetwork: "sub", egress: "all-traffic" }),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom(
        {},
        { network: "n", egress: "all" },
        { network: "n", tags: "x" },
        { netwrk: "n" },
      ),
    ),
  },
  volumes: {
    valid: fc.constantFrom(
      { cache: { type: "in-memory", mountPath: "/cache" } },
      { certs: { type: "secret", secret: "tls", mountPath: "/certs" } },
    ),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom(
        { cache: null },
        { cache: { type: "disk" } },
        { cache: { type: "in-memory", mountPath: "cache" } },
        { cache: { type: "in-memory", mountPath: 1 } },
        { Cache: { type: "in-memory" } },
        { db: { type: "cloud-sql", instances: "a:b:c" } },
        { s: { type: "secret", secret: null } },
        { g: { type: "gcs", bucket: "b", readonly: true } },
      ),
    ),
  },
  sidecars: {
    valid: fc.constantFrom(
      { proxy: { image: IMAGE } },
      { proxy: { image: IMAGE, env: { A: "b" } } },
    ),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom(
        { proxy: null },
        { proxy: {} },
        { Proxy: { image: IMAGE } },
        { proxy: { image: IMAGE, args: "x" } },
        { proxy: { image: IMAGE, imgae: "x" } },
      ),
    ),
  },
  containerName: str(fc.constant("app"), "App", ""),
  deletionProtection: bool,
  imageManagedBy: str(fc.constantFrom("terraform", "external"), "ci", "Terraform"),
  ciLabels: {
    valid: fc.constant(["commit-sha"]),
    invalid: fc.oneof(notAList, fc.constant(["Commit SHA"])),
  },
  binaryAuthorization: {
    valid: fc.constant({ useDefault: true }),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom({}, { useDefault: true, policy: "p" }, { useDefault: "yes" }),
    ),
  },
};

const SERVICE: Record<string, PropGen> = {
  ...WORKLOAD,
  port: num(1, 65535, 0, 70000, 1.5),
  http2: bool,
  allowUnauthenticated: bool,
  invokers: list(fc.constant("user:a@acme.example")),
  ingress: str(
    fc.constantFrom("all", "internal", "internal-and-cloud-load-balancing"),
    "public",
    "INTERNAL",
  ),
  minInstances: num(0, 3, -1, 0.5),
  maxInstances: num(3, 100, 0, -1),
  concurrency: num(1, 1000, 0, 1001),
  timeout: {
    valid: fc.constantFrom("300s", 60, "10m"),
    invalid: fc.constantFrom(null, {}, "2h", "soon", -1, NaN, true),
  },
  cpuBoost: bool,
  description: str(fc.string({ maxLength: 40 }), "x".repeat(513)),
  startupProbe: {
    valid: fc.constantFrom({ tcpSocket: {} }, { httpGet: { path: "/healthz" } }),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom(
        {},
        { httpGet: null },
        { tcpSocket: {}, grpc: {} },
        { httpGet: { headers: { A: null } } },
        { tcpSocket: {}, periodSeconds: 1e21 },
      ),
    ),
  },
  traffic: {
    valid: fc.constant([{ percent: 100, latest: true }]),
    invalid: fc.oneof(
      notAList,
      fc.constantFrom(
        [null],
        [{ percent: 101, latest: true }],
        [{ percent: "100", latest: true }],
        [{ percent: 100, latest: true, tagg: "x" }],
      ),
    ),
  },
  customAudiences: list(fc.constant("https://api.acme.example")),
};

const JOB: Record<string, PropGen> = {
  ...WORKLOAD,
  tasks: num(1, 50, 0, 10001, 2.5),
  maxRetries: num(0, 10, 11, -1),
  taskTimeout: {
    valid: fc.constantFrom("600s", 60, "1h"),
    invalid: fc.constantFrom(null, {}, "soon", "200h", -5, true),
  },
  schedule: {
    valid: fc.constantFrom(
      { cron: "0 3 * * *" },
      { cron: "*/5 * * * *", timeZone: "Europe/Berlin" },
    ),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom(
        {},
        { cron: "daily" },
        { cron: "0 3 * * *", timeZone: "Mars/Base" },
        { cron: 5 },
      ),
    ),
  },
};

const POOL: Record<string, PropGen> = { ...WORKLOAD, instances: num(0, 5, -1, 0.5) };

const IAM: Record<string, PropGen> = {
  target: {
    valid: fc.constantFrom(
      { project: "acme-test" },
      { secret: "db-pass" },
      { serviceAccount: "app@acme-test.iam.gserviceaccount.com" },
    ),
    invalid: fc.oneof(
      notAMap,
      fc.constantFrom({}, { project: "Acme" }, { secret: "a/b" }, { secret: "x", service: "y" }),
    ),
  },
  role: str(fc.constantFrom("roles/viewer", "roles/run.invoker"), "viewer", "roles/", "roles/a b"),
  members: {
    valid: fc.constant(["user:a@acme.example", "group:qa@acme.example"]),
    invalid: fc.oneof(
      notAList,
      fc.constantFrom(["a@acme.example"], ["User:a@acme.example"], ["user:"]),
    ),
  },
  authoritative: bool,
};

const REPO: Record<string, PropGen> = {
  name: str(fc.constantFrom("repo", "apps"), "Bad_Name", ""),
  keepVersions: num(1, 50, 0, -1, 2.5),
  description: str(fc.string({ maxLength: 30 })),
  labels: WORKLOAD.labels,
  remote: str(fc.constant("docker-hub"), "quay"),
};

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly construct: string;
  readonly props: unknown;
  /** Props given an invalid value (a case with any must not synthesize). */
  readonly invalid: readonly string[];
}

/** Props: each prop absent (mostly), valid, or invalid; sometimes an unknown prop or a non-object. */
function cases(
  construct: string,
  gens: Record<string, PropGen>,
  base: Record<string, unknown>,
): fc.Arbitrary<Case> {
  const entries = Object.entries(gens);
  const choice = fc.constantFrom<"absent" | "valid" | "invalid">(
    "absent",
    "absent",
    "absent",
    "valid",
    "invalid",
  );
  const props = fc.tuple(...entries.map(([, g]) => fc.tuple(choice, g.valid, g.invalid)));
  return fc.oneof(
    {
      weight: 20,
      arbitrary: fc
        .tuple(props, fc.integer({ min: 0, max: 7 }), fc.constantFrom("valid", "one-bad", "any"))
        .map(([picked, extra, mode]) => {
          // "valid": no invalid value; "one-bad": at most one; "any": every invalid pick kept.
          const p: Record<string, unknown> = { ...base };
          const invalid: string[] = [];
          picked.forEach(([how, valid, bad], i) => {
            const key = entries[i][0];
            const keepBad =
              how === "invalid" && (mode === "any" || (mode === "one-bad" && invalid.length === 0));
            if (how === "valid" || (how === "invalid" && mode === "valid")) p[key] = valid;
            if (keepBad) {
              p[key] = bad;
              invalid.push(key);
            }
          });
          if (extra === 0 && mode !== "valid") {
            p.colour = "blue";
            invalid.push("colour");
          }
          return { construct, props: p, invalid };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(null, "props", [], 42)
        .map((props) => ({ construct, props, invalid: ["props"] })),
    },
  );
}

const BUILD: Record<string, (stack: TerraformStack, props: unknown) => void> = {
  service: (s, p) => new CloudRunService(s, "api", p as CloudRunServiceProps),
  job: (s, p) => new CloudRunJob(s, "report", p as CloudRunJobProps),
  pool: (s, p) => new WorkerPool(s, "pool", p as WorkerPoolProps),
  iam: (s, p) => new IamBinding(s, "binding", p as IamBindingProps),
  repo: (s, p) => new ArtifactRepository(s, "repo", p as object),
};

const ALL = fc.oneof(
  cases("service", SERVICE, { image: IMAGE }),
  cases("job", JOB, { image: IMAGE }),
  cases("pool", POOL, { image: IMAGE }),
  cases("iam", IAM, {
    target: { project: "acme-test" },
    role: "roles/viewer",
    members: ["user:a@acme.example"],
  }),
  cases("repo", REPO, {}),
);

describe("construct props fuzz", () => {
  const tally = { cases: 0, synthesized: 0, rejected: 0, validRejected: 0, crashes: 0, silent: 0 };
  afterAll(() => {
    console.log(
      `props fuzz: ${tally.cases} cases, ${tally.synthesized} synthesized, ${tally.rejected} refused with a reported error (${tally.validRejected} of them without an invalid value: cross-prop rules), ${tally.crashes} crashes, ${tally.silent} silent acceptances of invalid input`,
    );
  });

  test("every case synthesizes or fails with a reported error; invalid values never pass", () => {
    fc.assert(
      fc.property(ALL, (c) => {
        tally.cases++;
        const stack = fuzzStack(out.dir());
        try {
          BUILD[c.construct](stack, c.props);
          synthJson(stack);
        } catch (e) {
          if (!isReported(e)) {
            tally.crashes++;
            throw e;
          }
          tally.rejected++;
          if (c.invalid.length === 0) {
            tally.validRejected++;
            if (process.env.FUZZ_DEBUG)
              console.log((e as Error).message.split("\n").slice(0, 3).join(" | "));
          }
          return;
        }
        tally.synthesized++;
        if (c.invalid.length > 0) {
          tally.silent++;
          throw new Error(`silently accepted invalid ${c.invalid.join(", ")} of a ${c.construct}`);
        }
      }),
      { seed: SEED, numRuns: runs(1000) },
    );
  });
});
