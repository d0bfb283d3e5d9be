/**
 * Fuzz harness for environment files (issue 14): generated files, from plausible to hostile, are
 * either accepted as an Environment or refused with an EnvironmentFileError: never another
 * exception. Fixed seed; FUZZ_RUNS=<n> runs more cases (default 2000), FUZZ_SEED=<n> another seed.
 * FUZZ_REPORT=1 prints the counts (cases, clean rejections, acceptances, crashes).
 */
import * as fs from "fs";
import * as fc from "fast-check";
import { stringify } from "yaml";
import { Testing } from "cdktf";
import { Environment, EnvironmentFileError, parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { isConfigError } from "../../stacks/errors";

/** Testing.app() makes an outdir in the temporary folder for each app: removed after the tests. */
const outdirs: string[] = [];
function app() {
  const a = Testing.app();
  outdirs.push(a.outdir);
  return a;
}
afterAll(() => {
  for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

const WORKLOADS = ["api", "orders", "nightly-report", "orders-worker", "docs", "hello-fn"];
const IMAGE = "us-docker.pkg.dev/acme-ci/apps/x@sha256:" + "a".repeat(64);

/** Strings that have broken parsers, templates or terminals before. */
const nasty = fc.constantFrom(
  "",
  " ",
  "${var.x}",
  '${file("/etc/passwd")}',
  "%{ if true }x%{ endif }",
  "${TfToken[TOKEN.1]}",
  "__proto__",
  "constructor",
  "toString",
  "\u0000",
  "\u001b[31mred",
  "\u202e",
  "a".repeat(70),
  "x".repeat(300),
  "..",
  "../../etc",
  "true",
  "null",
  "1e3",
  ".nan",
  "-.inf",
  "0x10",
  "@x",
  "*a",
  "&a",
  "goog-x",
  "UPPER",
);

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  nasty,
  fc.integer(),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e21, 2 ** 53 + 1),
  fc.boolean(),
  fc.constant(null),
);

const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 2, withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), nasty), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** Usually `valid`, sometimes `wrong`. */
function mostly<T>(valid: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: wrong });
}

/** Values that are often right for each key, sometimes wrong. */
const perKey: Record<string, fc.Arbitrary<unknown>> = {
  project: mostly(
    fc.constantFrom("acme-dev", "acme-run-prod"),
    fc.oneof(fc.constantFrom("a", "Acme-dev"), scalar),
  ),
  region: mostly(
    fc.constantFrom("us-central1", "europe-west4"),
    fc.oneof(fc.constant("mars"), scalar),
  ),
  tier: mostly(
    fc.constantFrom("dev", "dev", "staging", "prod"),
    fc.oneof(fc.constant("production"), scalar),
  ),
  state: mostly(
    fc.record(
      { bucket: fc.constant("acme-tf"), prefix: fc.constantFrom("run/x", "run/y/") },
      { requiredKeys: ["bucket"] },
    ),
    anyValue,
  ),
  allowPublic: mostly(fc.boolean(), scalar),
  deployers: mostly(fc.array(fc.constant("group:p@acme.example"), { maxLength: 2 }), anyValue),
  build: mostly(fc.record({ grantRunBuilder: fc.boolean() }, { requiredKeys: [] }), anyValue),
  apis: mostly(fc.array(fc.constant("pubsub.googleapis.com"), { maxLength: 2 }), anyValue),
  labels: mostly(
    fc.dictionary(fc.constantFrom("team", "cost-center"), fc.constantFrom("platform", "42", ""), {
      maxKeys: 2,
    }),
    fc.dictionary(fc.oneof(fc.constantFrom("environment", "goog-x", "Team"), nasty), scalar, {
      maxKeys: 3,
    }),
  ),
  images: mostly(
    fc.dictionary(fc.constantFrom(...WORKLOADS), fc.constant(IMAGE), { maxKeys: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...WORKLOADS), nasty), scalar, { maxKeys: 3 }),
  ),
  overrides: mostly(
    fc.dictionary(
      fc.constantFrom(...WORKLOADS),
      fc.record(
        {
          enabled: fc.boolean(),
          minInstances: fc.integer({ min: 0, max: 3 }),
          maxInstances: fc.integer({ min: 3, max: 200 }),
          memory: fc.constantFrom("512Mi", "512MB", "1Gi"),
          cpu: fc.constantFrom("1", 2, "3", "0.5"),
          ingress: fc.constantFrom("all", "internal"),
          env: fc.dictionary(fc.constantFrom("A", "B"), fc.string({ maxLength: 8 }), {
            maxKeys: 2,
          }),
          secrets: fc.constant({ DB_PASSWORD: { version: "3" } }),
          vpc: fc.constant({ network: "default" }),
        },
        { requiredKeys: [] },
      ),
      { maxKeys: 3 },
    ),
    fc.dictionary(fc.oneof(fc.constantFrom(...WORKLOADS), nasty), anyValue, { maxKeys: 3 }),
  ),
};

/** A document: mostly the known keys, sometimes unknown or hostile ones. Maps keep `__proto__` a key. */
const document = fc
  .tuple(
    fc.subarray([
      "allowPublic",
      "deployers",
      "build",
      "apis",
      "labels",
      "images",
      "overrides",
      "state",
    ]),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant([]) },
      {
        weight: 1,
        arbitrary: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), nasty), anyValue), {
          maxLength: 2,
        }),
      },
    ),
    fc.subarray(["project", "region", "tier"], { minLength: 2 }),
    fc.double({ min: 0, max: 1 }),
  )
  .chain(([optional, extra, required, drop]) =>
    fc
      .tuple(
        ...(drop < 0.85 ? ["project", "region", "tier"] : required)
          .concat(optional)
          .map((k) => perKey[k].map((v) => [k, v] as [string, unknown])),
      )
      .map((pairs) => new Map<string, unknown>([...pairs, ...(extra as [string, unknown][])])),
  );

/** YAML that is not what stringify writes: aliases, tags, directives, merge keys, broken syntax. */
const snippet = fc.constantFrom(
  "&a ",
  "*a",
  "*undefined",
  "!!binary aGVsbG8=",
  "!!set { a }",
  "!!timestamp 2001-12-14",
  "!!js/function x",
  "!custom x",
  "%YAML 1.1\n---\n",
  "<<: *a\n",
  "? [a, b]\n: c\n",
  "\t",
  "\u0000",
  "\uFEFF",
  "- ",
  ": ",
  "{",
  "[",
  "'",
  '"',
  "#",
  "\n  ",
  "---\n",
  "...\n",
  "[".repeat(40),
  "a: &x [1]\nb: [*x, *x, *x]\n",
);

const text = fc.oneof(
  { weight: 5, arbitrary: document.map((d) => stringify(d)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        document.map((d) => stringify(d)),
        fc.array(fc.tuple(fc.nat(), snippet), { maxLength: 3 }),
      )
      .map(([t, edits]) =>
        edits.reduce(
          (s, [at, ins]) => s.slice(0, at % (s.length + 1)) + ins + s.slice(at % (s.length + 1)),
          t,
        ),
      ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
);

test(`${RUNS} generated environment files: each is accepted or refused cleanly, none crashes`, () => {
  const counts = { cases: 0, rejected: 0, accepted: 0, crashes: 0 };
  const crashes: string[] = [];
  fc.assert(
    fc.property(text, (yaml) => {
      counts.cases++;
      try {
        parseEnvironment(yaml, "environments/fuzz.yaml");
        counts.accepted++;
      } catch (e) {
        if (e instanceof EnvironmentFileError && /^ENV_INVALID: /.test(e.message)) {
          counts.rejected++;
          return;
        }
        counts.crashes++;
        if (crashes.length < 5)
          crashes.push(`${(e as Error)?.stack}\n--- input:\n${yaml.slice(0, 500)}`);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  if (process.env.FUZZ_REPORT)
    process.stdout.write(`environment-file fuzz: ${JSON.stringify(counts)}\n`);
  expect(crashes).toEqual([]);
  expect(counts.crashes).toBe(0);
  // The generator reaches both outcomes, or the property proves little.
  expect(counts.accepted).toBeGreaterThan(RUNS / 100);
  expect(counts.rejected).toBeGreaterThan(RUNS / 10);
});

/** A valid file with generated overrides: the stack is built or refused with a configuration error. */
const overridesDoc = perKey.overrides.map((overrides) =>
  stringify(
    new Map<string, unknown>([
      ["project", "acme-dev"],
      ["region", "us-central1"],
      ["tier", "dev"],
      [
        "images",
        Object.fromEntries(
          ["api", "orders", "otel-collector", "nightly-report", "orders-worker", "docs"].map(
            (w) => [w, IMAGE],
          ),
        ),
      ],
      ["overrides", overrides],
    ]),
  ),
);

test("accepted files with generated overrides build a stack or fail with a configuration error", () => {
  // The checks print their warnings to stderr at synth; not wanted in the test output.
  const quiet = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  let built = 0;
  fc.assert(
    fc.property(overridesDoc, (yaml) => {
      let env: Environment;
      try {
        env = parseEnvironment(yaml, "environments/fuzz.yaml");
      } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentFileError);
        return;
      }
      try {
        const stack = new EnvironmentStack(app(), env);
        stack.runAllValidations();
        built++;
      } catch (e) {
        if (!isConfigError(e)) throw e;
      }
    }),
    { numRuns: Math.max(10, Math.round(RUNS / 200)), seed: SEED },
  );
  quiet.mockRestore();
  expect(built).toBeGreaterThan(0);
});
