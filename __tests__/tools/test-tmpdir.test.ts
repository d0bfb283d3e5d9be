/**
 * `npm test` leaves nothing in TMPDIR (issue 14 item 15): a child jest, with this project's
 * config and a TMPDIR of its own, runs a test file that litters (cdktf outdir, mkdtemp, a child
 * process); afterwards that TMPDIR is empty.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

test("a test file's temporary files are removed after it, wherever they came from", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "child-jest-"));
  try {
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules", "jest", "bin", "jest.js"),
        "--config",
        path.join(ROOT, "jest.config.js"),
        "--roots",
        path.join(ROOT, "__tests__", "fixtures", "tmpdir"),
        "--testMatch",
        "**/*.fixture.ts",
      ],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, TMPDIR: tmp } },
    );
    expect(r.stderr).toContain("1 passed");
    expect(r.status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("each test file runs with a TMPDIR of its own, inside the one jest was given", () => {
  expect(path.basename(os.tmpdir())).toMatch(/^jest-file-/);
  expect(process.env.TMPDIR).toBe(os.tmpdir());
  expect(fs.existsSync(os.tmpdir())).toBe(true);
});
