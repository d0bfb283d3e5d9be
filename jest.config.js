/** Jest with the SWC transform: no type-checking here; `npm test` runs `tsc --noEmit` first. */

// The library package (lib/, `@cdktf-cloud-run/constructs`) resolves to its TypeScript sources
// under this export condition, so tests need no build of lib/dist (see docs/package.md).
const SOURCE_CONDITION = "cdktf-cloud-run-source";
// Child processes the tests start (`node --import tsx main.ts`, the tools) inherit it too.
if (!(process.env.NODE_OPTIONS ?? "").includes(`--conditions=${SOURCE_CONDITION}`))
  process.env.NODE_OPTIONS =
    `${process.env.NODE_OPTIONS ?? ""} --conditions=${SOURCE_CONDITION}`.trim();

module.exports = {
  testEnvironment: "node",
  // Read by jest-environment-node (and environments that extend it): the conditions of `exports`.
  testEnvironmentOptions: { customExportConditions: [SOURCE_CONDITION, "node", "node-addons"] },
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};
