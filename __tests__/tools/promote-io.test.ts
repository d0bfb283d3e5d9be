/**
 * promote when the file system refuses (issue 14 item 10): EACCES and a full disk, simulated
 * through a mocked `fs` (tests may run as root, where permissions do not refuse anything).
 */
import * as os from "os";
import * as path from "path";
import { ToolError } from "../../tools/private/cli";
import { promote } from "../../tools/promote";

type Fs = typeof import("fs");
const failures: Partial<Record<"readFileSync" | "renameSync" | "writeFileSync", string>> = {};

jest.mock("fs", () => {
  const real = jest.requireActual<Fs>("fs");
  const failing =
    <K extends "readFileSync" | "renameSync" | "writeFileSync">(name: K) =>
    (...args: unknown[]) => {
      const code = failures[name];
      if (code) {
        // A write that fails half-way: some bytes land first.
        if (name === "writeFileSync") real.writeSync(args[0] as number, "project: half");
        throw Object.assign(new Error(`${code}: refused, ${name}`), { code });
      }
      return (real[name] as (...a: unknown[]) => unknown)(...args);
    };
  return {
    ...real,
    readFileSync: failing("readFileSync"),
    renameSync: failing("renameSync"),
    writeFileSync: failing("writeFileSync"),
  };
});

const fs = jest.requireActual<Fs>("fs");
const ROOT = path.resolve(__dirname, "..", "..");
const API = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"1".repeat(64)}`;
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "promote-io-"));
  for (const env of ["dev", "staging"])
    fs.copyFileSync(path.join(ROOT, "environments", `${env}.yaml`), path.join(dir, `${env}.yaml`));
  const dev = fs.readFileSync(path.join(dir, "dev.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "dev.yaml"), dev.replace(/^( {2}api: ).*$/m, `$1${API}`));
});

afterEach(() => {
  for (const k of Object.keys(failures)) delete failures[k as keyof typeof failures];
  fs.rmSync(dir, { recursive: true, force: true });
});

function attempt(): unknown {
  try {
    promote({ from: "dev", to: "staging", dir });
  } catch (e) {
    return e;
  }
  throw new Error("promote did not fail");
}

test("EACCES on the rename is a plain message, and the target stays as it was", () => {
  const before = fs.readFileSync(path.join(dir, "staging.yaml"), "utf8");
  failures.renameSync = "EACCES";
  const error = attempt();
  expect(error).toBeInstanceOf(ToolError);
  expect((error as Error).message).toBe(
    `cannot write ${path.join(dir, "staging.yaml")}: permission denied (EACCES)`,
  );
  expect(fs.readFileSync(path.join(dir, "staging.yaml"), "utf8")).toBe(before);
  expect(fs.readdirSync(dir).sort()).toEqual(["dev.yaml", "staging.yaml"]);
});

test("EACCES on reading is a plain message naming the file", () => {
  failures.readFileSync = "EACCES";
  const error = attempt();
  expect(error).toBeInstanceOf(ToolError);
  expect((error as Error).message).toBe(
    `cannot read ${path.join(dir, "dev.yaml")}: permission denied (EACCES)`,
  );
});

test("a disk that fills half-way through the write leaves the target whole", () => {
  const before = fs.readFileSync(path.join(dir, "staging.yaml"), "utf8");
  failures.writeFileSync = "ENOSPC";
  expect((attempt() as Error).message).toBe(
    `cannot write ${path.join(dir, "staging.yaml")}: no space left on the device (ENOSPC)`,
  );
  expect(fs.readFileSync(path.join(dir, "staging.yaml"), "utf8")).toBe(before);
  expect(fs.readdirSync(dir).sort()).toEqual(["dev.yaml", "staging.yaml"]);
});
