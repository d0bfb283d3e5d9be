/**
 * Bad-input cases of environment files (stacks/environment.ts) and EnvironmentStack;
 * bad-input.test.ts runs them.
 */
import * as path from "path";
import { Testing } from "cdktf";
import { loadEnvironment, parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { synth } from "../helpers";
import { type Case, IMAGE, FIXTURES, DEV_YAML, envFile, ENV_OK, devStack } from "./cases";

export const environmentCases: Case[] = [
  // --- environmentFiles ---
  /** Environment files: messages are `ENV_INVALID: FILE has N problems:\n  - KEY.PATH: …VALUE…`. */
  {
    name: "environment file without project",
    build: () => envFile("region: us-central1\ntier: dev\n"),
    expect: { prop: "project", value: "missing" },
  },
  {
    name: 'environment file with tier "qa"',
    build: () => envFile("project: acme-test\nregion: us-central1\ntier: qa\n"),
    expect: { prop: "tier", value: '"qa"' },
  },
  {
    name: "environment file with region 42",
    build: () => envFile("project: acme-test\nregion: 42\ntier: dev\n"),
    expect: { prop: "region", value: "number 42" },
  },
  {
    name: "environment file with an unknown key (a typo must not be ignored)",
    build: () => envFile(`${ENV_OK}allowPublik: true\n`),
    expect: { prop: "allowPublik", value: "unknown key" },
  },
  {
    name: "environment file with a YAML syntax error",
    build: () => envFile(`${ENV_OK}labels: { team: platform\n`),
    expect: { prop: "line 5, column 1", value: "YAML syntax" },
  },
  {
    name: "environment file with a deployer that has no member prefix",
    build: () => envFile(`${ENV_OK}deployers: [platform@acme.example]\n`),
    expect: { prop: "deployers[0]", value: '"platform@acme.example"' },
  },
  {
    name: "environment file with an unknown override key",
    build: () => envFile(`${ENV_OK}overrides:\n  api:\n    maxInstance: 3\n`),
    expect: { prop: "overrides.api.maxInstance", value: "unknown key" },
  },
  {
    name: "environment file with an override out of range",
    build: () => envFile(`${ENV_OK}overrides:\n  report:\n    maxRetries: 12\n`),
    expect: { prop: "overrides.report.maxRetries", value: "number 12" },
  },
  {
    name: "environment file with override minInstances above maxInstances",
    build: () => envFile(`${ENV_OK}overrides:\n  api:\n    minInstances: 4\n    maxInstances: 2\n`),
    expect: { prop: "overrides.api.minInstances", value: "4 is above maxInstances 2" },
  },
  {
    name: "staging environment file without state",
    build: () => envFile("project: acme-test\nregion: us-central1\ntier: staging\n"),
    expect: { prop: "state", value: "tier staging needs a GCS backend" },
  },
  {
    name: "environment file with the same key twice",
    build: () => envFile(`${ENV_OK}tier: prod\n`),
    expect: { prop: "line 4, column 1", value: "YAML syntax" },
  },
  {
    name: "environment file that is not a mapping",
    build: () => envFile("- project: acme-test\n"),
    expect: { prop: "(top level)", value: "a list" },
  },
  {
    name: "environment file that cannot be read",
    build: () => loadEnvironment(path.join(FIXTURES, "missing.yaml")),
    expect: { prop: "(file)", value: "cannot be read" },
  },
  {
    name: "environment file fixture with a bad image key",
    build: () => loadEnvironment(path.join(FIXTURES, "bad-image-key.yaml")),
    expect: { prop: "images.API", value: 'key "API"' },
  },

  // --- notDropped ---
  /**
   * Values that look harmless but would vanish from the output (or from the plan): each must fail
   * rather than synthesize without it.
   */
  {
    name: "override key for the wrong kind of workload (tasks on a service)",
    build: () => devStack("overrides:\n  api:\n    tasks: 3\n"),
    expect: { prop: "overrides.api.tasks", value: 'does not apply to the service "api"' },
  },
  {
    name: "override for a workload the catalog does not have",
    build: () => devStack("overrides:\n  billing:\n    cpu: 2\n"),
    expect: { prop: "overrides.billing", value: 'no workload "billing"' },
  },
  {
    name: "image for a workload the catalog does not have",
    build: () => {
      const env = parseEnvironment(DEV_YAML, "environments/dev.yaml");
      const images = { ...env.images, billing: IMAGE };
      synth(new EnvironmentStack(Testing.app(), { ...env, images }));
    },
    expect: { prop: "images.billing", value: 'no workload of the catalog uses an image "billing"' },
  },

  // --- combined ---
  /** Several problems in one construct (or one stack, or one file): all in the one message. */
  {
    name: "three problems of one environment file",
    build: () => envFile("project: acme-test\nregion: 42\ntier: qa\ncolour: blue\n"),
    expect: [
      { prop: "region", value: "number 42" },
      { prop: "tier", value: '"qa"' },
      { prop: "colour", value: "unknown key" },
    ],
  },
];
