/**
 * Jest with the SWC transform: no type-checking here; `npm test` runs `tsc --noEmit` first.
 * Each test file gets a temporary folder of its own as TMPDIR, removed after the file
 * (__tests__/tmp-environment.js); jest's transform cache lives in the user's cache folder, not
 * in TMPDIR, so `TMPDIR=$(mktemp -d) npm test` leaves that folder empty.
 */
const os = require("os");
const path = require("path");

const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");

module.exports = {
  testEnvironment: "<rootDir>/__tests__/tmp-environment.js",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  cacheDirectory: path.join(cacheHome, "cdktf-cloud-run", "jest"),
  testTimeout: 60000,
};
