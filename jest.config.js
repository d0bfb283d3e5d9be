/**
 * Jest with the SWC transform: no type-checking here; `npm test` runs `tsc --noEmit` first.
 * Each test file gets a temporary folder of its own as TMPDIR, removed after the file
 * (__tests__/tmp-environment.js); jest's transform cache lives in the user's cache folder, not
 * in TMPDIR, so `TMPDIR=$(mktemp -d) npm test` leaves that folder empty.
 */
const os = require("os");
const path = require("path");

const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");

// The library package (lib/, `@cdktf-cloud-run/constructs`) resolves to its TypeScript sources
// under this export condition, so tests need no build of lib/dist (see docs/package.md).
const SOURCE_CONDITION = "cdktf-cloud-run-source";
// Child processes the tests start (`node --import tsx main.ts`, the tools) inherit it too.
if (!(process.env.NODE_OPTIONS ?? "").includes(`--conditions=${SOURCE_CONDITION}`))
  process.env.NODE_OPTIONS =
    `${process.env.NODE_OPTIONS ?? ""} --conditions=${SOURCE_CONDITION}`.trim();

module.exports = {
  testEnvironment: "<rootDir>/__tests__/tmp-environment.js",
  // Read by jest-environment-node (and environments that extend it): the conditions of `exports`.
  testEnvironmentOptions: { customExportConditions: [SOURCE_CONDITION, "node", "node-addons"] },
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  cacheDirectory: path.join(cacheHome, "cdktf-cloud-run", "jest"),
  testTimeout: 60000,
};
