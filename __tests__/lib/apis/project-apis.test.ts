import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ProjectApis } from "@cdktf-cloud-run/constructs";
import { plainStack, resources, synth } from "../../helpers";

describe("ProjectApis", () => {
  test("of() returns one instance per stack", () => {
    const stack = plainStack();
    expect(ProjectApis.of(stack)).toBe(ProjectApis.of(stack));
  });

  test("enables run.googleapis.com always", () => {
    const stack = plainStack();
    ProjectApis.of(stack);
    const apis = Object.values(resources(synth(stack), "google_project_service")).map(
      (r) => r.service,
    );
    expect(apis).toEqual(["run.googleapis.com"]);
  });

  test("writes disable_on_destroy = false for every API and never disable_dependent_services", () => {
    const stack = plainStack();
    ProjectApis.of(stack).enableAll([
      "secretmanager.googleapis.com",
      "cloudscheduler.googleapis.com",
    ]);
    const all = Object.values(resources(synth(stack), "google_project_service"));
    expect(all).toHaveLength(3);
    for (const r of all) {
      expect(r.disable_on_destroy).toBe(false);
      expect(r).not.toHaveProperty("disable_dependent_services");
    }
  });

  test("enable() is idempotent and returns the same resource", () => {
    const stack = plainStack();
    const apis = ProjectApis.of(stack);
    expect(apis.enable("pubsub.googleapis.com")).toBe(apis.enable("pubsub.googleapis.com"));
    expect(Object.keys(resources(synth(stack), "google_project_service"))).toHaveLength(2);
  });

  test("a project-specific API gets its own resource with that project", () => {
    const stack = plainStack();
    ProjectApis.of(stack).enable("run.googleapis.com", "acme-other");
    const other = Object.values(resources(synth(stack), "google_project_service")).find(
      (r) => r.project,
    );
    expect(other).toMatchObject({
      project: "acme-other",
      service: "run.googleapis.com",
      disable_on_destroy: false,
    });
  });

  test("a time_sleep waits on every API and is re-triggered when the API set changes", () => {
    const stack = plainStack();
    ProjectApis.of(stack).enable("pubsub.googleapis.com");
    const json = synth(stack);
    const sleep = Object.values(resources(json, "time_sleep"))[0];
    expect(sleep.create_duration).toBe("30s");
    expect(sleep.depends_on).toHaveLength(2);
    expect(sleep.triggers).toEqual({ apis: "pubsub.googleapis.com,run.googleapis.com" });
  });

  test("adds the time provider to the stack once", () => {
    const stack = plainStack();
    ProjectApis.of(stack);
    expect(synth(stack).provider?.time).toHaveLength(1);
  });

  test("dependOn() makes a resource wait for the APIs, once, as a plain address", () => {
    const stack = plainStack();
    const apis = ProjectApis.of(stack);
    const account = new ServiceAccount(stack, "sa", { accountId: "worker-sa" });
    apis.dependOn(account);
    apis.dependOn(account);
    const json = synth(stack);
    const sleep = Object.keys(resources(json, "time_sleep"))[0];
    // Terraform rejects an interpolation ("${…}") in depends_on.
    expect(Object.values(resources(json, "google_service_account"))[0].depends_on).toEqual([
      `time_sleep.${sleep}`,
    ]);
  });

  test("a malformed API name fails with the value and the expected form", () => {
    const stack = plainStack();
    expect(() => ProjectApis.of(stack).enable("secretmanager")).toThrow(
      /CR_API_NAME: \[test\/ProjectApis\] api is "secretmanager"; an API is a service name ending in \.googleapis\.com/,
    );
  });
});
