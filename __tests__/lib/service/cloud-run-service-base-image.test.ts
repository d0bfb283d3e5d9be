/**
 * CloudRunService runs images: automatic base-image updates for image deploys, and the removed
 * `source` prop refused with a pointer to CloudRunFunction and `npm run build-image`.
 */
import { CloudRunService, CloudRunServiceProps } from "@cdktf-cloud-run/constructs";
import { TfJson, only, plainStack, synth } from "../../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synthService(props: Partial<CloudRunServiceProps>): TfJson {
  const stack = plainStack();
  new CloudRunService(stack, "fn", props as CloudRunServiceProps);
  return synth(stack);
}

const svc = (json: TfJson): Json => only(json, "google_cloud_run_v2_service");

function failure(props: Record<string, unknown>): string {
  try {
    synthService(props as Partial<CloudRunServiceProps>);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a failure");
}

const image = "us-central1-docker.pkg.dev/acme-ci/apps/api@sha256:" + "b".repeat(64);
const base = "us-central1-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22";

describe("CloudRunService automatic base-image updates for image deploys", () => {
  test("baseImage sets base_image_uri and build_config.enable_automatic_updates", () => {
    const s = svc(synthService({ image, baseImage: base }));
    expect(s.template.containers[0]).toMatchObject({ image, base_image_uri: base });
    expect(s.build_config).toEqual({ enable_automatic_updates: true });
    expect(s).not.toHaveProperty("lifecycle");
  });

  test("automaticUpdates false keeps the base image without updates", () => {
    const s = svc(synthService({ image, baseImage: base, automaticUpdates: false }));
    expect(s.build_config).toEqual({ enable_automatic_updates: false });
  });

  test("no build_config without baseImage", () => {
    expect(svc(synthService({ image }))).not.toHaveProperty("build_config");
  });

  test("a runtime id is a valid baseImage", () => {
    expect(
      svc(synthService({ image, baseImage: "nodejs22" })).template.containers[0],
    ).toMatchObject({ base_image_uri: "nodejs22" });
  });

  test("a malformed baseImage fails with the accepted forms", () => {
    expect(failure({ image, baseImage: "Node JS" })).toContain(
      'CR_SOURCE_BASE_IMAGE: [test/fn] baseImage is "Node JS"',
    );
  });

  test("automaticUpdates without a baseImage fails", () => {
    expect(failure({ image, automaticUpdates: true })).toContain(
      "CR_SOURCE_AUTOMATIC_UPDATES: [test/fn] automaticUpdates is true",
    );
  });
});

describe("CloudRunService has no source prop", () => {
  test("passing source fails, pointing to CloudRunFunction and npm run build-image", () => {
    const message = failure({ source: { directory: "functions/hello", functionTarget: "hello" } });
    expect(message).toContain('CR_SERVICE_SOURCE: [test/fn] source is "set"');
    expect(message).toContain("CloudRunFunction");
    expect(message).toContain("npm run build-image -- --env ENV --workload NAME");
    expect(message).toContain("#22263, #23057");
  });

  test("an image is required: neither image nor source fails with CR_IMAGE_REQUIRED", () => {
    expect(failure({})).toContain("CR_IMAGE_REQUIRED: [test/fn] image is not set");
  });

  test('imageManagedBy "external" without an image still deploys the placeholder (gcloud run deploy --source in CI)', () => {
    const s = svc(synthService({ imageManagedBy: "external" }));
    expect(s.template.containers[0].image).toBe("us-docker.pkg.dev/cloudrun/container/hello");
    expect(s.lifecycle.ignore_changes).toContain("template[0].containers[0].image");
  });
});
