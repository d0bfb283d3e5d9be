import { CheckedResource } from "../../../lib/checks";
import {
  deployedImages,
  grantsOf,
  ignoresChanges,
  iamLevel,
} from "../../../lib/checks/terraform-config";
import { serviceKeys } from "../../../lib/checks/stack-view";

function resource(type: string, config: Record<string, unknown>): CheckedResource {
  return { type, address: `${type}.x`, path: "test/x", config };
}

describe("ignoresChanges", () => {
  const job = (ignore: unknown) =>
    resource("google_cloud_run_v2_job", { lifecycle: { ignore_changes: ignore } });
  const image = "template.template.containers[0].image";

  test.each([
    ["the attribute with single-block indexes", ["template[0].template[0].containers[0].image"]],
    ["the attribute without them", ["template.template.containers[0].image"]],
    ["the containers block", ["template[0].template[0].containers"]],
    ["the whole template", ["template"]],
    ['"all" as a string', "all"],
    ['"all" in the list', ["all"]],
  ])("covers the image when ignore_changes lists %s", (_what, ignore) => {
    expect(ignoresChanges(job(ignore), image)).toBe(true);
  });

  test.each([
    ["another container", ["template[0].template[0].containers[1].image"]],
    ["another attribute", ["client", "template[0].template[0].containers[0].args"]],
    ["nothing", undefined],
  ])("does not cover the image when ignore_changes lists %s", (_what, ignore) => {
    expect(ignoresChanges(job(ignore), image)).toBe(false);
  });
});

describe("grantsOf", () => {
  test("reads a member, the members of a binding, and the bindings of a literal policy", () => {
    expect(
      grantsOf(resource("google_project_iam_member", { role: "roles/a", member: "user:a@x.y" })),
    ).toEqual([{ prop: "member", role: "roles/a", member: "user:a@x.y" }]);
    expect(
      grantsOf(
        resource("google_project_iam_binding", {
          role: "roles/a",
          members: ["user:a@x.y", "allUsers"],
        }),
      ),
    ).toEqual([
      { prop: "members[0]", role: "roles/a", member: "user:a@x.y" },
      { prop: "members[1]", role: "roles/a", member: "allUsers" },
    ]);
    const policy = JSON.stringify({ bindings: [{ role: "roles/b", members: ["group:g@x.y"] }] });
    expect(grantsOf(resource("google_project_iam_policy", { policy_data: policy }))).toEqual([
      { prop: "policy_data", role: "roles/b", member: "group:g@x.y" },
    ]);
  });

  test("skips members and policies only known at apply time", () => {
    expect(
      grantsOf(resource("google_project_iam_member", { role: "r", member: "${var.m}" })),
    ).toEqual([]);
    expect(
      grantsOf(resource("google_project_iam_policy", { policy_data: "${data.p.policy_data}" })),
    ).toEqual([]);
  });
});

describe("iamLevel", () => {
  test.each([
    ["google_project_iam_member", "project"],
    ["google_folder_iam_binding", "folder"],
    ["google_organization_iam_policy", "organization"],
    ["google_cloud_run_v2_service_iam_member", "resource"],
  ])("%s grants on a %s", (type, level) => {
    expect(iamLevel(type)).toBe(level);
  });
});

describe("serviceKeys", () => {
  test("names a service by reference, by name, or by full resource name", () => {
    expect(serviceKeys("${google_cloud_run_v2_service.api_Resource_1.name}")).toEqual([
      "address:google_cloud_run_v2_service.api_Resource_1",
    ]);
    expect(serviceKeys("api")).toEqual(["name:api"]);
    expect(serviceKeys("projects/p/locations/l/services/api")).toEqual(["name:api"]);
  });
});

describe("deployedImages", () => {
  const image = "us-docker.pkg.dev/acme-ci/apps/api:1.0";
  const service = (buildConfig?: Record<string, unknown>) =>
    resource("google_cloud_run_v2_service", {
      template: { containers: [{ image }] },
      build_config: buildConfig,
    });

  test("an image deploy with base-image updates (build_config without a source) is checked", () => {
    expect(deployedImages(service({ enable_automatic_updates: true })).map((d) => d.image)).toEqual(
      [image],
    );
  });

  test("a build_config with a source location leaves the main image to the build", () => {
    expect(deployedImages(service({ source_location: "gs://a/b.zip" }))).toEqual([]);
  });
});
