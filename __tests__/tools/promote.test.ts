/** promote on copies of the environment files in a temporary folder. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { promote } from "../../tools/promote";
import { setMapEntries } from "../../tools/private/yaml-edit";

const ROOT = path.resolve(__dirname, "..", "..");
const API = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"1".repeat(64)}`;
const WORKER = `us-docker.pkg.dev/acme-ci/apps/worker@sha256:${"2".repeat(64)}`;
const TAGGED = "us-docker.pkg.dev/acme-ci/apps/api:v2";

let dir: string;
const file = (env: string) => path.join(dir, `${env}.yaml`);
const read = (env: string) => fs.readFileSync(file(env), "utf8");
const images = (env: string) => (parseDocument(read(env)).toJS() as { images?: object }).images;

/** Gives the copied dev file exactly these images (whatever the shipped catalog holds). */
function setDevImages(values: Record<string, string>): void {
  const doc = parseDocument(read("dev"));
  doc.set("images", values);
  fs.writeFileSync(file("dev"), doc.toString());
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "promote-"));
  for (const env of ["dev", "staging", "prod"])
    fs.copyFileSync(path.join(ROOT, "environments", `${env}.yaml`), file(env));
  setDevImages({ api: API, worker: WORKER });
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("promote", () => {
  test("copies every image of the source into the target", () => {
    promote({ from: "dev", to: "staging", dir });
    expect(images("staging")).toMatchObject({ api: API, worker: WORKER });
  });

  test("keeps every other line of the target, comments included, in order", () => {
    const before = read("staging").split("\n");
    promote({ from: "dev", to: "staging", dir });
    const after = read("staging").split("\n");
    const rest = (lines: string[]) => lines.filter((l) => !/^\s+(api|worker):/.test(l));
    expect(rest(after)).toEqual(rest(before));
    expect(after[0]).toBe("# yaml-language-server: $schema=./schema.json");
  });

  test("--only copies the named workloads alone", () => {
    const result = promote({ from: "dev", to: "staging", dir, only: ["worker"] });
    expect(result.changed.map((c) => c.name)).toEqual(["worker"]);
    expect(images("staging")).toMatchObject({ worker: WORKER });
    expect((images("staging") as Record<string, string>).api).not.toBe(API);
  });

  test("returns a unified diff of the target file", () => {
    const old = (images("staging") as Record<string, string> | undefined)?.api;
    const { diff } = promote({ from: "dev", to: "staging", dir, only: ["api"] });
    const lines = diff.split("\n");
    expect(lines[0]).toBe(`--- ${path.resolve(file("staging"))}`);
    expect(lines[2]).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    if (old) expect(lines).toContain(`-  api: ${old}`);
    expect(lines).toContain(`+  api: ${API}`);
  });

  test("--dry-run returns the diff and writes nothing", () => {
    const before = read("staging");
    const result = promote({ from: "dev", to: "staging", dir, dryRun: true });
    expect(result.written).toBe(false);
    expect(result.diff).toContain(`+  worker: ${WORKER}`);
    expect(read("staging")).toBe(before);
  });

  test("refuses a tag-only reference into a prod-tier target and writes nothing", () => {
    setDevImages({ api: TAGGED, worker: WORKER });
    const before = read("prod");
    expect(() => promote({ from: "dev", to: "prod", dir })).toThrow(
      `api: "${TAGGED}" has a tag but no @sha256 digest; prod is tier prod, which takes digests only.`,
    );
    expect(read("prod")).toBe(before);
  });

  test("reads the tier from the target file, not its name", () => {
    setDevImages({ api: TAGGED });
    fs.writeFileSync(file("live"), read("staging").replace(/^tier: staging$/m, "tier: prod"));
    expect(() => promote({ from: "dev", to: "live", dir })).toThrow("live is tier prod");
  });

  test("accepts a tag-only reference into a non-prod target", () => {
    setDevImages({ api: TAGGED });
    promote({ from: "dev", to: "staging", dir });
    expect(images("staging")).toMatchObject({ api: TAGGED });
  });

  test("refuses an unknown environment, listing the known ones", () => {
    expect(() => promote({ from: "dev", to: "qa", dir })).toThrow(
      'unknown environment "qa"; known: dev, prod, staging',
    );
  });

  test("refuses an unknown workload, listing the source's images", () => {
    expect(() => promote({ from: "dev", to: "staging", dir, only: ["api", "nope"] })).toThrow(
      'unknown workload "nope"; dev has images for: api, worker',
    );
  });

  test("refuses the same environment on both sides", () => {
    expect(() => promote({ from: "dev", to: "dev", dir })).toThrow("same environment");
  });

  test("reports nothing to change on a second run", () => {
    promote({ from: "dev", to: "staging", dir });
    const again = promote({ from: "dev", to: "staging", dir });
    expect(again.changed).toEqual([]);
    expect(again.diff).toBe("");
  });
});

describe("setMapEntries", () => {
  test("replaces a value in place and appends a new key at the map's indentation", () => {
    const text = "# top\nimages:\n    api: old # pinned\nother: 1 # keep\n";
    expect(setMapEntries(text, "images", { api: "new", worker: "w" })).toBe(
      "# top\nimages:\n    api: new # pinned\n    worker: w\nother: 1 # keep\n",
    );
  });

  test("adds to a flow map", () => {
    expect(setMapEntries("images: { api: a }\n", "images", { worker: "w" })).toBe(
      "images: { api: a, worker: w }\n",
    );
  });

  test("creates the map at the end of a file without one", () => {
    expect(setMapEntries("tier: dev", "images", { api: "a" })).toBe(
      "tier: dev\nimages:\n  api: a\n",
    );
  });

  test("keeps the quoting style of the existing value", () => {
    expect(setMapEntries('images:\n  api: "old"\n', "images", { api: "new" })).toBe(
      'images:\n  api: "new"\n',
    );
  });
});

describe("CLI", () => {
  const run = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
        path.join(ROOT, "tools", "promote.ts"),
        ...args,
      ],
      { cwd: dir, encoding: "utf8" },
    );

  test("prints the diff on stdout, progress on stderr, and exits 0", () => {
    const r = run("--from", "dev", "--to", "staging", "--only", "worker", "--dir", ".");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--- a/staging.yaml\n+++ b/staging.yaml\n");
    expect(r.stdout).toContain(`+  worker: ${WORKER}`);
    expect(r.stderr).toContain(`promote: worker: (none) → ${WORKER}`);
    expect(r.stderr).toContain("promote: wrote staging.yaml");
  });

  test("exits 1 when refusing a tag for prod", () => {
    setDevImages({ api: TAGGED });
    const r = run("--from", "dev", "--to", "prod", "--dir", ".");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("refused, nothing written to prod.yaml");
  });

  test("exits 64 for an unknown environment", () => {
    const r = run("--from", "dev", "--to", "qa", "--dir", ".");
    expect(r.status).toBe(64);
    expect(r.stderr).toContain("known: dev, prod, staging");
  });
});
