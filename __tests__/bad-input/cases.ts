/**
 * What every case file of the bad-input contract shares (bad-input.test.ts runs them): the
 * builders (one construct in a fresh plain stack, then synth with validations on), the case
 * shape and the fixtures.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { CloudRunJob, CloudRunService, WorkerPool } from "@cdktf-cloud-run/constructs";
import type {
  CloudRunJobProps,
  CloudRunServiceProps,
  WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import { parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { plainStack, synth } from "../helpers";

// ---------------------------------------------------------------------------------------------
// Builders: one construct in a fresh plain stack, then synth (validations on).
// ---------------------------------------------------------------------------------------------

export const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;
export const ENV_FILE = "environments/bad.yaml";
export const FIXTURES = path.join(__dirname, "..", "fixtures", "bad-input");
export const DEV_YAML = fs.readFileSync(
  path.join(__dirname, "..", "..", "environments", "dev.yaml"),
  "utf8",
);

/** Props as a JavaScript caller or a parsed config file might pass them (no compile-time check). */
export type Loose<T> = { [K in keyof T]?: unknown } & Record<string, unknown>;

export function service(props: Loose<CloudRunServiceProps>, id = "api"): void {
  const stack = plainStack();
  new CloudRunService(stack, id, { image: IMAGE, ...props } as CloudRunServiceProps);
  synth(stack);
}

export function job(props: Loose<CloudRunJobProps>, id = "report"): void {
  const stack = plainStack();
  new CloudRunJob(stack, id, { image: IMAGE, ...props } as CloudRunJobProps);
  synth(stack);
}

export function pool(props: Loose<WorkerPoolProps>, id = "pool"): void {
  const stack = plainStack();
  new WorkerPool(stack, id, { image: IMAGE, ...props } as WorkerPoolProps);
  synth(stack);
}

export function envFile(yaml: string): void {
  parseEnvironment(yaml, ENV_FILE);
}

/** A valid minimal environment file plus `extra` lines. */
export const ENV_OK = "project: acme-test\nregion: us-central1\ntier: dev\n";

/** The shipped dev environment with `extra` YAML appended, through the full EnvironmentStack. */
export function devStack(extra: string): void {
  const env = parseEnvironment(`${DEV_YAML}\n${extra}`, "environments/dev.yaml");
  synth(new EnvironmentStack(Testing.app(), env));
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

export interface Expected {
  /** Stable error code (ConfigError and validation messages). */
  readonly code?: string;
  /** The prop (or key path of an environment file) named in the message. */
  readonly prop: string;
  /** The offending value, rendered as the message shows it (strings quoted). */
  readonly value: string;
}

export interface Case {
  readonly name: string;
  readonly build: () => void;
  /** One problem, or several that must all appear in the one message a single synth throws. */
  readonly expect: Expected | readonly Expected[];
}

export const long = (n: number) => `a${"b".repeat(n - 1)}`;

// Issue 17: customer-managed encryption keys, session affinity, Serverless VPC Access connectors.
export const KMS_KEY = "projects/acme-kms/locations/us-central1/keyRings/run/cryptoKeys/api";
