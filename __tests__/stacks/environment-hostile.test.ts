/**
 * Environment files as an attacker or a clumsy user writes them (issue 14 items 2–8): each is a
 * clean ENV_INVALID naming the file and the key or line, never a crash, and every other bad file
 * is still reported.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  EnvironmentFileError,
  loadEnvironments,
  parseEnvironment,
  readEnvironments,
} from "../../stacks/environment";

const BASE = "project: acme-dev\nregion: us-central1\ntier: dev\n";
const FILE = "environments/hostile.yaml";

function problemsOf(yaml: string, file = FILE): string {
  try {
    parseEnvironment(yaml, file);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvironmentFileError);
    return (e as Error).message;
  }
  throw new Error("expected the file to be rejected");
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "envs-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string | Buffer>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** Every error message of the folder, joined. */
function folderProblems(): string {
  return readEnvironments(dir)
    .errors.map((e) => e.message)
    .join("\n\n");
}

describe("item 8: one zod definition for validator and JSON Schema", () => {
  test("an empty optional key (state: ~) is accepted as absent", () => {
    expect(parseEnvironment(`${BASE}state: ~\nlabels:\n`, FILE).state).toBeUndefined();
  });

  test("an empty required key says it is required", () => {
    expect(problemsOf("project: ~\nregion: us-central1\ntier: dev\n")).toMatch(
      /- project: required \(Google Cloud project id\) but empty/,
    );
  });

  test("an unknown key in a nested mapping lists the keys allowed there", () => {
    expect(problemsOf(`${BASE}state: { bucket: acme-tf, prefx: x }\n`)).toContain(
      "- state.prefx: unknown key; allowed keys here: bucket, prefix",
    );
  });
});

describe("item 2: one Terraform state per environment", () => {
  const state = (prefix: string) =>
    `project: acme-dev\nregion: us-central1\ntier: staging\nstate: { bucket: acme-tf, prefix: ${prefix} }\n`;

  test("two files with the same bucket and prefix are refused, naming both files", () => {
    write({ "dev.yaml": state("run/dev"), "dev2.yaml": state("run/dev") });
    const { environments, errors } = readEnvironments(dir);
    expect(environments).toEqual([]);
    const text = errors.map((e) => e.message).join("\n");
    expect(text).toMatch(
      /dev\.yaml has 1 problem:\n {2}- state: gs:\/\/acme-tf\/run\/dev is also the state of .*dev2\.yaml/,
    );
    expect(text).toMatch(
      /dev2\.yaml has 1 problem:\n {2}- state: gs:\/\/acme-tf\/run\/dev is also the state of .*dev\.yaml/,
    );
  });

  test("a trailing slash does not make a prefix distinct", () => {
    write({ "a.yaml": state("run/x"), "b.yaml": state("run/x/") });
    expect(folderProblems()).toContain("is also the state of");
  });

  test("distinct prefixes in one bucket are fine", () => {
    write({ "a.yaml": state("run/a"), "b.yaml": state("run/b") });
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(["a", "b"]);
  });
});

test("a key written twice is refused with its line", () => {
  expect(problemsOf(`${BASE}labels: { team: a, team: b }\n`)).toContain(
    '- line 4, column 20: YAML syntax: key "labels.team" is written twice; keep one',
  );
});

describe("item 3: keys that name JavaScript object properties", () => {
  test.each(["__proto__", "constructor", "toString"])(
    "%s as a top-level key is a clean error with its line",
    (key) => {
      expect(problemsOf(`${BASE}${key}: { tier: prod }\n`)).toContain(
        `- ${key}: key "${key}" (line 4, column 1) names a JavaScript object property`,
      );
    },
  );

  test("nested under labels, env or images they are refused with the key path", () => {
    const msg = problemsOf(
      `${BASE}labels: { constructor: x }\nimages: { __proto__: x }\noverrides:\n  api: { env: { toString: x } }\n`,
    );
    expect(msg).toContain("- labels.constructor: key");
    expect(msg).toContain("- images.__proto__: key");
    expect(msg).toContain("- overrides.api.env.toString: key");
  });

  test("__proto__ does not change any object's prototype", () => {
    problemsOf(`${BASE}__proto__: { polluted: yes }\n`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("item 4: YAML aliases", () => {
  const bomb = (() => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i <= 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    return `${lines.join("\n")}\n`;
  })();

  test("more than 100 aliases (a billion laughs) is a clean error with the line", () => {
    expect(problemsOf(bomb)).toMatch(/- line \d+, column \d+: more than 100 YAML aliases/);
  });

  test("an undefined alias is a clean error with the line", () => {
    expect(problemsOf(`${BASE}labels: *nowhere\n`)).toMatch(
      /- line 4, column 9: alias \*nowhere names no anchor/,
    );
  });

  test("a few aliases are fine", () => {
    const env = parseEnvironment(
      `${BASE}labels: &l { team: a }\noverrides:\n  api: { labels: *l }\n`,
      FILE,
    );
    expect(env.overrides.api.labels).toEqual({ team: "a" });
  });

  test("the other bad files of the folder are still reported", () => {
    write({ "bomb.yaml": bomb, "other.yaml": "region: us-central1\ntier: dev\n" });
    const text = folderProblems();
    expect(text).toContain("bomb.yaml has 1 problem");
    expect(text).toMatch(/other\.yaml has 1 problem:\n {2}- project: missing/);
  });
});

describe("item 5: top-level labels follow the constructs' label rules", () => {
  test.each([
    [
      "upper case key",
      "{ Team: a }",
      /- labels\.Team: key "Team": a label key is 1–63 .* \(CR_LABEL_KEY\)/,
    ],
    ["empty key", '{ "": a }', /- labels\[""\]: key "": a label key/],
    [
      "${…} key",
      '{ "${var.x}": a }',
      /- labels\["\$\{var\.x\}"\]: key "\$\{var\.x\}": a label key/,
    ],
    [
      "upper case value",
      "{ team: Platform }",
      /- labels\.team: value "Platform": a label value is 0–63 .* \(CR_LABEL_VALUE\)/,
    ],
    [
      "goog- prefix",
      "{ goog-owner: a }",
      /- labels\.goog-owner: key "goog-owner" is in the goog- namespace/,
    ],
    ["environment", "{ environment: prod }", /- labels\.environment: is set by cdktf-cloud-run/],
    ["managed-by", "{ managed-by: me }", /- labels\.managed-by: is set by cdktf-cloud-run/],
    ["reserved namespace", '{ "run.googleapis.com/x": a }', /\(CR_LABEL_RESERVED\)/],
  ])("%s is refused", (_name, labels, expected) => {
    expect(problemsOf(`${BASE}labels: ${labels}\n`)).toMatch(expected);
  });

  test("a 200,000-character value is refused and echoed capped", () => {
    const msg = problemsOf(`${BASE}labels: { team: ${"a".repeat(200_000)} }\n`);
    expect(msg).toContain("(200000 characters): a label value is 0–63");
    expect(msg.length).toBeLessThan(1000);
  });

  test("more than 64 labels with environment and managed-by are refused, once", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => `l${i}: x`).join(", ");
    const msg = problemsOf(`${BASE}labels: { ${many} }\n`);
    expect(msg).toMatch(
      /has 1 problem:\n {2}- labels: 5000 labels, and environment and managed-by are added; at most 64/,
    );
  });

  test("valid labels pass", () => {
    expect(
      parseEnvironment(`${BASE}labels: { team: platform, cost-center: "42" }\n`, FILE).labels,
    ).toEqual({
      team: "platform",
      "cost-center": "42",
    });
  });
});

describe("item 6: file names and file kinds", () => {
  test.each([
    ["..yaml", '"."'],
    ["...yaml", '".."'],
    ["my env.yaml", '"my env"'],
    ["${x}.yaml", '"${x}"'],
    ["Prod.yaml", '"Prod"'],
    [`${"a".repeat(200)}.yaml`, `${JSON.stringify("a".repeat(77))}… (200 characters)`],
  ])("%s is refused as an environment name", (name, shown) => {
    write({ [name]: BASE, "ok.yaml": BASE });
    const { environments, errors } = readEnvironments(dir);
    expect(environments.map((e) => e.name)).toEqual(["ok"]);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(`- (file name): ${shown}`);
    expect(errors[0].message).toContain("is not an environment name");
  });

  test("dev.yaml beside dev.yml is refused, naming both", () => {
    write({ "dev.yaml": BASE, "dev.yml": BASE });
    const text = folderProblems();
    expect(text).toContain('"dev.yaml" and "dev.yml" would both be the environment "dev"');
    expect(readEnvironments(dir).environments).toEqual([]);
  });

  test("a FIFO is skipped with a note, without opening it (no hang)", () => {
    write({ "ok.yaml": BASE });
    expect(spawnSync("mkfifo", [path.join(dir, "pipe.yaml")]).status).toBe(0);
    const { environments, errors, notes } = readEnvironments(dir);
    expect(environments.map((e) => e.name)).toEqual(["ok"]);
    expect(errors).toEqual([]);
    expect(notes).toEqual([expect.stringMatching(/pipe\.yaml is not a regular file .*; skipped/)]);
  });

  test("a folder named x.yaml is skipped with a note", () => {
    write({ "ok.yaml": BASE });
    fs.mkdirSync(path.join(dir, "x.yaml"));
    expect(readEnvironments(dir).notes).toHaveLength(1);
  });

  test("invalid UTF-8 is refused with its line", () => {
    write({
      "bad.yaml": Buffer.concat([
        Buffer.from(`${BASE}labels: { team: `),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(" }\n"),
      ]),
    });
    expect(folderProblems()).toMatch(
      /bad\.yaml has 1 problem:\n {2}- \(file\): is not UTF-8 text \(line 4\)/,
    );
  });

  test("a NUL byte is refused with its line", () => {
    write({ "nul.yaml": `${BASE}labels: { team: a\u0000b }\n` });
    expect(folderProblems()).toMatch(/- \(file\): holds a NUL byte \(line 4\)/);
  });

  test("an upper-case extension is refused, not silently ignored", () => {
    write({ "prod.YAML": BASE, "ok.yaml": BASE });
    expect(folderProblems()).toContain('ends in ".YAML"; environment files end in .yaml');
  });
});

describe("item 7: echoed values are capped and shown as written", () => {
  test("a 1 MB tier is echoed capped", () => {
    const msg = problemsOf(
      `project: acme-dev\nregion: us-central1\ntier: ${"x".repeat(1_000_000)}\n`,
    );
    expect(msg).toContain("… (1000000 characters)");
    expect(msg.length).toBeLessThan(500);
  });

  test("NaN and Infinity show as written, not as null", () => {
    const msg = problemsOf(
      `${BASE}overrides:\n  api: { minInstances: .inf, maxInstances: .NaN, concurrency: -.Inf }\n`,
    );
    expect(msg).toContain(
      "overrides.api.minInstances: expected an integer ≥ 0 (minimum instances), got number .inf",
    );
    expect(msg).toContain("got number .NaN");
    expect(msg).toContain("got number -.Inf");
    expect(msg).not.toContain("null");
  });

  test("numbers show as written (1e3, 0x10)", () => {
    const msg = problemsOf(`${BASE}overrides:\n  api: { memory: 1e3, cpu: [0x10] }\n`);
    expect(msg).toContain(
      'overrides.api.memory: expected a string (memory limit, e.g. "512Mi"), got number 1e3',
    );
  });

  test("control characters in a value are escaped", () => {
    const msg = problemsOf(`project: acme-dev\nregion: us-central1\ntier: "x\\u001b[31mred"\n`);
    expect(msg).toContain('got string "x\\u001b[31mred"');
  });

  test("a symlink to a file outside the folder is never read or echoed", () => {
    write({ "ok.yaml": BASE });
    fs.symlinkSync("/etc/passwd", path.join(dir, "passwd.yaml"));
    const text = folderProblems();
    expect(text).toMatch(
      /passwd\.yaml has 1 problem:\n {2}- \(file\): is a symbolic link to a file outside its folder/,
    );
    expect(text).not.toMatch(/root/);
  });

  test("a symlink inside the folder is followed", () => {
    write({ "base.yaml": BASE });
    fs.symlinkSync(path.join(dir, "base.yaml"), path.join(dir, "copy.yaml"));
    expect(readEnvironments(dir).environments.map((e) => e.name)).toEqual(["base", "copy"]);
  });

  test("a file that is one string is not echoed (e.g. some other text file)", () => {
    const msg = problemsOf(
      "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n",
    );
    expect(msg).toContain(
      "- (top level): expected a mapping (a cdktf-cloud-run environment), got a string",
    );
    expect(msg).not.toContain("root");
  });

  test("a string holding a cdktf token marker is refused", () => {
    expect(problemsOf(`${BASE}labels: { team: "\${TfToken[TOKEN.1]}" }\n`)).toContain(
      "holds a cdktf token marker",
    );
  });
});
