import { Testing, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import {
  ArtifactRepository,
  CloudRunFunction,
  CloudRunJob,
  CloudRunService,
  IamBinding,
  ProjectApis,
  WorkerPool,
  grantDeployers,
  grantRunBuilder,
} from "@cdktf-cloud-run/constructs";
import { REQUIRED_TERRAFORM_VERSION } from "../../../lib/core/stack-singletons";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { env, plainStack, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/api@sha256:" + "a".repeat(64);

describe("terraform.required_version", () => {
  test('is ">= 1.5.0" (import blocks; every OpenTofu release)', () => {
    expect(REQUIRED_TERRAFORM_VERSION).toBe(">= 1.5.0");
  });

  const makers: Array<[string, (stack: TerraformStack) => void]> = [
    ["CloudRunService", (s) => new CloudRunService(s, "api", { image: IMAGE })],
    ["CloudRunJob", (s) => new CloudRunJob(s, "report", { image: IMAGE })],
    ["WorkerPool", (s) => new WorkerPool(s, "worker", { image: IMAGE })],
    ["ArtifactRepository", (s) => new ArtifactRepository(s, "apps")],
    [
      "CloudRunFunction",
      (s) =>
        new CloudRunFunction(s, "hello", {
          source: { archive: "gs://acme-src/hello.zip" },
          functionTarget: "hello",
          runtime: "nodejs22",
        }),
    ],
    ["ProjectApis", (s) => ProjectApis.of(s)],
    [
      "IamBinding",
      (s) =>
        new IamBinding(s, "viewers", {
          target: { project: "acme-test" },
          role: "roles/run.viewer",
          members: ["group:viewers@acme.example"],
        }),
    ],
    ["grantDeployers", (s) => grantDeployers(s, ["group:platform@acme.example"])],
    ["grantRunBuilder", (s) => grantRunBuilder(s)],
  ];

  test.each(makers)("is written by %s in a plain stack", (_name, make) => {
    const stack = plainStack();
    make(stack);
    expect(synth(stack).terraform?.required_version).toBe(">= 1.5.0");
  });

  test("is not written in a stack that uses none of the constructs", () => {
    expect(synth(plainStack()).terraform?.required_version).toBeUndefined();
  });

  test("is written once per stack, beside required_providers", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    new CloudRunService(stack, "orders", { image: IMAGE });
    const terraform = synth(stack).terraform ?? {};
    expect(terraform.required_version).toBe(">= 1.5.0");
    expect(Object.keys(terraform.required_providers as object)).toContain("google");
  });

  test("is written in every stack of an app, each its own", () => {
    const app = Testing.app();
    const stacks = ["a", "b"].map((id) => {
      const s = new TerraformStack(app, id);
      new GoogleProvider(s, "google", { project: "acme-test", region: "us-central1" });
      return s;
    });
    for (const s of stacks) ProjectApis.of(s);
    for (const s of stacks) expect(synth(s).terraform?.required_version).toBe(">= 1.5.0");
  });

  test("is written by EnvironmentStack, next to the GCS backend", () => {
    const yaml =
      "project: acme-prod\nregion: us-central1\ntier: prod\nstate: { bucket: acme-tfstate, prefix: run/prod }\n";
    const terraform =
      synth(
        new EnvironmentStack(Testing.app(), env(yaml, "environments/prod.yaml"), {
          catalog: false,
        }),
      ).terraform ?? {};
    expect(terraform.required_version).toBe(">= 1.5.0");
    expect(terraform.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: "run/prod" },
    });
  });

  test.each([
    ["before", true],
    ["after", false],
  ])("yields to the user's addOverride made %s the constructs", (_when, first) => {
    const stack = plainStack();
    if (first) stack.addOverride("terraform.required_version", "~> 1.9.0");
    new CloudRunService(stack, "api", { image: IMAGE });
    if (!first) stack.addOverride("terraform.required_version", "~> 1.9.0");
    expect(synth(stack).terraform?.required_version).toBe("~> 1.9.0");
  });

  test("stays out of cdktf's HCL output, which would render it as invalid HCL", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    const hcl = (stack.toHclTerraform() as { hcl: string }).hcl;
    expect(hcl).toContain("required_providers {");
    expect(hcl).not.toContain("required_version");
  });
});
