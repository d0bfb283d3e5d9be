/**
 * `cdktf synth --hcl` (the plain-Terraform exit path): blocks must come out as blocks. cdktf
 * writes an `addOverride` value as an argument (`x = { … }`), which Terraform rejects for a
 * block, so the constructs set blocks through the provider classes' typed fields.
 */
import { Testing } from "cdktf";
import { CloudRunJob, CloudRunService, WorkerPool } from "@cdktf-cloud-run/constructs";
import { plainStack } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;

function hcl(build: (stack: ReturnType<typeof plainStack>) => void): string {
  const stack = plainStack();
  build(stack);
  return String(Testing.synthHcl(stack, true));
}

describe("HCL output", () => {
  test.each([
    [
      "service",
      (s: ReturnType<typeof plainStack>) =>
        new CloudRunService(s, "api", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
    ],
    [
      "job",
      (s: ReturnType<typeof plainStack>) =>
        new CloudRunJob(s, "job", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
    ],
    [
      "worker pool",
      (s: ReturnType<typeof plainStack>) =>
        new WorkerPool(s, "pool", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
    ],
  ])("a %s writes binary_authorization as a block, not an argument", (_kind, build) => {
    const text = hcl((s) => void build(s));
    expect(text).toMatch(/\bbinary_authorization \{\s*use_default\s*= true\s*\}/);
    expect(text).not.toMatch(/\bbinary_authorization\s*=/);
  });

  test("a named policy is a block too", () => {
    const text = hcl(
      (s) =>
        void new CloudRunService(s, "api", {
          image: IMAGE,
          binaryAuthorization: { policy: "projects/p/platforms/cloudRun/policies/strict" },
        }),
    );
    expect(text).toMatch(
      /binary_authorization \{\s*policy\s*= "projects\/p\/platforms\/cloudRun\/policies\/strict"\s*\}/,
    );
  });
});
