import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { env, resources, synth } from "../helpers";

describe("EnvironmentStack", () => {
  const stagingYaml =
    "project: acme-stage\nregion: europe-west1\ntier: staging\nstate: { bucket: acme-tfstate, prefix: run/staging }\n" +
    "apis: [pubsub.googleapis.com]\nbuild: { grantRunBuilder: true }\nlabels: { team: platform }\n";

  test("configures the Google provider with the environment's project and region", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), env(stagingYaml, "environments/staging.yaml"), {
        catalog: false,
      }),
    );
    expect(json.provider?.google[0]).toMatchObject({
      project: "acme-stage",
      region: "europe-west1",
    });
  });

  test("labels every resource through the provider's default_labels, keys kept as written", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), env(stagingYaml, "environments/staging.yaml"), {
        catalog: false,
      }),
    );
    expect(json.provider?.google[0].default_labels).toEqual({
      environment: "staging",
      "managed-by": "cdktf-cloud-run",
      team: "platform",
    });
  });

  test("writes a GCS backend with the bucket and prefix", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), env(stagingYaml, "environments/staging.yaml"), {
        catalog: false,
      }),
    );
    expect(json.terraform?.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: "run/staging" },
    });
  });

  test("uses a local backend for a dev environment without state", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), env(undefined, "environments/dev.yaml"), {
        catalog: false,
      }),
    );
    expect(json.terraform?.backend).toEqual({ local: { path: "terraform.dev.tfstate" } });
  });

  test("enables run, the file's apis, and the build APIs when run.builder is granted", () => {
    const json = synth(
      new EnvironmentStack(Testing.app(), env(stagingYaml, "environments/staging.yaml"), {
        catalog: false,
      }),
    );
    const apis = Object.values(resources(json, "google_project_service"))
      .map((r) => r.service)
      .sort();
    expect(apis).toEqual([
      "artifactregistry.googleapis.com",
      "cloudbuild.googleapis.com",
      "pubsub.googleapis.com",
      "run.googleapis.com",
    ]);
  });

  test("does not enable the build APIs when run.builder is not granted", () => {
    const json = synth(new EnvironmentStack(Testing.app(), env(), { catalog: false }));
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).not.toContain("cloudbuild.googleapis.com");
  });
});
