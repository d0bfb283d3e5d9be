/**
 * Source uploads for builds by Terraform (`CloudRunFunction`): a local directory is packed at
 * synth the way gcloud would pack it (source-files.ts: `.gcloudignore`, no credentials, links
 * only inside the directory) into a reproducible zip (zip.ts), and uploaded to the stack's source
 * bucket as an object named after the SHA-256 of the archive's bytes. A changed source gives a
 * new object name (and a new build); an unchanged one the same name and the same MD5, so the plan
 * stays empty on any machine.
 */
import * as fs from "fs";
import * as path from "path";
import { Construct, IConstruct } from "constructs";
import { Annotations, AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object";
import { ProjectApis } from "../apis/project-apis";
import { workloadDefaults } from "../core/context";
import { Problems, errors } from "../core/errors";
import { sourceErrors } from "./errors";
import { projectData, safeId } from "../core/stack-singletons";
import { defined, isUnresolved } from "../core/values";
import { listSource, SkippedPath } from "./source-files";
import { archiveHash, writeArchive, zipFiles } from "./zip";

export interface SourceBucketOptions {
  /** Location of the bucket when this call creates it (later calls reuse the bucket). */
  readonly region: string;
  /** @default - the stack's project (environment file, then Google provider) */
  readonly project?: string | undefined;
}

/** Days a replaced source archive is kept (as a noncurrent version) before it is deleted. */
export const SOURCE_ARCHIVE_RETENTION_DAYS = 30;

const BUCKET_SUFFIX = "-run-sources";
const BUCKET_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
const BUCKETS = new WeakMap<TerraformStack, Map<string, StorageBucket>>();

/**
 * The stack's source bucket for `project`, created on first use: `PROJECT-run-sources` (bucket
 * names are global; a project id is too, so the name is free unless someone else took it), in
 * `region`, with uniform bucket-level access, public access prevention enforced, `force_destroy`
 * false, and versioning with a lifecycle rule that deletes replaced archives
 * `SOURCE_ARCHIVE_RETENTION_DAYS` days after they stop being current. Current archives are never
 * deleted by the rule, so plans stay empty. When the project is known only to the provider, the
 * name comes from a `google_project` data source. Enables `storage.googleapis.com`.
 */
export function sourceBucket(scope: IConstruct, options: SourceBucketOptions): StorageBucket {
  const stack = TerraformStack.of(scope);
  const stackProject = workloadDefaults(scope).project;
  const otherProject = options.project === stackProject ? undefined : options.project;
  let byProject = BUCKETS.get(stack);
  if (!byProject) BUCKETS.set(stack, (byProject = new Map()));
  const found = byProject.get(otherProject ?? "");
  if (found) return found;

  const project = otherProject ?? stackProject;
  let name: string;
  if (project !== undefined && !isUnresolved(project)) {
    name = sourceBucketName(project);
    if (!BUCKET_NAME.test(name) || name.startsWith("goog") || name.includes("google")) {
      const problems = new Problems(scope);
      problems.add(sourceErrors.sourceBucketName(scope, "project", project, name));
      problems.throwIfAny();
    }
  } else {
    name = `${project ?? projectData(stack).projectId}${BUCKET_SUFFIX}`;
  }

  const id = otherProject ? `RunSources-${safeId(otherProject)}` : "RunSources";
  const bucket = new StorageBucket(
    stack,
    id,
    defined({
      name,
      project: otherProject,
      location: isUnresolved(options.region) ? options.region : options.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      versioning: { enabled: true },
      lifecycleRule: [
        {
          action: { type: "Delete" },
          condition: {
            withState: "ARCHIVED",
            daysSinceNoncurrentTime: SOURCE_ARCHIVE_RETENTION_DAYS,
          },
        },
      ],
    }),
  );
  const apis = ProjectApis.of(stack);
  apis.enable("storage.googleapis.com", otherProject);
  apis.dependOn(bucket);
  byProject.set(otherProject ?? "", bucket);
  return bucket;
}

/** `PROJECT-run-sources`, with a domain-scoped project's `example.com:` written as `example-com-`. */
export function sourceBucketName(project: string): string {
  return `${project.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}${BUCKET_SUFFIX}`;
}

export interface UploadSourceOptions {
  /** The directory to upload; relative paths are resolved from the working directory of synth. */
  readonly directory: string;
  /** Region of the source bucket, when this upload creates it. */
  readonly region: string;
  /** @default - the stack's project */
  readonly project?: string | undefined;
  /**
   * The prop named in error messages.
   * @default "source.directory"
   */
  readonly prop?: string | undefined;
}

export interface UploadedSource {
  readonly bucket: StorageBucket;
  readonly object: StorageBucketObject;
  readonly asset: TerraformAsset;
  /** SHA-256 of the uploaded archive's bytes (64 hex digits). */
  readonly hash: string;
  /** The object name, literal: `sources/<construct path>-<first 32 hex digits of hash>.zip`. */
  readonly objectName: string;
  /** The packed files, archive paths in archive order. */
  readonly files: readonly string[];
  /** What was left out, and why. */
  readonly skipped: readonly SkippedPath[];
  /**
   * `gs://BUCKET/OBJECT`, as references to the object, so a deploy that uses it waits for the
   * upload and the synthesized JSON changes only in the object when the source changes.
   */
  readonly gsUri: string;
}

/** Environment variable that lists every packed and skipped file on stderr at synth. */
export const SOURCE_VERBOSE_ENV = "CDKTF_CLOUD_RUN_VERBOSE";

/** Is verbose source output on? (`CDKTF_CLOUD_RUN_VERBOSE=1`, or `--verbose` on the command line.) */
export function sourceVerbose(): boolean {
  const v = process.env[SOURCE_VERBOSE_ENV];
  return (
    (v !== undefined && v !== "" && v !== "0" && v !== "false") ||
    process.argv.includes("--verbose")
  );
}

/**
 * Packs `directory` at synth and uploads it to the stack's source bucket as
 * `sources/<path of scope/id>-<hash>.zip`. Throws (naming the path) when the directory does not
 * exist, is not a directory, holds no file to pack, or has a dangling or looping link. Creates the
 * construct `id` under `scope` with the asset (`Archive`) and the `google_storage_bucket_object`
 * (`Object`). A link out of the directory is not followed and is warned about.
 */
export function uploadSource(
  scope: Construct,
  id: string,
  options: UploadSourceOptions,
): UploadedSource {
  const prop = options.prop ?? "source.directory";
  const problems = new Problems(scope);
  if (isUnresolved(options.directory)) {
    problems.add(errors.tokenNotAllowed(scope, prop));
    problems.throwIfAny();
  }
  const directory = path.resolve(options.directory);
  const fail = (why: string) =>
    problems.add(
      sourceErrors.sourceDirectory(scope, prop, options.directory, `${why} (${directory})`),
    );
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(directory);
  } catch {
    fail("the directory does not exist");
  }
  if (stat && !stat.isDirectory()) fail("the path is not a directory");
  problems.throwIfAny();

  const listing = listSource(directory, fail);
  if (listing.files.length === 0 && problems.count === 0)
    fail("nothing is left to upload once ignored files and credentials are skipped");
  problems.throwIfAny();

  const bytes = zipFiles(listing.files);
  const hash = archiveHash(bytes);
  const group = new Construct(scope, id);
  for (const link of listing.outsideLinks)
    Annotations.of(scope).addWarning(
      `[${scope.node.path}] ${prop}: ${link.rel} is a ${link.reason}. Copy the file into the directory, or remove the link.`,
    );
  // Built in-process once (zip.ts), copied by the asset as a file into cdktf.out.
  const asset = new TerraformAsset(group, "Archive", {
    path: writeArchive(bytes, hash),
    type: AssetType.FILE,
    assetHash: hash,
  });
  const bucket = sourceBucket(scope, { region: options.region, project: options.project });
  const objectName = `sources/${group.node.path.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${hash.slice(0, 32)}.zip`;
  // The bytes are reproducible (zip.ts): the MD5 the provider computes from the local file at
  // plan (resource_storage_bucket_object.go, CustomizeDiff: local MD5 against md5hash) matches
  // the stored object's, so nothing needs ignoring and an unchanged source plans empty.
  const object = new StorageBucketObject(group, "Object", {
    bucket: bucket.name,
    name: objectName,
    source: asset.path,
    contentType: "application/zip",
  });
  const files = listing.files.map((f) => f.rel).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sourceVerbose()) {
    const lines = [
      `source ${directory} → gs://…/${objectName}: ${files.length} file(s), ${bytes.length} bytes`,
      ...files.map((f) => `  packed  ${f}`),
      ...listing.skipped.map((s) => `  skipped ${s.rel}: ${s.reason}`),
    ];
    process.stderr.write(`${lines.join("\n")}\n`);
  }
  return {
    bucket,
    object,
    asset,
    hash,
    objectName,
    files,
    skipped: listing.skipped,
    gsUri: `gs://${object.bucket}/${object.name}`,
  };
}
