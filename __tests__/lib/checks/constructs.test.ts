/** The library's constructs with their defaults pass the rules that decide whether synth fails. */
import { Testing } from "cdktf";
import { Checks, CloudRunJob, CloudRunService, WorkerPool } from "@cdktf-cloud-run/constructs";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { env } from "../../helpers";
import { IMAGE } from "./helpers";

function prodStack(allowPublic = false): EnvironmentStack {
  return new EnvironmentStack(
    Testing.app(),
    env(
      `project: acme-test\nregion: us-central1\ntier: prod\nallowPublic: ${allowPublic}\n` +
        "state: { bucket: acme-tfstate, prefix: run/prod }\ndeployers: [group:platform@acme.example]\n",
    ),
    { catalog: false },
  );
}

describe("the constructs under the checks", () => {
  test("a service, a job and a worker pool with their defaults have no error findings in prod", () => {
    const stack = prodStack();
    new CloudRunService(stack, "api", { image: IMAGE, secrets: { DB_PASSWORD: { secret: "db" } } });
    new CloudRunJob(stack, "report", { image: IMAGE });
    new WorkerPool(stack, "worker", { image: IMAGE });
    expect(Checks.report(stack).errors.map(Checks.format)).toEqual([]);
  });

  test("internal ingress, pinned secrets and Binary Authorization leave no warnings in prod", () => {
    const stack = prodStack();
    new CloudRunService(stack, "api", {
      image: IMAGE,
      ingress: "internal",
      secrets: { DB_PASSWORD: { secret: "db", version: "4" } },
      binaryAuthorization: { useDefault: true },
    });
    new CloudRunJob(stack, "report", { image: IMAGE, binaryAuthorization: { useDefault: true } });
    expect(Checks.findings(stack).map(Checks.format)).toEqual([]);
  });

  test('imageManagedBy "external" passes CHECK_IMAGE_DIGEST and CHECK_IMAGE_REGISTRY in prod', () => {
    const stack = prodStack();
    new CloudRunService(stack, "api", { imageManagedBy: "external" });
    new CloudRunJob(stack, "report", { imageManagedBy: "external" });
    const ids = Checks.findings(stack).map((f) => f.ruleId);
    expect(ids).not.toContain("CHECK_IMAGE_DIGEST");
    expect(ids).not.toContain("CHECK_IMAGE_REGISTRY");
  });

  test("allowUnauthenticated is an error where the environment does not allow public services", () => {
    const stack = prodStack(false);
    new CloudRunService(stack, "api", { image: IMAGE, allowUnauthenticated: true });
    expect(Checks.report(stack).errors.map((f) => f.ruleId)).toEqual(["CHECK_PUBLIC_SERVICE"]);
  });

  test("a tagged image in prod is an error naming the construct's resource", () => {
    const stack = prodStack();
    new CloudRunService(stack, "api", { image: "us-docker.pkg.dev/acme-ci/apps/api:1.2.3" });
    const [f] = Checks.report(stack).errors;
    expect(f.ruleId).toBe("CHECK_IMAGE_DIGEST");
    expect(f.path).toMatch(/^test\/api\//);
  });
});
