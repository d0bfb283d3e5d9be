/** Test helpers: synthesize with validations on and read the Terraform JSON. */
import { Testing, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { parseEnvironment, Environment } from "../stacks/environment";

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  terraform?: Record<string, unknown>;
  output?: Record<string, unknown>;
};

/** Synthesizes `stack` with validations on and parses the JSON. */
export function synth(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

/** All resources of one type, keyed by logical id. */
export function resources(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails when there is not exactly one. */
export function only(json: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** A plain stack with a Google provider, as a user outside EnvironmentStack would write. */
export function plainStack(opts: { project?: string; region?: string } = {}): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new GoogleProvider(stack, "google", {
    project: opts.project ?? "acme-test",
    region: opts.region ?? "us-central1",
  });
  return stack;
}

/** An environment from YAML text (defaults to a minimal dev file). */
export function env(yaml?: string, file = "environments/test.yaml"): Environment {
  return parseEnvironment(yaml ?? "project: acme-test\nregion: us-central1\ntier: dev\n", file);
}
