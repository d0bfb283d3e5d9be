/**
 * What a source archive holds: gcloud's .gcloudignore semantics (or its default), never
 * credentials, links followed only inside the directory.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listSource } from "../../../lib/function/source-files";
import { compileRule, decidingRule } from "../../../lib/function/gcloudignore";
import { uploadSource } from "../../../lib/function/source-upload";
import { removeSourceArchives, sourceArchiveDir } from "../../../lib/function/zip";
import { plainStack } from "../../helpers";
import { unzip } from "../../unzip";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "source-files-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
afterAll(() => removeSourceArchives());

/** Writes `files` (relative path → content) under `root/name`. */
function tree(files: Record<string, string>, name = "src"): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function listed(dir: string): { files: string[]; skipped: string[]; problems: string[] } {
  const problems: string[] = [];
  const l = listSource(dir, (why) => problems.push(why));
  return {
    files: l.files.map((f) => f.rel).sort(),
    skipped: l.skipped.map((s) => s.rel).sort(),
    problems,
  };
}

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n";
const SA_KEY = JSON.stringify({
  type: "service_account",
  project_id: "acme-dev",
  private_key_id: "abc",
  private_key: PEM,
  client_email: "ci@acme-dev.iam.gserviceaccount.com",
});

describe("the held-out case: what gcloud would upload, and no credentials", () => {
  test(".git, .env, key.json, node_modules, a .gcloudignore and a link out of the directory", () => {
    const outside = tree({ "secret.txt": "outside" }, "elsewhere");
    const dir = tree({
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/config": "[core]\n",
      ".env": "DB_PASSWORD=hunter2\n",
      "key.json": SA_KEY,
      "node_modules/express/index.js": "module.exports = {};\n",
      ".gcloudignore":
        ".gcloudignore\n.git\nnode_modules/\n*.log\n!keep.log\n#!include:.gitignore\n",
      ".gitignore": "dist/\ncoverage\n",
      "dist/bundle.js": "built",
      "coverage/lcov.info": "x",
      "debug.log": "noise",
      "keep.log": "kept on purpose",
      "index.js": "exports.hello = () => {};\n",
      "package.json": "{}\n",
      "lib/util.js": "module.exports = 1;\n",
    });
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "outside.txt"));

    const stack = plainStack({ project: "acme-dev" });
    const up = uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    const zip = fs.readFileSync(path.join(sourceArchiveDir()!, up.hash, "archive.zip"));

    // .gitignore itself is uploaded: only .gcloudignore lists what is ignored, and it does not
    // name .gitignore (gcloud's generated default would).
    expect(unzip(zip).map((e) => e.name)).toEqual([
      ".gitignore",
      "index.js",
      "keep.log",
      "lib/util.js",
      "package.json",
    ]);
    expect(Object.fromEntries(up.skipped.map((s) => [s.rel, s.reason]))).toEqual({
      ".env": "environment file (.env*): never packed",
      ".gcloudignore": "ignored by .gcloudignore:1 (.gcloudignore)",
      ".git/": "ignored by .gcloudignore:2 (.git)",
      "coverage/": "ignored by .gitignore:2 (coverage)",
      "debug.log": "ignored by .gcloudignore:4 (*.log)",
      "dist/": "ignored by .gitignore:1 (dist/)",
      "key.json": "service-account key file: never packed",
      "node_modules/": "ignored by .gcloudignore:3 (node_modules/)",
      "outside.txt": `link to ${fs.realpathSync(path.join(outside, "secret.txt"))}, outside the source directory: not followed`,
    });
    expect(zip.includes(Buffer.from("hunter2"))).toBe(false);
    expect(zip.includes(Buffer.from("outside"))).toBe(false);
  });

  test("the link out of the directory is a synth warning naming it", () => {
    const outside = tree({ "secret.txt": "outside" }, "elsewhere");
    const dir = tree({ "index.js": "x" });
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "outside.txt"));
    const stack = plainStack();
    uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    const warnings = stack.node.metadata.filter((m) => m.type === "@cdktf/warn");
    expect(warnings.map((w) => String(w.data))).toEqual([
      expect.stringContaining("[test] source.directory: outside.txt is a link to"),
    ]);
  });
});

describe("without a .gcloudignore: gcloud's default", () => {
  test("skips .gcloudignore's own defaults: .git, .gitignore and node_modules", () => {
    const dir = tree({
      ".git/HEAD": "x",
      ".gitignore": "",
      "node_modules/a/index.js": "x",
      "index.js": "x",
    });
    expect(listed(dir)).toEqual({
      files: ["index.js"],
      skipped: [".git/", ".gitignore", "node_modules/"],
      problems: [],
    });
  });

  test("includes the .gitignore's rules when there is one", () => {
    const dir = tree({
      ".gitignore": "*.tmp\nbuild/\n",
      "a.tmp": "x",
      "build/x": "x",
      "main.py": "x",
    });
    expect(listed(dir).files).toEqual(["main.py"]);
  });
});

describe("never packed, whatever the ignore file says", () => {
  test(".env and .env.* files", () => {
    const dir = tree({ ".gcloudignore": "", ".env": "A=1", ".env.production": "A=2", "a.js": "x" });
    expect(listed(dir).files).toEqual([".gcloudignore", "a.js"]);
  });

  test("a file holding a PEM private key, under any name", () => {
    const dir = tree({ "certs/server.pem": PEM, "config/tls.txt": `x\n${PEM}`, "a.js": "x" });
    expect(listed(dir).files).toEqual(["a.js"]);
  });

  test("a service-account key file, under any .json name", () => {
    const dir = tree({ "creds/ci.json": SA_KEY, "a.js": "x", "config.json": '{"private_key": 1}' });
    expect(listed(dir).files).toEqual(["a.js", "config.json"]);
  });

  test("SSH keys and key stores by name; public keys and certificates are packed", () => {
    const dir = tree({
      id_rsa: "x",
      "id_rsa.pub": "ssh-rsa AAAA",
      "store.p12": "x",
      "cert.pem": "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n",
    });
    expect(listed(dir).files).toEqual(["cert.pem", "id_rsa.pub"]);
  });
});

describe("symbolic links", () => {
  test("a link to a file inside the directory packs the target's content under the link's path", () => {
    const dir = tree({ "real/config.yaml": "a: 1\n" });
    fs.symlinkSync("real/config.yaml", path.join(dir, "config.yaml"));
    expect(listed(dir).files).toEqual(["config.yaml", "real/config.yaml"]);
  });

  test("a dangling link is a problem naming its path and target", () => {
    const dir = tree({ "a.js": "x" });
    fs.symlinkSync("missing.js", path.join(dir, "b.js"));
    expect(listed(dir).problems).toEqual([
      "the link b.js (→ missing.js) points at nothing (dangling)",
    ]);
  });

  test("a link loop is a problem naming its path", () => {
    const dir = tree({ "a.js": "x" });
    fs.symlinkSync("loop2", path.join(dir, "loop1"));
    fs.symlinkSync("loop1", path.join(dir, "loop2"));
    expect(listed(dir).problems).toEqual([
      "the link loop1 (→ loop2) loops",
      "the link loop2 (→ loop1) loops",
    ]);
  });

  test("a link to a directory above it is a problem, not an endless walk", () => {
    const dir = tree({ "sub/a.js": "x" });
    fs.symlinkSync("..", path.join(dir, "sub", "up"));
    expect(listed(dir).problems).toEqual([
      "the link sub/up (→ ..) loops back to a directory above it",
    ]);
  });

  test("a dangling link inside an ignored directory is never looked at", () => {
    const dir = tree({ "a.js": "x", "node_modules/.bin/.keep": "" });
    fs.symlinkSync("../nowhere", path.join(dir, "node_modules", ".bin", "tool"));
    expect(listed(dir).problems).toEqual([]);
  });

  test("uploadSource fails on a dangling link, naming the prop and the path", () => {
    const dir = tree({ "a.js": "x" });
    fs.symlinkSync("missing.js", path.join(dir, "b.js"));
    expect(() =>
      uploadSource(plainStack(), "Source", { directory: dir, region: "us-central1" }),
    ).toThrow(
      /CR_SOURCE_DIRECTORY: \[test\] source\.directory is .*the link b\.js \(→ missing\.js\) points at nothing/,
    );
  });
});

describe(".gcloudignore syntax", () => {
  const ignores = (pattern: string, rel: string, isDir = false) => {
    const rule = decidingRule([compileRule(pattern, "t")!], rel, isDir);
    return rule !== undefined && !rule.negate;
  };

  test("a name without a slash matches at any depth", () => {
    expect(ignores("*.log", "a/b/c.log")).toBe(true);
  });

  test("a leading or middle slash anchors the pattern to the top-level directory", () => {
    expect(ignores("/build", "build", true)).toBe(true);
    expect(ignores("/build", "src/build", true)).toBe(false);
    expect(ignores("docs/*.md", "docs/a.md")).toBe(true);
    expect(ignores("docs/*.md", "x/docs/a.md")).toBe(false);
  });

  test("a trailing slash matches directories only", () => {
    expect(ignores("tmp/", "tmp", true)).toBe(true);
    expect(ignores("tmp/", "tmp", false)).toBe(false);
  });

  test("** matches any number of directories", () => {
    expect(ignores("**/fixtures", "a/b/fixtures", true)).toBe(true);
    expect(ignores("a/**/z.txt", "a/z.txt")).toBe(true);
    expect(ignores("a/**/z.txt", "a/b/c/z.txt")).toBe(true);
    expect(ignores("a/**", "a/b/c")).toBe(true);
  });

  test("? and character classes match one character, never a slash", () => {
    expect(ignores("file?.txt", "file1.txt")).toBe(true);
    expect(ignores("file?.txt", "file/.txt")).toBe(false);
    expect(ignores("[ab].txt", "b.txt")).toBe(true);
    expect(ignores("[!ab].txt", "b.txt")).toBe(false);
  });

  test("comments and blank lines are not rules; an escaped # is a name", () => {
    expect(compileRule("# comment", "t")).toBeUndefined();
    expect(compileRule("   ", "t")).toBeUndefined();
    expect(ignores("\\#notes", "#notes")).toBe(true);
  });

  test("the last matching rule wins; ! re-includes", () => {
    const dir = tree({
      ".gcloudignore": "*.txt\n!keep.txt\n",
      "a.txt": "",
      "keep.txt": "",
      "x.js": "",
    });
    expect(listed(dir).files).toEqual([".gcloudignore", "keep.txt", "x.js"]);
  });

  test("a file in an excluded directory cannot be re-included", () => {
    const dir = tree({
      ".gcloudignore": "data/\n!data/keep.txt\n",
      "data/keep.txt": "",
      "x.js": "",
    });
    expect(listed(dir).files).toEqual([".gcloudignore", "x.js"]);
  });

  test("#!include of a missing file is a problem", () => {
    const dir = tree({ ".gcloudignore": "#!include:.gitignore\n", "x.js": "" });
    expect(listed(dir).problems).toEqual(["#!include:.gitignore: the file does not exist"]);
  });

  test("#!include of a file outside the directory is a problem", () => {
    const dir = tree({ ".gcloudignore": "#!include:../.gitignore\n", "x.js": "" });
    expect(listed(dir).problems).toEqual([
      "#!include:../.gitignore names a file outside the source directory",
    ]);
  });
});
