/** promote on copies of the environment files in a temporary folder. */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { ToolError } from "../../tools/private/cli";
import { preparePromotion, promote, writePromotion } from "../../tools/promote";
import { renderScalar, setMapEntries } from "../../tools/private/yaml-edit";

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

describe("promote writes safely (issue 14 item 10)", () => {
  test("replaces the target through a renamed temporary file and leaves no temporary file", () => {
    const inode = fs.statSync(file("staging")).ino;
    promote({ from: "dev", to: "staging", dir });
    expect(fs.statSync(file("staging")).ino).not.toBe(inode);
    expect(fs.readdirSync(dir).sort()).toEqual(["dev.yaml", "prod.yaml", "staging.yaml"]);
  });

  test("keeps the target's permission bits", () => {
    fs.chmodSync(file("staging"), 0o640);
    promote({ from: "dev", to: "staging", dir });
    expect(fs.statSync(file("staging")).mode & 0o777).toBe(0o640);
  });

  test("writes through a symlinked target, which stays a symlink", () => {
    const real = path.join(dir, "real-staging.yml");
    fs.renameSync(file("staging"), real);
    fs.symlinkSync(real, file("staging"));
    promote({ from: "dev", to: "staging", dir });
    expect(fs.lstatSync(file("staging")).isSymbolicLink()).toBe(true);
    expect(images("staging")).toMatchObject({ api: API, worker: WORKER });
  });

  test("refuses to write when the target changed since it was read", () => {
    const prepared = preparePromotion({ from: "dev", to: "staging", dir });
    const edited = `${read("staging")}# edited meanwhile\n`;
    fs.writeFileSync(file("staging"), edited);
    expect(() => writePromotion(prepared)).toThrow(
      `${file("staging")} changed since it was read; nothing written.`,
    );
    expect(read("staging")).toBe(edited);
    expect(fs.readdirSync(dir)).toHaveLength(3);
  });

  test("keeps CRLF line endings, on new lines too", () => {
    fs.writeFileSync(file("staging"), read("staging").replace(/\n/g, "\r\n"));
    promote({ from: "dev", to: "staging", dir });
    const text = read("staging");
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain(`\r\n  worker: ${WORKER}\r\n`);
    expect(images("staging")).toMatchObject({ api: API, worker: WORKER });
  });

  test("a target with problems of its own is refused with a plain message, untouched", () => {
    const broken = read("staging").replace(/^tier: staging$/m, "tier: qa");
    fs.writeFileSync(file("staging"), broken);
    expect(() => promote({ from: "dev", to: "staging", dir })).toThrow(ToolError);
    expect(() => promote({ from: "dev", to: "staging", dir })).toThrow(
      new RegExp(
        `^${file("staging")} is not a valid environment file, before any change; nothing written\\. Fix it first:\\nENV_INVALID: [\\s\\S]*tier`,
      ),
    );
    expect(read("staging")).toBe(broken);
  });

  test("a write that fails half-way leaves the target whole (file size limit in a child)", () => {
    // 8 KB of comment: bigger than the 2 KB the child may write (ulimit -f 2; SIGXFSZ ignored,
    // so write(2) fails with EFBIG after a partial write).
    const original = `${read("staging")}${"# padding\n".repeat(800)}`;
    fs.writeFileSync(file("staging"), original);
    const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const r = spawnSync(
      "bash",
      [
        "-c",
        'trap "" XFSZ; ulimit -f 2; exec "$@"',
        "bash",
        process.execPath,
        tsx,
        path.join(ROOT, "tools", "promote.ts"),
        ...["--from", "dev", "--to", "staging", "--dir", "."],
      ],
      { cwd: dir, encoding: "utf8" },
    );
    expect(r.stderr).toContain("promote: cannot write staging.yaml: file too large (EFBIG)");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(1);
    expect(read("staging")).toBe(original);
    expect(fs.readdirSync(dir).sort()).toEqual(["dev.yaml", "prod.yaml", "staging.yaml"]);
  });
});

describe("setMapEntries", () => {
  test.each(["123", "null", "1e3", "@x", "true", "~", "a: b", "#x", "  spaced", ""])(
    "the string %j is written so that it reads back as that string",
    (value) => {
      for (const text of ["images:\n  api: old\n", "images: { api: old }\n", "tier: dev\n"]) {
        const out = setMapEntries(text, "images", { api: value, [value || "empty"]: value });
        expect(parseDocument(out).toJS()).toMatchObject({
          images: { api: value, [value || "empty"]: value },
        });
      }
    },
  );

  test("renders with the yaml library: quotes what YAML would read as another type", () => {
    expect(setMapEntries("images:\n  api: old\n", "images", { api: "123", b: "@x" })).toBe(
      'images:\n  api: "123"\n  b: "@x"\n',
    );
    expect(renderScalar("1e3")).toBe('"1e3"');
    expect(renderScalar("null")).toBe('"null"');
    expect(renderScalar("it's", undefined)).toBe("it's");
    expect(renderScalar("a,b", undefined, "flow")).toBe('"a,b"');
    expect(renderScalar("two\nlines")).toBe('"two\\nlines"');
  });

  test("fills an entry that has no value yet", () => {
    expect(setMapEntries("images:\n  api:\n  w: x\n", "images", { api: "a" })).toBe(
      "images:\n  api: a\n  w: x\n",
    );
  });

  test("finds a key YAML reads as a number", () => {
    expect(setMapEntries("images:\n  123: old\n", "images", { "123": "new" })).toBe(
      "images:\n  123: new\n",
    );
  });

  test("keeps CRLF when appending and when creating the map", () => {
    expect(setMapEntries("images:\r\n  api: a # c\r\n", "images", { w: "w" })).toBe(
      "images:\r\n  api: a # c\r\n  w: w\r\n",
    );
    expect(setMapEntries("tier: dev\r\n", "images", { w: "w" })).toBe(
      "tier: dev\r\nimages:\r\n  w: w\r\n",
    );
  });
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
