/**
 * The jest test environment: Node's, with a temporary folder of its own per test file. Before the
 * file runs, TMPDIR points at a fresh folder (so `os.tmpdir()` — cdktf's `Testing.app()`
 * outdirs, the tests' `mkdtemp`, and every child process a test starts — writes there); after
 * the file, the folder is removed and TMPDIR restored. `npm test` leaves nothing behind in
 * /tmp, and CI checks it (.ci/run).
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { TestEnvironment } = require("jest-environment-node");

class TmpDirEnvironment extends TestEnvironment {
  constructor(config, context) {
    // Set before the sandbox copies process.env, so the test sees the same TMPDIR.
    const previous = process.env.TMPDIR;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jest-file-"));
    process.env.TMPDIR = dir;
    super(config, context);
    this.tmpDir = dir;
    this.previousTmpDir = previous;
  }

  async teardown() {
    try {
      await super.teardown();
    } finally {
      if (this.previousTmpDir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = this.previousTmpDir;
      fs.rmSync(this.tmpDir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

module.exports = TmpDirEnvironment;
