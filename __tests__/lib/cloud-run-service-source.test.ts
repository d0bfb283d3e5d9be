import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudRunService, CloudRunServiceProps } from "../../lib";
import { TfJson, only, plainStack, resources, synth } from "../helpers";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function sourceDir(
  files: Record<string, string> = { "index.js": "exports.hello = () => {};\n" },
): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-source-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function synthService(props: Partial<CloudRunServiceProps>): TfJson {
  const stack = plainStack();
  new CloudRunService(stack, "fn", props as CloudRunServiceProps);
  return synth(stack);
}

const svc = (json: TfJson): Json => only(json, "google_cloud_run_v2_service");

function failure(props: Partial<CloudRunServiceProps>): string {
  try {
    synthService(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a failure");
}

describe("CloudRunService source deploys from a local directory", () => {
  const dir = sourceDir({ "index.js": "exports.hello = () => {};\n", "package.json": "{}\n" });
  const json = synthService({ source: { directory: dir, functionTarget: "hello" } });

  test("uploads the directory as a bucket object whose name carries the content hash", () => {
    const object = only(json, "google_storage_bucket_object") as Json;
    expect(object.name).toMatch(/^sources\/test-fn-Source-[0-9a-f]{16}\.zip$/);
    expect(object.content_type).toBe("application/zip");
    expect(only(json, "google_storage_bucket")).toMatchObject({
      name: "acme-test-run-sources",
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
    });
  });

  test("build_config points at the uploaded object and builds into cloud-run-source-deploy", () => {
    const [objectKey] = Object.keys(resources(json, "google_storage_bucket_object"));
    expect(svc(json).build_config).toEqual({
      source_location: `gs://\${google_storage_bucket_object.${objectKey}.bucket}/\${google_storage_bucket_object.${objectKey}.name}`,
      function_target: "hello",
      image_uri: "us-central1-docker.pkg.dev/acme-test/cloud-run-source-deploy/fn",
      enable_automatic_updates: false,
    });
    expect(only(json, "google_artifact_registry_repository")).toMatchObject({
      repository_id: "cloud-run-source-deploy",
      location: "us-central1",
      format: "DOCKER",
    });
  });

  test("the container starts from a placeholder image that Terraform ignores after the first build", () => {
    const s = svc(json);
    expect(s.template.containers[0].image).toBe("us-docker.pkg.dev/cloudrun/container/hello");
    expect(s.lifecycle.ignore_changes).toEqual(["template[0].containers[0].image"]);
  });

  test("the Compute Engine default account gets roles/run.builder, and the service waits for it", () => {
    const grant = only(json, "google_project_iam_member") as Json;
    const [dataKey] = Object.keys(json.data?.google_project ?? {});
    expect(grant).toMatchObject({
      project: "acme-test",
      role: "roles/run.builder",
      member: `serviceAccount:\${data.google_project.${dataKey}.number}-compute@developer.gserviceaccount.com`,
    });
    const [grantKey] = Object.keys(resources(json, "google_project_iam_member"));
    expect(svc(json).depends_on).toContain(`google_project_iam_member.${grantKey}`);
  });

  test("enables Cloud Build, Artifact Registry and Cloud Storage", () => {
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toEqual(
      expect.arrayContaining([
        "cloudbuild.googleapis.com",
        "artifactregistry.googleapis.com",
        "storage.googleapis.com",
      ]),
    );
  });
});

describe("CloudRunService source deploys: changing the source", () => {
  /** Paths (a.b.c) where two JSON values differ. */
  function differences(a: unknown, b: unknown, at = ""): string[] {
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
      return a === b ? [] : [at];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      differences((a as Json)[k], (b as Json)[k], at ? `${at}.${k}` : k),
    );
  }

  test("changing one file changes the object name (and its archive path) and nothing else", () => {
    const dir = sourceDir({ "index.js": "v1\n", "lib/util.js": "u\n" });
    const before = synthService({ source: { directory: dir } });
    fs.writeFileSync(path.join(dir, "lib/util.js"), "u2\n");
    const after = synthService({ source: { directory: dir } });
    const diff = differences(before, after);
    const [objectKey] = Object.keys(resources(before, "google_storage_bucket_object"));
    expect(diff.sort()).toEqual([
      `resource.google_storage_bucket_object.${objectKey}.name`,
      `resource.google_storage_bucket_object.${objectKey}.source`,
    ]);
    expect(only(before, "google_storage_bucket_object").name).not.toBe(
      only(after, "google_storage_bucket_object").name,
    );
  });

  test("an unchanged source synthesizes the same object name", () => {
    const dir = sourceDir();
    expect(
      only(synthService({ source: { directory: dir } }), "google_storage_bucket_object").name,
    ).toBe(only(synthService({ source: { directory: dir } }), "google_storage_bucket_object").name);
  });
});

describe("CloudRunService source deploys: options", () => {
  test("an archive is used as the source location and nothing is uploaded", () => {
    const json = synthService({ source: { archive: "gs://acme-sources/api.zip" } });
    expect(svc(json).build_config.source_location).toBe("gs://acme-sources/api.zip");
    expect(resources(json, "google_storage_bucket_object")).toEqual({});
  });

  test("baseImage turns automatic updates on and sets the container's base_image_uri", () => {
    const json = synthService({
      source: { archive: "gs://acme-sources/api.zip", baseImage: "nodejs22" },
    });
    expect(svc(json).build_config).toMatchObject({
      base_image: "nodejs22",
      enable_automatic_updates: true,
    });
    expect(svc(json).template.containers[0].base_image_uri).toBe("nodejs22");
  });

  test("automaticUpdates false is written as given", () => {
    const base = "us-central1-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22";
    const json = synthService({
      source: { archive: "gs://acme-sources/api.zip", baseImage: base, automaticUpdates: false },
    });
    expect(svc(json).build_config).toMatchObject({
      base_image: base,
      enable_automatic_updates: false,
    });
  });

  test("buildServiceAccount runs the build and gets roles/run.builder", () => {
    const json = synthService({
      source: {
        archive: "gs://acme-sources/api.zip",
        buildServiceAccount: "builder@acme-ci.iam.gserviceaccount.com",
      },
    });
    expect(svc(json).build_config.service_account).toBe(
      "projects/acme-ci/serviceAccounts/builder@acme-ci.iam.gserviceaccount.com",
    );
    expect(only(json, "google_project_iam_member")).toMatchObject({
      role: "roles/run.builder",
      member: "serviceAccount:builder@acme-ci.iam.gserviceaccount.com",
    });
  });

  test("two source services share one bucket, one repository and one builder grant", () => {
    const stack = plainStack();
    const dir = sourceDir();
    new CloudRunService(stack, "a", { source: { directory: dir } });
    new CloudRunService(stack, "b", { source: { directory: dir } });
    const json = synth(stack);
    expect(Object.keys(resources(json, "google_storage_bucket"))).toHaveLength(1);
    expect(Object.keys(resources(json, "google_artifact_registry_repository"))).toHaveLength(1);
    expect(Object.keys(resources(json, "google_project_iam_member"))).toHaveLength(1);
    expect(Object.keys(resources(json, "google_storage_bucket_object"))).toHaveLength(2);
  });
});

describe("CloudRunService automatic base-image updates for image deploys", () => {
  const image = "us-central1-docker.pkg.dev/acme-ci/apps/api@sha256:" + "b".repeat(64);
  const base = "us-central1-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22";

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
});

describe("CloudRunService source deploys: validation", () => {
  test("image and source together fail", () => {
    expect(failure({ image: "nginx:1.27", source: { archive: "gs://a-b/c.zip" } })).toContain(
      'CR_SERVICE_IMAGE_OR_SOURCE: [test/fn] image is "nginx:1.27"; a service deploys exactly one of image and source, and both are set',
    );
  });

  test("neither image nor source fails", () => {
    expect(failure({})).toContain(
      "CR_SERVICE_IMAGE_OR_SOURCE: [test/fn] image is not set; a service deploys exactly one of image and source",
    );
  });

  test("a source with neither directory nor archive fails", () => {
    expect(failure({ source: { functionTarget: "hello" } })).toContain(
      "CR_SOURCE_LOCATION: [test/fn] source is not set; a source deploy takes exactly one of source.directory",
    );
  });

  test("a source with both directory and archive fails", () => {
    expect(failure({ source: { directory: sourceDir(), archive: "gs://a-b/c.zip" } })).toContain(
      "CR_SOURCE_LOCATION: [test/fn] source is",
    );
  });

  test("a directory that does not exist fails with the path", () => {
    expect(failure({ source: { directory: "/nonexistent/fn-src" } })).toContain(
      'CR_SOURCE_DIRECTORY: [test/fn] source.directory is "/nonexistent/fn-src"; the directory does not exist',
    );
  });

  test("an empty directory fails", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-empty-"));
    expect(failure({ source: { directory: dir } })).toContain(
      `CR_SOURCE_DIRECTORY: [test/fn] source.directory is "${dir}"; the directory holds no file`,
    );
  });

  test("an archive that is not a gs:// URI fails", () => {
    expect(failure({ source: { archive: "https://example.com/src.zip" } })).toContain(
      'CR_SOURCE_ARCHIVE: [test/fn] source.archive is "https://example.com/src.zip"; an archive is a Cloud Storage URI, gs://BUCKET/OBJECT',
    );
  });

  test("a malformed baseImage fails with the accepted forms", () => {
    expect(failure({ source: { archive: "gs://a-b/c.zip", baseImage: "Node JS" } })).toContain(
      'CR_SOURCE_BASE_IMAGE: [test/fn] source.baseImage is "Node JS"; a reference has no spaces; a base image is a runtime id ("nodejs22", "python313")',
    );
  });

  test("a functionTarget that is not an identifier fails", () => {
    expect(
      failure({ source: { archive: "gs://a-b/c.zip", functionTarget: "hello-http" } }),
    ).toContain(
      'CR_SOURCE_FUNCTION_TARGET: [test/fn] source.functionTarget is "hello-http"; a function target is the name of the exported function',
    );
  });

  test("a Java class name is a valid functionTarget", () => {
    expect(() =>
      synthService({ source: { archive: "gs://a-b/c.zip", functionTarget: "com.acme.Hello" } }),
    ).not.toThrow();
  });

  test("FUNCTION_TARGET in env fails for a function", () => {
    expect(
      failure({
        env: { FUNCTION_TARGET: "x" },
        source: { archive: "gs://a-b/c.zip", functionTarget: "hello" },
      }),
    ).toContain('CR_ENV_RESERVED: [test/fn] env.FUNCTION_TARGET is "FUNCTION_TARGET"');
  });

  test("automaticUpdates without a baseImage fails", () => {
    expect(failure({ source: { archive: "gs://a-b/c.zip", automaticUpdates: true } })).toContain(
      "CR_SOURCE_AUTOMATIC_UPDATES: [test/fn] source.automaticUpdates is true; automatic base-image updates patch a Google-provided base image, so they need a base image",
    );
    expect(failure({ image: "nginx:1.27", automaticUpdates: true })).toContain(
      "CR_SOURCE_AUTOMATIC_UPDATES: [test/fn] automaticUpdates is true",
    );
  });

  test("top-level baseImage with source fails", () => {
    expect(failure({ baseImage: "nodejs22", source: { archive: "gs://a-b/c.zip" } })).toContain(
      "CR_SOURCE_BASE_IMAGE: [test/fn] baseImage is",
    );
  });

  test('imageManagedBy "external" with source fails', () => {
    expect(
      failure({ imageManagedBy: "external", source: { archive: "gs://a-b/c.zip" } }),
    ).toContain('CR_SOURCE_EXTERNAL: [test/fn] imageManagedBy is "external"');
  });

  test("a malformed buildServiceAccount fails", () => {
    expect(
      failure({ source: { archive: "gs://a-b/c.zip", buildServiceAccount: "builder" } }),
    ).toMatch(/buildServiceAccount/);
  });
});

describe("README: Deploying from source", () => {
  test("the example synthesizes a function build from functions/hello", () => {
    const root = sourceDir({ "functions/hello/index.js": "exports.hello = () => {};\n" });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const stack = plainStack();
      new CloudRunService(stack, "fn", {
        source: { directory: "functions/hello", functionTarget: "hello", baseImage: "nodejs22" },
      });
      const json = synth(stack);
      expect(svc(json).build_config).toMatchObject({
        function_target: "hello",
        base_image: "nodejs22",
        enable_automatic_updates: true,
      });
      expect(only(json, "google_storage_bucket_object").name).toMatch(/^sources\/test-fn-Source-/);
    } finally {
      process.chdir(cwd);
    }
  });
});
