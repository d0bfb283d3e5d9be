import { Construct } from "constructs";
import { TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { grantDeployers, grantRunBuilder } from "@cdktf-cloud-run/constructs";
import { registerWorkload } from "../../../lib/core/registry";
import { ConfigError } from "../../../lib/core/errors";
import { plainStack, resources, synth, TfJson } from "../../helpers";

const COMPUTE_DEFAULT =
  "serviceAccount:${data.google_project.project.number}-compute@developer.gserviceaccount.com";

/** A stand-in workload: registers itself the way CloudRunService & co. do. */
function fakeWorkload(
  stack: TerraformStack,
  id: string,
  serviceAccountEmail?: string,
): { construct: Construct; email: string } {
  const construct = new Construct(stack, id);
  const email =
    serviceAccountEmail ??
    new ServiceAccount(construct, "ServiceAccount", { accountId: id.toLowerCase() }).email;
  registerWorkload({
    kind: "service",
    construct,
    name: id.toLowerCase(),
    serviceAccountEmail: email,
    dedicatedServiceAccount: serviceAccountEmail === undefined,
  });
  return { construct, email };
}

/** `role member` for every resource of `type`, sorted. */
function grants(json: TfJson, type: string): string[] {
  return Object.values(resources(json, type))
    .map((r) => `${r.role} ${r.member}`)
    .sort();
}

describe("grantRunBuilder", () => {
  test("grants roles/run.builder on the project to the Compute Engine default account", () => {
    const stack = plainStack({ project: "acme-dev" });
    grantRunBuilder(stack);
    expect(Object.values(resources(synth(stack), "google_project_iam_member"))).toEqual([
      expect.objectContaining({
        project: "acme-dev",
        role: "roles/run.builder",
        member: COMPUTE_DEFAULT,
      }),
    ]);
  });

  test("reads the project number from one google_project data source", () => {
    const stack = plainStack();
    grantRunBuilder(stack);
    expect(synth(stack).data?.google_project).toEqual({ project: {} });
  });

  test("enables cloudbuild and artifactregistry, never disabling them on destroy", () => {
    const stack = plainStack();
    grantRunBuilder(stack);
    const apis = Object.values(resources(synth(stack), "google_project_service"));
    const build = apis.filter((a) => a.service !== "run.googleapis.com");
    expect(build.sort((a, b) => String(a.service).localeCompare(String(b.service)))).toEqual([
      { service: "artifactregistry.googleapis.com", disable_on_destroy: false },
      { service: "cloudbuild.googleapis.com", disable_on_destroy: false },
    ]);
  });

  test("makes the grant wait for the APIs", () => {
    const stack = plainStack();
    grantRunBuilder(stack);
    const grant = Object.values(resources(synth(stack), "google_project_iam_member"))[0];
    expect(grant.depends_on).toEqual([
      expect.stringMatching(/^time_sleep\.ProjectApis_propagation_/),
    ]);
  });

  test.each([
    "builder@acme-dev.iam.gserviceaccount.com",
    "serviceAccount:builder@acme-dev.iam.gserviceaccount.com",
    "projects/acme-dev/serviceAccounts/builder@acme-dev.iam.gserviceaccount.com",
  ])("grants to a custom build account given as %s", (account) => {
    const stack = plainStack();
    const result = grantRunBuilder(stack, { buildServiceAccount: account });
    const json = synth(stack);
    expect(grants(json, "google_project_iam_member")).toEqual([
      "roles/run.builder serviceAccount:builder@acme-dev.iam.gserviceaccount.com",
    ]);
    expect(result.member).toBe("serviceAccount:builder@acme-dev.iam.gserviceaccount.com");
  });

  test("reads no project number when a build account is given", () => {
    const stack = plainStack();
    grantRunBuilder(stack, { buildServiceAccount: "builder@acme-dev.iam.gserviceaccount.com" });
    expect(synth(stack).data).toBeUndefined();
  });

  test("accepts a build account created in the stack", () => {
    const stack = plainStack();
    const sa = new ServiceAccount(stack, "builder", { accountId: "builder" });
    grantRunBuilder(stack, { buildServiceAccount: sa.email });
    expect(grants(synth(stack), "google_project_iam_member")).toEqual([
      "roles/run.builder serviceAccount:${google_service_account.builder.email}",
    ]);
  });

  test("rejects a build account that is not a service account email", () => {
    const stack = plainStack();
    let error: unknown;
    try {
      grantRunBuilder(stack, { buildServiceAccount: "builder" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      'CR_IAM_SERVICE_ACCOUNT: [test] buildServiceAccount is "builder"; a service account is an email',
    );
  });

  test("grants in another project, enabling the APIs and reading the number there", () => {
    const stack = plainStack({ project: "acme-dev" });
    grantRunBuilder(stack, { project: "acme-build" });
    const json = synth(stack);
    expect(Object.values(resources(json, "google_project_iam_member"))[0]).toMatchObject({
      project: "acme-build",
      member:
        "serviceAccount:${data.google_project.project-acme-build.number}-compute@developer.gserviceaccount.com",
    });
    expect(json.data?.google_project).toEqual({
      "project-acme-build": { project_id: "acme-build" },
    });
    const cloudbuild = Object.values(resources(json, "google_project_service")).find(
      (a) => a.service === "cloudbuild.googleapis.com",
    );
    expect(cloudbuild?.project).toBe("acme-build");
  });

  test("treats the stack's own project given explicitly like the default", () => {
    const stack = plainStack({ project: "acme-dev" });
    grantRunBuilder(stack, { project: "acme-dev" });
    const json = synth(stack);
    expect(json.data?.google_project).toEqual({ project: {} });
    const services = Object.values(resources(json, "google_project_service"));
    expect(services.every((s) => s.project === undefined)).toBe(true);
  });

  test("uses the project from the google_project data source when the provider has none", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new GoogleProvider(stack, "google", {});
    grantRunBuilder(stack);
    const grant = Object.values(resources(synth(stack), "google_project_iam_member"))[0];
    expect(grant.project).toBe("${data.google_project.project.project_id}");
  });

  test("returns the member, the grant and the two APIs it enabled", () => {
    const stack = plainStack();
    const result = grantRunBuilder(stack);
    expect(result.grant.node.path).toMatch(/^test\/Grants\//);
    expect(result.apis.map((a) => a.serviceInput)).toEqual([
      "cloudbuild.googleapis.com",
      "artifactregistry.googleapis.com",
    ]);
  });

  test("writes one grant when called twice", () => {
    const stack = plainStack();
    const first = grantRunBuilder(stack);
    const second = grantRunBuilder(stack);
    expect(second.grant).toBe(first.grant);
    expect(Object.keys(resources(synth(stack), "google_project_iam_member"))).toHaveLength(1);
  });
});

describe("grantDeployers", () => {
  const platform = "group:platform@acme.example";
  const ci = "serviceAccount:ci@acme-ci.iam.gserviceaccount.com";

  test("grants run.admin, run.sourceDeveloper and logging.viewer on the project to each member", () => {
    const stack = plainStack({ project: "acme-dev" });
    grantDeployers(stack, [platform, ci]);
    const json = synth(stack);
    expect(grants(json, "google_project_iam_member")).toEqual(
      [
        `roles/logging.viewer ${ci}`,
        `roles/logging.viewer ${platform}`,
        `roles/run.admin ${ci}`,
        `roles/run.admin ${platform}`,
        `roles/run.sourceDeveloper ${ci}`,
        `roles/run.sourceDeveloper ${platform}`,
      ].sort(),
    );
    const projects = Object.values(resources(json, "google_project_iam_member")).map(
      (r) => r.project,
    );
    expect(new Set(projects)).toEqual(new Set(["acme-dev"]));
  });

  test("never grants iam.serviceAccountUser on the project", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api");
    grantDeployers(stack, [platform]);
    const roles = Object.values(resources(synth(stack), "google_project_iam_member")).map(
      (r) => r.role,
    );
    expect(roles).not.toContain("roles/iam.serviceAccountUser");
  });

  test("grants iam.serviceAccountUser on each workload's service account", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api");
    fakeWorkload(stack, "Report", "report@acme-dev.iam.gserviceaccount.com");
    grantDeployers(stack, [platform]);
    const members = Object.values(resources(synth(stack), "google_service_account_iam_member"));
    expect(members.map((r) => r.service_account_id).sort()).toEqual([
      expect.stringMatching(
        /^projects\/-\/serviceAccounts\/\$\{google_service_account\.Api_ServiceAccount_[0-9A-F]{8}\.email\}$/,
      ),
      "projects/-/serviceAccounts/report@acme-dev.iam.gserviceaccount.com",
    ]);
    expect(
      members.every((r) => r.role === "roles/iam.serviceAccountUser" && r.member === platform),
    ).toBe(true);
  });

  test("grants once on an account that several workloads share", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api", "shared@acme-dev.iam.gserviceaccount.com");
    fakeWorkload(stack, "Worker", "shared@acme-dev.iam.gserviceaccount.com");
    const result = grantDeployers(stack, [platform]);
    expect(Object.keys(resources(synth(stack), "google_service_account_iam_member"))).toHaveLength(
      1,
    );
    expect(result.serviceAccounts).toHaveLength(1);
  });

  test("grants nothing for workloads registered after the call", () => {
    const stack = plainStack();
    grantDeployers(stack, [platform]);
    fakeWorkload(stack, "Late", "late@acme-dev.iam.gserviceaccount.com");
    expect(resources(synth(stack), "google_service_account_iam_member")).toEqual({});
  });

  test("grants nothing when there are no deployers", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api");
    const result = grantDeployers(stack, []);
    const json = synth(stack);
    expect(resources(json, "google_project_iam_member")).toEqual({});
    expect(resources(json, "google_service_account_iam_member")).toEqual({});
    expect(result).toEqual({ project: [], serviceAccounts: [] });
  });

  test("grants the project roles on the given project", () => {
    const stack = plainStack({ project: "acme-dev" });
    grantDeployers(stack, [platform], { project: "acme-shared" });
    const projects = Object.values(resources(synth(stack), "google_project_iam_member")).map(
      (r) => r.project,
    );
    expect(new Set(projects)).toEqual(new Set(["acme-shared"]));
  });

  test("returns the project grants and the service-account grants it created", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api");
    const result = grantDeployers(stack, [platform, ci]);
    expect(result.project).toHaveLength(6);
    expect(result.serviceAccounts).toHaveLength(2);
  });

  test("writes each grant once when called twice or with a repeated member", () => {
    const stack = plainStack();
    fakeWorkload(stack, "Api");
    grantDeployers(stack, [platform, platform]);
    grantDeployers(stack, [platform]);
    const json = synth(stack);
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(3);
    expect(Object.keys(resources(json, "google_service_account_iam_member"))).toHaveLength(1);
  });

  test("rejects a malformed deployer with CR_IAM_MEMBER", () => {
    const stack = plainStack();
    expect(() => grantDeployers(stack, ["platform@acme.example"])).toThrow(
      /CR_IAM_MEMBER: .* member is "platform@acme.example"; an email needs its kind as a prefix/,
    );
  });
});
