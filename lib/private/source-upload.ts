/**
 * Source deploys, the Terraform form of `gcloud run deploy --source`: a local directory is zipped
 * at synth (cdktf `TerraformAsset`) and uploaded to the stack's source bucket as an object whose
 * name carries a hash of the directory, so a changed source gives a new object (and a new build)
 * and an unchanged one an empty plan.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Construct, IConstruct } from "constructs";
import { AssetType, TerraformAsset, TerraformStack } from "cdktf";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object";
import { ProjectApis } from "../project-apis";
import { workloadDefaults } from "./context";
import { Problems, artifactErrors, errors } from "./errors";
import { projectData, safeId } from "./stack-singletons";
import { isUnresolved } from "./values";
import { sourceArchive } from "./zip";

export interface SourceBucketOptions {
  /** Location of the bucket when this call creates it (later calls reuse the bucket). */
  readonly region: string;
  /** @default - the stack's project (environment file, then Google provider) */
  readonly project?: string;
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
      problems.add(artifactErrors.sourceBucketName(scope, "project", project, name));
      problems.throwIfAny();
    }
  } else {
    name = `${project ?? projectData(stack).projectId}${BUCKET_SUFFIX}`;
  }

  const id = otherProject ? `RunSources-${safeId(otherProject)}` : "RunSources";
  const bucket = new StorageBucket(stack, id, {
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
  });
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
  readonly project?: string;
  /**
   * The prop named in error messages.
   * @default "source.directory"
   */
  readonly prop?: string;
}

export interface UploadedSource {
  readonly bucket: StorageBucket;
  readonly object: StorageBucketObject;
  readonly asset: TerraformAsset;
  /** Hash of the directory's file names, modes and contents (16 hex digits). */
  readonly hash: string;
  /** The object name, literal: `sources/<construct path>-<hash>.zip`. */
  readonly objectName: string;
  /**
   * `gs://BUCKET/OBJECT`, as references to the object, so a deploy that uses it waits for the
   * upload and the synthesized JSON changes only in the object when the source changes.
   */
  readonly gsUri: string;
}

/**
 * Zips `directory` at synth and uploads it to the stack's source bucket as
 * `sources/<path of scope/id>-<hash>.zip`. Throws (naming the path) when the directory does not
 * exist, is not a directory or holds no file. Creates the construct `id` under `scope` with the
 * asset (`Archive`) and the `google_storage_bucket_object` (`Object`).
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
  const files = listSourceFiles(directory, (why) =>
    problems.add(
      artifactErrors.sourceDirectory(scope, prop, options.directory, `${why} (${directory})`),
    ),
  );
  problems.throwIfAny();

  const hash = hashFiles(directory, files);
  const group = new Construct(scope, id);
  // Zipped in-process once (lib/private/zip.ts), copied by the asset as a file: the same
  // assets/<id>/<hash>/archive.zip as AssetType.ARCHIVE, without a node process per stack.
  const asset = new TerraformAsset(group, "Archive", {
    path: sourceArchive(directory, files, hash),
    type: AssetType.FILE,
    assetHash: hash,
  });
  const bucket = sourceBucket(scope, { region: options.region, project: options.project });
  const objectName = `sources/${group.node.path.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${hash}.zip`;
  const object = new StorageBucketObject(group, "Object", {
    bucket: bucket.name,
    name: objectName,
    source: asset.path,
    contentType: "application/zip",
    // The name carries the content hash, so a changed source is always a new object. Re-zipping
    // at every synth changes the archive's bytes (file times), which must not replace the object.
    lifecycle: { ignoreChanges: ["detect_md5hash"] },
  });
  return {
    bucket,
    object,
    asset,
    hash,
    objectName,
    gsUri: `gs://${object.bucket}/${object.name}`,
  };
}

/**
 * The files under `directory` (relative, `/`-separated, sorted); reports through `fail` when it
 * does not exist, is not a directory, or holds no file.
 */
export function listSourceFiles(directory: string, fail: (why: string) => void): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(directory);
  } catch {
    fail("the directory does not exist");
    return [];
  }
  if (!stat.isDirectory()) {
    fail("the path is not a directory");
    return [];
  }
  const files: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const s = entry.isSymbolicLink() ? fs.statSync(full) : entry;
      if (s.isDirectory()) walk(full, rel);
      else if (s.isFile()) files.push(rel);
    }
  };
  walk(directory, "");
  if (files.length === 0) fail("the directory holds no file");
  return files.sort();
}

/** SHA-256 over each file's relative path, executable bit and contents; 16 hex digits. */
export function hashFiles(directory: string, files: readonly string[]): string {
  const hash = crypto.createHash("sha256");
  for (const rel of files) {
    const full = path.join(directory, ...rel.split("/"));
    const executable = (fs.statSync(full).mode & 0o111) !== 0;
    hash.update(`${rel}\0${executable ? "x" : "-"}\0`);
    hash.update(fs.readFileSync(full));
    hash.update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}
