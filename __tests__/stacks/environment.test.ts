import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  ConfigErrors,
  EnvironmentFileError,
  loadEnvironment,
  loadEnvironments,
  parseEnvironment,
} from "../../stacks/environment";

const FILE = "environments/broken.yaml";

function problemsOf(yaml: string): string {
  try {
    parseEnvironment(yaml, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvironmentFileError);
    return (e as Error).message;
  }
  throw new Error("expected the file to be rejected");
}

let tmp: string[] = [];
afterEach(() => {
  for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
  tmp = [];
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "envs-"));
  tmp.push(dir);
  return dir;
}

describe("environment files", () => {
  test("a valid file yields a typed environment with defaults", () => {
    const env = parseEnvironment(
      "project: acme-dev\nregion: us-central1\ntier: dev\n",
      "environments/dev.yaml",
    );
    expect(env).toMatchObject({
      name: "dev",
      project: "acme-dev",
      region: "us-central1",
      tier: "dev",
      allowPublic: false,
      deployers: [],
      build: { grantRunBuilder: false },
      images: {},
      overrides: {},
    });
    expect(env.state).toBeUndefined();
  });

  test("state prefix defaults to cloud-run/<env>", () => {
    const env = parseEnvironment(
      "project: acme-dev\nregion: us-central1\ntier: staging\nstate: { bucket: acme-tfstate }\n",
      "environments/staging.yaml",
    );
    expect(env.state).toEqual({ bucket: "acme-tfstate", prefix: "cloud-run/staging" });
  });

  test("bad YAML syntax names the file and the line", () => {
    const msg = problemsOf("project: acme-dev\nregion: [us-central1\n");
    expect(msg).toContain(FILE);
    expect(msg).toMatch(/line \d+, column \d+: YAML syntax/);
  });

  test("a missing project names the key", () => {
    const msg = problemsOf("region: us-central1\ntier: dev\n");
    expect(msg).toContain(FILE);
    expect(msg).toMatch(/- project: missing; required/);
  });

  test("an unknown tier lists the allowed tiers", () => {
    const msg = problemsOf("project: acme-dev\nregion: us-central1\ntier: production\n");
    expect(msg).toMatch(
      /- tier: expected one of "dev", "staging", "prod" .*got string "production"/,
    );
  });

  test("a wrong type names the nested key path", () => {
    const msg = problemsOf(
      "project: acme-dev\nregion: us-central1\ntier: dev\noverrides:\n  api: { minInstances: lots }\n",
    );
    expect(msg).toMatch(/- overrides\.api\.minInstances: expected an integer ≥ 0/);
  });

  test("an unknown key is rejected, not ignored", () => {
    const msg = problemsOf(
      "project: acme-dev\nregion: us-central1\ntier: dev\nallowPublik: true\n",
    );
    expect(msg).toMatch(/- allowPublik: unknown key; allowed keys here: project, region, tier/);
  });

  test("one message lists every problem in the file", () => {
    const msg = problemsOf("region: 12\ntier: qa\ndeployers: [bob]\nextra: 1\n");
    expect(msg).toMatch(/has 5 problems/);
    for (const key of ["project", "region", "tier", "deployers[0]", "extra"])
      expect(msg).toContain(`- ${key}:`);
  });

  test("staging and prod must have a GCS state backend", () => {
    const msg = problemsOf("project: acme-prod\nregion: us-central1\ntier: prod\n");
    expect(msg).toMatch(/- state: missing; tier prod needs a GCS backend/);
  });

  test("minInstances above maxInstances in overrides is rejected", () => {
    const msg = problemsOf(
      "project: acme-dev\nregion: us-central1\ntier: dev\noverrides:\n  api: { minInstances: 5, maxInstances: 2 }\n",
    );
    expect(msg).toContain("overrides.api.minInstances: 5 is above maxInstances 2");
  });

  test("deployers must be IAM members", () => {
    const msg = problemsOf(
      "project: acme-dev\nregion: us-central1\ntier: dev\ndeployers: [platform@acme.example]\n",
    );
    expect(msg).toContain('deployers[0]: "platform@acme.example" is not an IAM member');
  });

  test("an unreadable file is reported with its path", () => {
    expect(() => loadEnvironment("/nonexistent/env.yaml")).toThrow(
      /\/nonexistent\/env\.yaml.*cannot be read/s,
    );
  });

  test("loadEnvironments reads every yaml in a folder, sorted", () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, "b.yaml"),
      "project: acme-bbbb\nregion: us-central1\ntier: dev\n",
    );
    fs.writeFileSync(
      path.join(dir, "a.yaml"),
      "project: acme-aaaa\nregion: europe-west1\ntier: dev\n",
    );
    fs.writeFileSync(path.join(dir, "notes.txt"), "ignored");
    expect(loadEnvironments(dir).map((e) => [e.name, e.project])).toEqual([
      ["a", "acme-aaaa"],
      ["b", "acme-bbbb"],
    ]);
  });

  test("every bad file in a folder is reported, not only the first", () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, "a.yaml"),
      "project: acme-aaaa\nregion: us-central1\ntier: qa\n",
    );
    fs.writeFileSync(
      path.join(dir, "b.yaml"),
      "project: acme-bbbb\nregion: us-central1\ntier: dev\n",
    );
    fs.writeFileSync(path.join(dir, "c.yaml"), "region: us-central1\ntier: dev\n");
    let error: unknown;
    try {
      loadEnvironments(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigErrors);
    const message = (error as Error).message;
    expect(message).toMatch(/a\.yaml has 1 problem:\n {2}- tier: expected one of/);
    expect(message).toMatch(/c\.yaml has 1 problem:\n {2}- project: missing; required/);
    expect(message).not.toContain("b.yaml");
  });

  test("the shipped environment files are valid, one per tier", () => {
    const envs = loadEnvironments(path.join(__dirname, "..", "..", "environments"));
    expect(envs.map((e) => e.tier).sort()).toEqual(["dev", "prod", "staging"]);
  });
});
