/** Behaviour of the shared workload model that no single construct owns. */
import {
  ArtifactRepository,
  CloudRunJob,
  CloudRunService,
  WorkerPool,
  grantDeployers,
} from "@cdktf-cloud-run/constructs";
import { plainStack, resources, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;

describe("binaryAuthorization", () => {
  test.each([
    [
      "service",
      (s: ReturnType<typeof plainStack>) =>
        new CloudRunService(s, "api", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
      "google_cloud_run_v2_service",
    ],
    [
      "job",
      (s: ReturnType<typeof plainStack>) =>
        new CloudRunJob(s, "report", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
      "google_cloud_run_v2_job",
    ],
    [
      "worker pool",
      (s: ReturnType<typeof plainStack>) =>
        new WorkerPool(s, "pool", { image: IMAGE, binaryAuthorization: { useDefault: true } }),
      "google_cloud_run_v2_worker_pool",
    ],
  ])("a %s writes binary_authorization and enables the API", (_kind, build, type) => {
    const stack = plainStack();
    build(stack);
    const json = synth(stack);
    expect(Object.values(resources(json, type))[0].binary_authorization).toEqual({
      use_default: true,
    });
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("binaryauthorization.googleapis.com");
  });

  test("a named policy is written as policy", () => {
    const stack = plainStack();
    const policy = "projects/acme-test/platforms/cloudRun/policies/strict";
    new CloudRunService(stack, "api", { image: IMAGE, binaryAuthorization: { policy } });
    const svc = Object.values(resources(synth(stack), "google_cloud_run_v2_service"))[0];
    expect(svc.binary_authorization).toEqual({ policy });
  });

  test("both useDefault and policy is rejected with the value", () => {
    const stack = plainStack();
    expect(
      () =>
        new CloudRunService(stack, "api", {
          image: IMAGE,
          binaryAuthorization: {
            useDefault: true,
            policy: "projects/p/platforms/cloudRun/policies/x",
          },
        }),
    ).toThrow(
      /CR_BINARY_AUTHORIZATION: \[test\/api\] binaryAuthorization is \{"useDefault":true,"policy":.*set exactly one of useDefault: true and policy/,
    );
  });

  test("a break-glass justification without useDefault is rejected", () => {
    const stack = plainStack();
    expect(
      () =>
        new CloudRunService(stack, "api", {
          image: IMAGE,
          binaryAuthorization: {
            policy: "projects/p/platforms/cloudRun/policies/x",
            breakglassJustification: "incident 42",
          },
        }),
    ).toThrow(
      /binaryAuthorization\.breakglassJustification is "incident 42"; a break-glass justification goes with useDefault only/,
    );
  });

  test("is not written when not asked for", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    const svc = Object.values(resources(synth(stack), "google_cloud_run_v2_service"))[0];
    expect(svc).not.toHaveProperty("binary_authorization");
  });
});

describe("images from a repository of the stack", () => {
  test("a workload in another project gets pull access for its Cloud Run service agent, and waits for it", () => {
    const stack = plainStack({ project: "acme-ci" });
    const repo = new ArtifactRepository(stack, "apps", { name: "apps", region: "us" });
    new CloudRunService(stack, "api", {
      image: `${repo.url}/api@sha256:${"b".repeat(64)}`,
      project: "acme-prod",
    });
    const json = synth(stack);
    const grants = Object.entries(
      resources(json, "google_artifact_registry_repository_iam_member"),
    );
    expect(grants).toHaveLength(1);
    expect(grants[0][1]).toMatchObject({ role: "roles/artifactregistry.reader" });
    expect(String(grants[0][1].member)).toMatch(
      /serverless-robot-prod\.iam\.gserviceaccount\.com$/,
    );
    const svc = Object.values(resources(json, "google_cloud_run_v2_service"))[0];
    expect(svc.depends_on).toContain(
      `google_artifact_registry_repository_iam_member.${grants[0][0]}`,
    );
  });

  test("a workload in the repository's own project needs no grant", () => {
    const stack = plainStack({ project: "acme-ci" });
    const repo = new ArtifactRepository(stack, "apps", { name: "apps", region: "us" });
    new CloudRunService(stack, "api", { image: `${repo.url}/api@sha256:${"b".repeat(64)}` });
    expect(resources(synth(stack), "google_artifact_registry_repository_iam_member")).toEqual({});
  });
});

describe("deployers", () => {
  test("can act as a scheduled job's trigger account and an Eventarc trigger's account", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "report", { image: IMAGE, schedule: { cron: "0 3 * * *" } });
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    api.onEvent("uploads", {
      eventType: "google.cloud.storage.object.v1.finalized",
      filters: { bucket: "acme-uploads" },
    });
    grantDeployers(stack, ["group:platform@acme.example"]);
    const json = synth(stack);
    const accounts = Object.keys(resources(json, "google_service_account"));
    expect(accounts).toHaveLength(4); // job, scheduler, service, trigger
    const actAs = Object.values(resources(json, "google_service_account_iam_member"))
      .filter((r) => r.role === "roles/iam.serviceAccountUser")
      .map((r) =>
        String(r.service_account_id).replace(
          /^projects\/-\/serviceAccounts\/\$\{google_service_account\.([\w-]+)\.email\}$/,
          "$1",
        ),
      )
      .sort();
    expect(actAs).toEqual([...accounts].sort());
  });
});
