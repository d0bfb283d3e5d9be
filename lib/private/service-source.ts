/**
 * Source deploys of services, the Terraform form of `gcloud run deploy --source`: the source (a
 * local directory uploaded as a content-hashed archive, or an existing `gs://` archive) becomes
 * the service's `build_config`; Cloud Build builds it into the stack's `cloud-run-source-deploy`
 * repository, and the container starts from a placeholder image that Terraform ignores after the
 * first build. Also automatic base-image updates for image deploys (`baseImage` +
 * `automaticUpdates`).
 */
import { Construct } from "constructs";
import { TerraformResource } from "cdktf";
import { ArtifactRepository } from "../artifact-repository";
import { grantRunBuilder } from "../grants";
import { serviceAccountEmail } from "../iam-binding";
import { Problem } from "./errors";
import { serviceErrors } from "./errors-service";
import { parseImageRef } from "./image-ref";
import { uploadSource } from "./source-upload";
import { projectData } from "./stack-singletons";
import { isUnresolved } from "./values";

/** Deploy from source (`gcloud run deploy --source`): exactly one of `directory` and `archive`. */
export interface ServiceSource {
  /**
   * Local directory, zipped at synth and uploaded to the stack's source bucket under a name that
   * carries its content hash (a changed file means a new object and a new build).
   * @default - none; set this or `archive`
   */
  readonly directory?: string;
  /** An existing archive, `gs://BUCKET/OBJECT.zip`. @default - none; set this or `directory` */
  readonly archive?: string;
  /**
   * Function entry point (`--function`): the source is built as a function with the Functions
   * Framework. @default - none: the source is built as an application (buildpacks or Dockerfile)
   */
  readonly functionTarget?: string;
  /**
   * Runtime base image (`--base-image`): a runtime id such as `"nodejs22"` or a full reference
   * such as `"us-central1-docker.pkg.dev/serverless-runtimes/google-22-full/runtimes/nodejs22"`.
   * @default - none: buildpacks pick the base image
   */
  readonly baseImage?: string;
  /**
   * Let Google patch the base image without a redeploy (`--automatic-updates`); needs `baseImage`.
   * @default - true with a baseImage, as gcloud does for functions; false without
   */
  readonly automaticUpdates?: boolean;
  /**
   * Account Cloud Build runs the build as (`--build-service-account`): an email or
   * `projects/P/serviceAccounts/EMAIL`. It gets `roles/run.builder` on the project.
   * @default - the Compute Engine default account, which Cloud Build uses (granted roles/run.builder)
   */
  readonly buildServiceAccount?: string;
}

/** What the service needs from the source mapping. */
export interface SourceWiring {
  /** `build_config` block (provider camelCase). */
  readonly buildConfig?: Record<string, unknown>;
  /** `base_image_uri` of the main container. */
  readonly baseImageUri?: string;
  /** Ignore the main image after the first build. */
  readonly ignoreImage: boolean;
  /** Resources the service must wait for (the build identity's grant, the repository). */
  readonly dependsOn: TerraformResource[];
}

/** The image a source-deployed service starts from, before its first build replaces it. */
export const SOURCE_PLACEHOLDER_IMAGE = "us-docker.pkg.dev/cloudrun/container/hello";

const GS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]\/[^\s]+$/;
const RUNTIME_ID = /^[a-z]+[0-9]+$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

export interface SourceInputs {
  readonly image?: string;
  readonly source?: ServiceSource;
  readonly baseImage?: string;
  readonly automaticUpdates?: boolean;
  readonly imageManagedBy?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Single-prop and exclusivity problems of `image`, `source`, `baseImage`, `automaticUpdates`. */
export function sourceProblems(scope: Construct, p: SourceInputs): Problem[] {
  const out: Problem[] = [];
  const s = p.source;
  if (s === undefined) {
    if (!p.image && p.imageManagedBy !== "external") out.push(serviceErrors.imageOrSource(scope));
    if (p.baseImage !== undefined) out.push(...baseImageProblems(scope, "baseImage", p.baseImage));
    if (p.automaticUpdates && p.baseImage === undefined)
      out.push(serviceErrors.automaticUpdates(scope, "automaticUpdates"));
    return out;
  }
  if (p.image) out.push(serviceErrors.imageAndSource(scope, p.image));
  if (p.imageManagedBy === "external") out.push(serviceErrors.sourceExternal(scope));
  if (p.baseImage !== undefined || p.automaticUpdates !== undefined)
    out.push(serviceErrors.sourceTopLevel(scope));
  const locations = [s.directory, s.archive].filter((l) => l !== undefined);
  if (locations.length !== 1)
    out.push(serviceErrors.sourceLocation(scope, locations.length === 0 ? undefined : s));
  if (s.archive !== undefined && !isUnresolved(s.archive) && !GS_URI.test(s.archive))
    out.push(serviceErrors.sourceArchive(scope, s.archive));
  if (s.functionTarget !== undefined && !isUnresolved(s.functionTarget)) {
    if (!IDENTIFIER.test(s.functionTarget))
      out.push(serviceErrors.functionTarget(scope, s.functionTarget));
    for (const name of ["FUNCTION_TARGET", "FUNCTION_SIGNATURE_TYPE"])
      if (p.env?.[name] !== undefined) out.push(serviceErrors.functionEnv(scope, name));
  }
  if (s.baseImage !== undefined)
    out.push(...baseImageProblems(scope, "source.baseImage", s.baseImage));
  if (s.automaticUpdates && s.baseImage === undefined)
    out.push(serviceErrors.automaticUpdates(scope, "source.automaticUpdates"));
  return out;
}

function baseImageProblems(scope: Construct, prop: string, value: string): Problem[] {
  if (isUnresolved(value) || RUNTIME_ID.test(value)) return [];
  const parsed = parseImageRef(value);
  return parsed.ok ? [] : [serviceErrors.baseImage(scope, prop, value, parsed.reason)];
}

export interface SourceContext {
  readonly name: string;
  readonly region: string;
  /** Project given to the service. */
  readonly project?: string;
}

/** Creates what a source deploy needs (upload, repository, builder grant) and the blocks. */
export function mapSource(scope: Construct, p: SourceInputs, ctx: SourceContext): SourceWiring {
  const s = p.source;
  if (!s) {
    if (p.baseImage === undefined) return { ignoreImage: false, dependsOn: [] };
    return {
      baseImageUri: p.baseImage,
      buildConfig: { enableAutomaticUpdates: p.automaticUpdates ?? true },
      ignoreImage: false,
      dependsOn: [],
    };
  }
  const location = s.directory
    ? uploadSource(scope, "Source", {
        directory: s.directory,
        region: ctx.region,
        project: ctx.project,
      }).gsUri
    : s.archive!;
  const repo = ArtifactRepository.sourceDeploys(scope, {
    region: ctx.region,
    project: ctx.project,
  });
  const builder = grantRunBuilder(scope, {
    project: ctx.project,
    buildServiceAccount: s.buildServiceAccount,
  });
  const automatic = s.automaticUpdates ?? s.baseImage !== undefined;
  return {
    baseImageUri: s.baseImage,
    buildConfig: {
      sourceLocation: location,
      functionTarget: s.functionTarget,
      imageUri: `${repo.url}/${ctx.name}`,
      baseImage: s.baseImage,
      enableAutomaticUpdates: automatic,
      serviceAccount: s.buildServiceAccount
        ? buildAccountPath(scope, s.buildServiceAccount, ctx.project)
        : undefined,
    },
    ignoreImage: true,
    dependsOn: [builder.grant, repo.resource],
  };
}

/** `projects/P/serviceAccounts/EMAIL`, the form `build_config.service_account` takes. */
function buildAccountPath(scope: Construct, account: string, project?: string): string {
  if (account.startsWith("projects/")) return account;
  const email = serviceAccountEmail(account);
  const own = /@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(email)?.[1];
  return `projects/${own ?? project ?? projectData(scope).projectId}/serviceAccounts/${email}`;
}
