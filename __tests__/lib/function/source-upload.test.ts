import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Construct } from "constructs";
import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import {
  SOURCE_ARCHIVE_RETENTION_DAYS,
  sourceBucket,
  sourceBucketName,
  uploadSource,
} from "../../../lib/function/source-upload";
import { removeSourceArchives, sourceArchiveDir } from "../../../lib/function/zip";
import { only, plainStack, resources, synth, TfJson } from "../../helpers";

const BUCKET = "google_storage_bucket";
const OBJECT = "google_storage_bucket_object";

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "source-upload-"));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

afterAll(() => removeSourceArchives());

/** A source directory with `files` (relative path → content). */
function sourceDir(files: Record<string, string>, name = "fn"): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

/** Synthesizes a stack holding one upload of `dir` under `test/Api/Source`. */
function synthUpload(dir: string): { json: TfJson; objectName: string } {
  const stack = plainStack({ project: "acme-dev" });
  const api = new Construct(stack, "Api");
  const up = uploadSource(api, "Source", { directory: dir, region: "us-central1" });
  new TerraformOutput(stack, "uri", { value: up.gsUri });
  return { json: synth(stack), objectName: up.objectName };
}

describe("sourceBucket", () => {
  test("is named after the project with -run-sources", () => {
    const stack = plainStack({ project: "acme-dev" });
    sourceBucket(stack, { region: "us-central1" });
    expect(only(synth(stack), BUCKET).name).toBe("acme-dev-run-sources");
  });

  test("uses uniform bucket-level access, enforced public access prevention and no force_destroy", () => {
    const stack = plainStack();
    sourceBucket(stack, { region: "us-central1" });
    expect(only(synth(stack), BUCKET)).toMatchObject({
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      force_destroy: false,
    });
  });

  test("lives in the region, written upper-case as Cloud Storage reports it", () => {
    const stack = plainStack();
    sourceBucket(stack, { region: "europe-west1" });
    expect(only(synth(stack), BUCKET).location).toBe("EUROPE-WEST1");
  });

  test("keeps replaced archives as noncurrent versions and deletes them after 30 days", () => {
    const stack = plainStack();
    sourceBucket(stack, { region: "us-central1" });
    const bucket = only(synth(stack), BUCKET);
    expect(SOURCE_ARCHIVE_RETENTION_DAYS).toBe(30);
    expect(bucket.versioning).toEqual({ enabled: true });
    expect(bucket.lifecycle_rule).toEqual([
      {
        action: { type: "Delete" },
        condition: { with_state: "ARCHIVED", days_since_noncurrent_time: 30 },
      },
    ]);
  });

  test("enables storage.googleapis.com and waits for the APIs", () => {
    const stack = plainStack();
    sourceBucket(stack, { region: "us-central1" });
    const json = synth(stack);
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("storage.googleapis.com");
    const sleepId = Object.keys(resources(json, "time_sleep"))[0];
    expect(only(json, BUCKET).depends_on).toEqual([`time_sleep.${sleepId}`]);
  });

  test("is one bucket per stack, whoever asks and whatever region later callers pass", () => {
    const stack = plainStack();
    const a = sourceBucket(stack, { region: "us-central1" });
    const b = sourceBucket(stack, { region: "europe-west1" });
    expect(a).toBe(b);
    expect(Object.keys(resources(synth(stack), BUCKET))).toHaveLength(1);
  });

  test("the stack's project given explicitly is the same bucket", () => {
    const stack = plainStack({ project: "acme-dev" });
    const a = sourceBucket(stack, { region: "us-central1" });
    expect(sourceBucket(stack, { region: "us-central1", project: "acme-dev" })).toBe(a);
  });

  test("another project gets its own bucket in that project", () => {
    const stack = plainStack({ project: "acme-dev" });
    sourceBucket(stack, { region: "us-central1" });
    sourceBucket(stack, { region: "us-central1", project: "acme-build" });
    const buckets = Object.values(resources(synth(stack), BUCKET));
    expect(buckets.map((b) => [b.name, b.project])).toEqual([
      ["acme-dev-run-sources", undefined],
      ["acme-build-run-sources", "acme-build"],
    ]);
  });

  test("without a known project the name comes from the google_project data source", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "noproject");
    new GoogleProvider(stack, "google", { region: "us-central1" });
    sourceBucket(stack, { region: "us-central1" });
    const json = synth(stack);
    const dataId = Object.keys(json.data?.google_project ?? {})[0];
    expect(only(json, BUCKET).name).toBe(
      `\${data.google_project.${dataId}.project_id}-run-sources`,
    );
  });

  test("a domain-scoped project becomes a valid bucket name", () => {
    expect(sourceBucketName("example.com:acme-dev")).toBe("example-com-acme-dev-run-sources");
  });

  test("the longest project id gives a name within 63 characters", () => {
    expect(sourceBucketName(`a${"b".repeat(29)}`).length).toBeLessThanOrEqual(63);
  });

  test("refuses a project that cannot make a bucket name, naming the derived name", () => {
    const stack = plainStack({ project: "acme-dev" });
    const message = errorOf(() =>
      sourceBucket(stack, { region: "us-central1", project: "x".repeat(60) }),
    );
    expect(message).toContain(`CR_SOURCE_BUCKET: [test] project is "${"x".repeat(60)}"`);
    expect(message).toContain(`"${"x".repeat(60)}-run-sources"`);
  });
});

describe("uploadSource", () => {
  test("uploads the archive as sources/<path>-<hash>.zip into the source bucket", () => {
    const dir = sourceDir({ "main.py": "print('hi')\n" });
    const stack = plainStack({ project: "acme-dev" });
    const up = uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    const json = synth(stack);
    const bucketId = Object.keys(resources(json, BUCKET))[0];
    expect(up.objectName).toMatch(/^sources\/test-Source-[0-9a-f]{32}\.zip$/);
    expect(only(json, OBJECT)).toMatchObject({
      bucket: `\${google_storage_bucket.${bucketId}.name}`,
      name: up.objectName,
      content_type: "application/zip",
    });
  });

  test("the object's source is the synthesized archive of the asset", () => {
    const dir = sourceDir({ "main.py": "x" });
    const stack = plainStack();
    const up = uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    const object = only(synth(stack), OBJECT);
    expect(object.source).toMatch(new RegExp(`^assets/[^/]+/${up.hash}/archive\\.zip$`));
  });

  test("ignores nothing: the archive's bytes, and so its MD5, are reproducible", () => {
    const dir = sourceDir({ "main.py": "x" });
    const stack = plainStack();
    uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    expect(only(synth(stack), OBJECT).lifecycle).toBeUndefined();
  });

  test("the object name is the SHA-256 of the archive written to cdktf.out", () => {
    const dir = sourceDir({ "main.py": "x", "lib/util.py": "y" });
    const stack = plainStack();
    const up = uploadSource(stack, "Source", { directory: dir, region: "us-central1" });
    const bytes = fs.readFileSync(path.join(sourceArchiveDir()!, up.hash, "archive.zip"));
    const sha = crypto.createHash("sha256").update(bytes).digest("hex");
    expect(up.hash).toBe(sha);
    expect(up.objectName).toBe(`sources/test-Source-${sha.slice(0, 32)}.zip`);
  });

  test("gsUri refers to the object, so a deploy waits for the upload", () => {
    const { json } = synthUpload(sourceDir({ "main.py": "x" }));
    const objectId = Object.keys(resources(json, OBJECT))[0];
    expect((json.output?.uri as { value: string }).value).toBe(
      `gs://\${google_storage_bucket_object.${objectId}.bucket}/\${google_storage_bucket_object.${objectId}.name}`,
    );
  });

  test("the same content gives the same object name", () => {
    const a = synthUpload(sourceDir({ "main.py": "x", "lib/util.py": "y" }, "a"));
    const b = synthUpload(sourceDir({ "main.py": "x", "lib/util.py": "y" }, "b"));
    expect(a.objectName).toBe(b.objectName);
  });

  test("changing one file changes the object name and nothing else in the synthesized JSON", () => {
    const dir = sourceDir({ "main.py": "print(1)\n", "requirements.txt": "flask\n" });
    const before = synthUpload(dir);
    fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
    const after = synthUpload(dir);

    expect(after.objectName).not.toBe(before.objectName);
    const objectId = Object.keys(resources(before.json, OBJECT))[0];
    const beforeObject = resources(before.json, OBJECT)[objectId];
    const afterObject = resources(after.json, OBJECT)[objectId];
    expect(beforeObject.source).not.toBe(afterObject.source);
    // Everything but the object's name and the asset path is identical.
    for (const o of [beforeObject, afterObject]) {
      delete o.name;
      delete o.source;
    }
    expect(after.json).toEqual(before.json);
  });

  test("renaming a file changes the object name", () => {
    const dir = sourceDir({ "main.py": "x" });
    const before = synthUpload(dir).objectName;
    fs.renameSync(path.join(dir, "main.py"), path.join(dir, "app.py"));
    expect(synthUpload(dir).objectName).not.toBe(before);
  });

  test("adding a file changes the object name", () => {
    const dir = sourceDir({ "main.py": "x" });
    const before = synthUpload(dir).objectName;
    fs.writeFileSync(path.join(dir, "extra.txt"), "");
    expect(synthUpload(dir).objectName).not.toBe(before);
  });

  test("two uploads in one stack share the bucket and get distinct objects", () => {
    const stack = plainStack();
    const a = uploadSource(stack, "A", {
      directory: sourceDir({ f: "1" }, "a"),
      region: "us-central1",
    });
    const b = uploadSource(stack, "B", {
      directory: sourceDir({ f: "1" }, "b"),
      region: "us-central1",
    });
    expect(a.bucket).toBe(b.bucket);
    expect(a.objectName).not.toBe(b.objectName);
    expect(Object.keys(resources(synth(stack), OBJECT))).toHaveLength(2);
  });

  test("a relative directory is resolved from the working directory", () => {
    const dir = sourceDir({ "main.py": "x" });
    const stack = plainStack();
    const up = uploadSource(stack, "Source", {
      directory: path.relative(process.cwd(), dir),
      region: "us-central1",
    });
    expect(up.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("refuses a directory that does not exist, naming the path", () => {
    const stack = plainStack();
    const missing = path.join(root, "nope");
    const message = errorOf(() =>
      uploadSource(stack, "Source", { directory: missing, region: "us-central1" }),
    );
    expect(message).toContain(
      `CR_SOURCE_DIRECTORY: [test] source.directory is ${JSON.stringify(missing)}`,
    );
    expect(message).toContain("the directory does not exist");
  });

  test("refuses a file", () => {
    const dir = sourceDir({ "main.py": "x" });
    const stack = plainStack();
    const file = path.join(dir, "main.py");
    const message = errorOf(() =>
      uploadSource(stack, "Source", { directory: file, region: "us-central1" }),
    );
    expect(message).toContain("CR_SOURCE_DIRECTORY");
    expect(message).toContain(`the path is not a directory (${file})`);
  });

  test("refuses an empty directory, and one that holds only empty directories", () => {
    const dir = sourceDir({}, "empty");
    fs.mkdirSync(path.join(dir, "sub", "deeper"), { recursive: true });
    const stack = plainStack();
    const message = errorOf(() =>
      uploadSource(stack, "Source", { directory: dir, region: "us-central1" }),
    );
    expect(message).toContain("CR_SOURCE_DIRECTORY");
    expect(message).toContain(
      `nothing is left to upload once ignored files and credentials are skipped (${dir})`,
    );
  });

  test("names the prop the caller passes", () => {
    const stack = plainStack();
    const message = errorOf(() =>
      uploadSource(stack, "Source", {
        directory: path.join(root, "nope"),
        region: "us-central1",
        prop: "functions.hello.directory",
      }),
    );
    expect(message).toContain("functions.hello.directory is");
  });
});

describe("uploadSource: verbose output", () => {
  test("with CDKTF_CLOUD_RUN_VERBOSE=1 lists every packed and skipped file on stderr", () => {
    const dir = sourceDir({ "main.py": "x", ".env": "A=1", ".git/HEAD": "x" });
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    process.env.CDKTF_CLOUD_RUN_VERBOSE = "1";
    let text = "";
    try {
      uploadSource(plainStack(), "Source", { directory: dir, region: "us-central1" });
      text = write.mock.calls.map((c) => String(c[0])).join("");
    } finally {
      delete process.env.CDKTF_CLOUD_RUN_VERBOSE;
      write.mockRestore();
    }
    expect(text).toContain("  packed  main.py\n");
    expect(text).toContain("  skipped .env: environment file (.env*): never packed\n");
    expect(text).toContain("  skipped .git/: ignored by default (.git)\n");
  });

  test("is silent by default", () => {
    const dir = sourceDir({ "main.py": "x", ".env": "A=1" });
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    let calls = -1;
    try {
      uploadSource(plainStack(), "Source", { directory: dir, region: "us-central1" });
      calls = write.mock.calls.length;
    } finally {
      write.mockRestore();
    }
    expect(calls).toBe(0);
  });
});
