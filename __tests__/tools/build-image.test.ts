/**
 * build-image with a stand-in `gcloud` on PATH (a script that records its arguments and prints
 * a Build JSON), on copies of the environment files, all in a temporary folder removed after
 * each test.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { buildImage, BuildImageOptions, HELP } from "../../tools/build-image";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const DIGEST = `sha256:${"a".repeat(64)}`;
const REPO = "us-central1-docker.pkg.dev/acme-run-dev/cloud-run-source-deploy";

let tmp: string;
let bin: string;
let envDir: string;
let src: string;

/** The stand-in gcloud: records argv (one JSON line per call), prints $FAKE_BUILD, exits $FAKE_EXIT. */
const GCLOUD = `#!${process.execPath}
const fs = require("fs");
fs.appendFileSync(process.env.FAKE_RECORD, JSON.stringify(process.argv.slice(2)) + "\\n");
process.stderr.write("Creating temporary archive of 2 file(s)...\\n");
if (process.env.FAKE_BUILD) process.stdout.write(fs.readFileSync(process.env.FAKE_BUILD, "utf8"));
process.exit(Number(process.env.FAKE_EXIT || 0));
`;

function build(json: unknown): void {
  fs.writeFileSync(path.join(tmp, "build.json"), JSON.stringify(json, null, 2) + "\n");
}

function success(name = `${REPO}/api:v1`, digest = DIGEST) {
  return {
    id: "b-123",
    status: "SUCCESS",
    logUrl: "https://console.cloud.google.com/cloud-build/builds/b-123",
    results: { images: [{ name, digest }] },
  };
}

function processEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    FAKE_RECORD: path.join(tmp, "calls.jsonl"),
    FAKE_BUILD: path.join(tmp, "build.json"),
    ...extra,
  };
}

function calls(): string[][] {
  const file = path.join(tmp, "calls.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as string[]);
}

function options(extra: Partial<BuildImageOptions> = {}): BuildImageOptions {
  return {
    env: "dev",
    workload: "api",
    source: src,
    tag: "v1",
    dir: envDir,
    processEnv: processEnv(),
    ...extra,
  };
}

const devImages = () =>
  (
    parseDocument(fs.readFileSync(path.join(envDir, "dev.yaml"), "utf8")).toJS() as {
      images: Record<string, string>;
    }
  ).images;

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "build-image-"));
  bin = path.join(tmp, "bin");
  envDir = path.join(tmp, "environments");
  src = path.join(tmp, "api");
  fs.mkdirSync(bin);
  fs.mkdirSync(envDir);
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, "main.go"), "package main\n");
  fs.writeFileSync(path.join(bin, "gcloud"), GCLOUD, { mode: 0o755 });
  for (const env of ["dev", "staging", "prod"])
    fs.copyFileSync(
      path.join(ROOT, "environments", `${env}.yaml`),
      path.join(envDir, `${env}.yaml`),
    );
  build(success());
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("build-image: the gcloud command", () => {
  test("without a Dockerfile, builds with buildpacks (--pack image=…) into cloud-run-source-deploy", () => {
    buildImage(options());
    expect(calls()).toEqual([
      [
        "builds",
        "submit",
        src,
        `--pack=image=${REPO}/api:v1`,
        "--project=acme-run-dev",
        "--region=us-central1",
        "--format=json",
        "--suppress-logs",
      ],
    ]);
  });

  test("with a Dockerfile, builds it with --tag", () => {
    fs.writeFileSync(path.join(src, "Dockerfile"), "FROM scratch\n");
    buildImage(options());
    expect(calls()[0][3]).toBe(`--tag=${REPO}/api:v1`);
  });

  test("--repository pushes elsewhere", () => {
    const repo = "us-docker.pkg.dev/acme-ci/apps";
    build(success(`${repo}/api:v1`));
    const r = buildImage(options({ repository: repo }));
    expect(calls()[0][3]).toBe(`--pack=image=${repo}/api:v1`);
    expect(r.reference).toBe(`${repo}/api@${DIGEST}`);
  });

  test("outside a git repository the tag defaults to latest", () => {
    build(success(`${REPO}/api:latest`));
    buildImage(options({ tag: undefined }));
    expect(calls()[0][3]).toBe(`--pack=image=${REPO}/api:latest`);
  });

  test("--dry-run returns the command and runs nothing", () => {
    const r = buildImage(options({ dryRun: true }));
    expect(r.command[0]).toBe("gcloud");
    expect(r.written).toBe(false);
    expect(calls()).toEqual([]);
  });
});

describe("build-image: the digest written", () => {
  test("writes REPO/WORKLOAD@sha256:… into the environment's images: entry", () => {
    const r = buildImage(options());
    expect(r.reference).toBe(`${REPO}/api@${DIGEST}`);
    expect(devImages().api).toBe(`${REPO}/api@${DIGEST}`);
    expect(r.written).toBe(true);
  });

  test("keeps every other line of the file, comments included", () => {
    const before = fs.readFileSync(path.join(envDir, "dev.yaml"), "utf8").split("\n");
    buildImage(options());
    const after = fs.readFileSync(path.join(envDir, "dev.yaml"), "utf8").split("\n");
    const rest = (lines: string[]) => lines.filter((l) => !/^\s+api:/.test(l));
    expect(rest(after)).toEqual(rest(before));
    expect(after.filter((l) => l.startsWith("#")).length).toBeGreaterThan(0);
  });

  test("leaves the other environments alone", () => {
    const staging = fs.readFileSync(path.join(envDir, "staging.yaml"), "utf8");
    buildImage(options());
    expect(fs.readFileSync(path.join(envDir, "staging.yaml"), "utf8")).toBe(staging);
  });

  test("the same digest twice writes nothing the second time", () => {
    buildImage(options());
    expect(buildImage(options()).written).toBe(false);
  });
});

describe("build-image: errors", () => {
  test("gcloud missing: a clear error, nothing written", () => {
    const before = fs.readFileSync(path.join(envDir, "dev.yaml"), "utf8");
    const e = errorOf(() => buildImage(options({ processEnv: { ...processEnv(), PATH: tmp } })));
    expect(e.name).toBe("ToolError");
    expect(e.message).toContain("gcloud is not on PATH");
    expect(fs.readFileSync(path.join(envDir, "dev.yaml"), "utf8")).toBe(before);
  });

  test("the build fails: gcloud's exit code is reported, nothing written", () => {
    build({ id: "b-9", status: "FAILURE" });
    const e = errorOf(() => buildImage(options({ processEnv: processEnv({ FAKE_EXIT: "1" }) })));
    expect(e.message).toContain("the build failed (gcloud exited 1, build b-9 FAILURE)");
    expect(devImages().api).not.toContain(DIGEST);
  });

  test("a build that did not succeed is refused even when gcloud exits 0", () => {
    build({ id: "b-7", status: "TIMEOUT" });
    expect(errorOf(() => buildImage(options())).message).toContain("build b-7 ended TIMEOUT");
  });

  test("no digest in the build result: an error naming the build and its log", () => {
    build({ id: "b-5", status: "SUCCESS", logUrl: "https://log", results: { images: [] } });
    const e = errorOf(() => buildImage(options()));
    expect(e.message).toContain("the build b-5 reported no digest for");
    expect(e.message).toContain("https://log");
    expect(devImages().api).not.toContain(DIGEST);
  });

  test("no Build JSON on stdout: an error", () => {
    fs.writeFileSync(path.join(tmp, "build.json"), "Done.\n");
    expect(errorOf(() => buildImage(options())).message).toContain("printed no Build JSON");
  });

  test("an unknown environment is a usage error listing the known ones", () => {
    const e = errorOf(() => buildImage(options({ env: "qa" })));
    expect([e.name, e.message]).toEqual([
      "UsageError",
      'unknown environment "qa"; known: dev, prod, staging',
    ]);
  });

  test("a workload without an images: entry is a usage error listing those with one", () => {
    const e = errorOf(() => buildImage(options({ workload: "billing" })));
    expect(e.name).toBe("UsageError");
    expect(e.message).toContain("has no images.billing; workloads with an image: api, orders");
  });

  test("a source that is not a directory is a usage error", () => {
    expect(errorOf(() => buildImage(options({ source: path.join(tmp, "nope") }))).name).toBe(
      "UsageError",
    );
  });
});

describe("build-image: the command line", () => {
  function cli(args: string[], extra: Record<string, string> = {}) {
    return spawnSync(process.execPath, [TSX, path.join(ROOT, "tools", "build-image.ts"), ...args], {
      cwd: tmp,
      encoding: "utf8",
      env: processEnv(extra),
    });
  }

  test("prints the reference on stdout, progress on stderr, exit 0", () => {
    const r = cli([
      "--env",
      "dev",
      "--workload",
      "api",
      "--source",
      src,
      "--tag",
      "v1",
      "--dir",
      envDir,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${REPO}/api@${DIGEST}\n`);
    expect(r.stderr).toContain("build-image: building");
    expect(r.stderr).toContain("Creating temporary archive");
  });

  test("--dry-run prints the command on stdout", () => {
    const r = cli([
      "--env",
      "dev",
      "--workload",
      "api",
      "--source",
      src,
      "--tag",
      "v1",
      "--dir",
      envDir,
      "--dry-run",
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `gcloud builds submit ${src} --pack=image=${REPO}/api:v1 --project=acme-run-dev --region=us-central1 --format=json --suppress-logs\n`,
    );
    expect(calls()).toEqual([]);
  });

  test("a failed build exits 1", () => {
    const r = cli(["--env", "dev", "--workload", "api", "--source", src, "--dir", envDir], {
      FAKE_EXIT: "1",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("build-image: the build failed");
  });

  test("--help prints the usage with the exit codes", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(HELP);
    expect(HELP).toContain("Exit codes:");
  });
});
