import { Construct, IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
import {
  ArtifactRegistryRepository,
  ArtifactRegistryRepositoryCleanupPolicies,
} from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member";
import { ProjectApis } from "../apis/project-apis";
import { stableText } from "../iam/iam-binding";
import { prepareStack } from "../core/stack-setup";
import { Problems, errors } from "../core/errors";
import { artifactErrors } from "./errors";
import { iamErrors } from "../iam/errors";
import { labelProblems } from "../workload/container-rules";
import { workloadDefaults } from "../core/context";
import { ARTIFACT_REPOSITORY_TYPES, assertArg, assertPropTypes } from "../core/prop-types";
import { parseImageRef } from "../core/image-ref";
import { safeId } from "../core/stack-singletons";
import {
  PREREQUISITES,
  grantFeature,
  registerStackRepository,
  stackRepositories,
} from "../workload/prerequisites";
import { defined, Duration, isUnresolved, parseDuration, toApiDuration } from "../core/values";

/** The upstream a remote repository proxies. */
export type ArtifactRepositoryRemote = "docker-hub";

const REMOTES: readonly ArtifactRepositoryRemote[] = ["docker-hub"];

export interface ArtifactRepositoryProps {
  /**
   * Repository id: 1–63 lowercase letters, digits and hyphens, starting with a letter.
   * @default - the construct id, lower-cased
   */
  readonly name?: string | undefined;
  /** @default - the stack's project (environment file, then Google provider) */
  readonly project?: string | undefined;
  /**
   * Location: a region (`"us-central1"`) or a multi-region (`"us"`, `"europe"`, `"asia"`). Images
   * are then `REGION-docker.pkg.dev/PROJECT/NAME/…`.
   * @default - the stack's region (environment file, then Google provider)
   */
  readonly region?: string | undefined;
  /**
   * `"docker-hub"` makes a remote repository that proxies and caches Docker Hub, as the Cloud Run
   * docs advise for Docker Hub images: `repo.image("nginx:1.27")` is then
   * `REGION-docker.pkg.dev/PROJECT/NAME/library/nginx:1.27`.
   * @default - a standard repository that CI pushes to
   */
  readonly remote?: ArtifactRepositoryRemote | undefined;
  /**
   * The newest N versions of each image are never deleted by cleanup (a `KEEP` policy with
   * `most_recent_versions`). Alone, every older version is deleted, tagged or not (a retention cap);
   * with `deleteUntaggedAfter`, only untagged versions older than that are deleted.
   * @default - no cleanup policy keeps or deletes versions by count
   */
  readonly keepVersions?: number | undefined;
  /**
   * Delete untagged versions (left behind when a tag moves) once older than this: `"720h"`,
   * `"168h"` or a number of seconds.
   * @default - untagged versions are kept
   */
  readonly deleteUntaggedAfter?: Duration | undefined;
  /** @default - no description */
  readonly description?: string | undefined;
  /** @default - no labels */
  readonly labels?: Record<string, string> | undefined;
}

/** Where a workload runs, for `ArtifactRepository.grantReadersForImage`. */
export interface ImageReaderOptions {
  /**
   * The workload's project.
   * @default - the stack's project (environment file, then Google provider)
   */
  readonly project?: string | undefined;
}

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const READER_ROLE = "roles/artifactregistry.reader";
const SOURCE_DEPLOY_REPOSITORY = "cloud-run-source-deploy";

/**
 * A Docker repository in Artifact Registry (`google_artifact_registry_repository`): a standard
 * repository with optional cleanup policies, or, with `remote: "docker-hub"`, a remote repository
 * that proxies Docker Hub so Cloud Run deploys Docker Hub images from `REGION-docker.pkg.dev`.
 * Enables `artifactregistry.googleapis.com` and waits for it.
 *
 * ```ts
 * const hub = new ArtifactRepository(this, "DockerHub", { remote: "docker-hub", keepVersions: 5 });
 * new CloudRunService(this, "Proxy", { image: hub.image("nginx:1.27") });
 * ```
 */
export class ArtifactRepository extends Construct {
  /**
   * The stack's `cloud-run-source-deploy` repository for `region` (the name `gcloud run deploy
   * --source` uses), created once per region and project: Docker format, the newest 10 versions
   * of each image kept and untagged versions deleted after 30 days. Source-deployed services push
   * their builds here.
   */
  static sourceDeploys(
    scope: IConstruct,
    options: { readonly region: string; readonly project?: string },
  ): ArtifactRepository {
    const stack = TerraformStack.of(scope);
    const otherProject =
      options.project === workloadDefaults(scope).project ? undefined : options.project;
    const id = `SourceDeploys-${safeId(options.region)}${otherProject ? `-${safeId(otherProject)}` : ""}`;
    const existing = stack.node.tryFindChild(id);
    if (existing instanceof ArtifactRepository) return existing;
    return new ArtifactRepository(stack, id, {
      name: SOURCE_DEPLOY_REPOSITORY,
      region: options.region,
      project: otherProject,
      keepVersions: 10,
      deleteUntaggedAfter: "720h",
      // gcloud's description, so a repository gcloud created and Terraform imports shows no diff.
      description: "Cloud Run Source Deployments",
    });
  }

  /**
   * For a workload about to deploy `image`: when the image lives in an `ArtifactRepository` of the
   * same stack whose project differs from the workload's, grants `roles/artifactregistry.reader`
   * on that repository to the Cloud Run service agent of the workload's project
   * (`service-PROJECT_NUMBER@serverless-robot-prod.iam.gserviceaccount.com`, the identity that
   * pulls images across projects). Returns the grants (none when the image is elsewhere or the
   * projects match), so the workload can wait for them.
   */
  static grantReadersForImage(
    scope: IConstruct,
    image: string,
    options: ImageReaderOptions = {},
  ): TerraformResource[] {
    const stackProject = workloadDefaults(scope).project;
    const feature = "image-other-project-repository";
    const uses = PREREQUISITES[feature].detect({
      props: {},
      images: [image],
      project: options.project ?? stackProject,
      stackProject,
      repositories: stackRepositories(scope),
    });
    return grantFeature(feature, { scope: scope as Construct, project: options.project }, uses);
  }

  /** The `google_artifact_registry_repository`. */
  public readonly resource: ArtifactRegistryRepository;
  /** Repository id. */
  public readonly name: string;
  /** Project as given or known from the stack; `undefined` when only the provider knows it. */
  public readonly project?: string | undefined;
  /** Location (region or multi-region). */
  public readonly region: string;
  /** The upstream of a remote repository. */
  public readonly remote?: ArtifactRepositoryRemote | undefined;
  /** Docker registry host: `REGION-docker.pkg.dev`. */
  public readonly registry: string;
  /** Image prefix: `REGION-docker.pkg.dev/PROJECT/NAME` (push to / pull from `${url}/IMAGE`). */
  public readonly url: string;

  private readonly readers = new Map<string, TerraformResource>();

  constructor(scope: Construct, id: string, props: ArtifactRepositoryProps = {}) {
    super(scope, id);
    prepareStack(this);
    assertPropTypes(this, props, ARTIFACT_REPOSITORY_TYPES, true);
    const problems = new Problems(this);
    const defaults = workloadDefaults(this);

    this.name = props.name ?? id.toLowerCase();
    if (isUnresolved(this.name)) problems.add(errors.tokenNotAllowed(this, "name"));
    else if (this.name.length > 63 || !NAME.test(this.name))
      problems.add(errors.name(this, "name", this.name, 63));

    const region = props.region ?? defaults.region;
    if (!region) problems.add(errors.region(this));
    this.region = region ?? "";
    this.project = props.project ?? defaults.project;

    if (props.remote !== undefined && !REMOTES.includes(props.remote))
      problems.add(errors.enumValue("CR_AR_REMOTE", this, "remote", props.remote, REMOTES));
    this.remote = props.remote;

    const keep = props.keepVersions;
    if (keep !== undefined && !isUnresolved(keep) && !(Number.isInteger(keep) && keep >= 1))
      problems.add(artifactErrors.keepVersions(this, keep));

    let untaggedAfter: string | undefined;
    const after = props.deleteUntaggedAfter;
    if (after !== undefined) {
      if (isUnresolved(after)) untaggedAfter = String(after);
      else {
        const seconds = parseDuration(after);
        if (seconds === undefined)
          problems.add(errors.duration(this, "deleteUntaggedAfter", after));
        else untaggedAfter = toApiDuration(seconds);
      }
    }

    if (props.labels) for (const p of labelProblems(this, "labels", props.labels)) problems.add(p);
    problems.throwIfAny();

    const cleanupPolicies = cleanup(keep, untaggedAfter);
    this.resource = new ArtifactRegistryRepository(
      this,
      "Resource",
      defined({
        repositoryId: this.name,
        location: this.region,
        project: props.project,
        format: "DOCKER",
        mode: this.remote ? "REMOTE_REPOSITORY" : "STANDARD_REPOSITORY",
        description: props.description,
        labels: props.labels,
        remoteRepositoryConfig:
          this.remote === "docker-hub"
            ? { description: "Docker Hub", dockerRepository: { publicRepository: "DOCKER_HUB" } }
            : undefined,
        cleanupPolicies: cleanupPolicies.length > 0 ? cleanupPolicies : undefined,
        // Written explicitly: policies that only dry-run would surprise whoever set them.
        cleanupPolicyDryRun: cleanupPolicies.length > 0 ? false : undefined,
      }),
    );

    this.registry = `${this.region}-docker.pkg.dev`;
    this.url = `${this.registry}/${this.project ?? this.resource.project}/${this.name}`;

    // The repository's own API (the row every image pulled from it needs as well).
    const apis = ProjectApis.of(this);
    for (const api of PREREQUISITES["image-same-stack-repository"].apis)
      apis.enable(
        api,
        props.project && props.project !== defaults.project ? props.project : undefined,
      );
    apis.dependOn(this.resource);

    registerStackRepository(this);
  }

  /**
   * The reference to deploy for `ref`. On a Docker Hub remote repository, `ref` is a Docker Hub
   * reference: `"nginx:1.27"` → `REGION-docker.pkg.dev/PROJECT/NAME/library/nginx:1.27`,
   * `"bitnami/redis:7"` → `…/NAME/bitnami/redis:7`; other registries are refused. On a standard
   * repository, `ref` is a path inside it: `"api@sha256:…"` → `…/NAME/api@sha256:…`.
   */
  image(ref: string): string {
    assertArg(this, "image(ref)", ref, "string", true);
    const problems = new Problems(this);
    if (isUnresolved(ref)) {
      if (this.remote) {
        problems.add(errors.tokenNotAllowed(this, "image(ref)"));
        problems.throwIfAny();
      }
      return `${this.url}/${ref}`;
    }
    if (ref.startsWith(`${this.url}/`)) return ref;
    const parsed = parseImageRef(ref);
    if (!parsed.ok) {
      problems.add(errors.imageRef(this, "image(ref)", ref, parsed.reason));
      problems.throwIfAny();
      throw new Error("unreachable");
    }
    const r = parsed.ref;
    let path = r.path;
    if (this.remote === "docker-hub") {
      if (!r.isDockerHub) problems.add(artifactErrors.imageNotDockerHub(this, ref, r.registry));
    } else {
      if (r.explicitRegistry) problems.add(artifactErrors.imageHasRegistry(this, ref, r.registry));
      // The parser completes Docker Hub's short form (`api` → `library/api`); a path inside a
      // repository is taken as written.
      if (!ref.trim().startsWith("library/")) path = path.replace(/^library\//, "");
    }
    problems.throwIfAny();
    return `${this.url}/${path}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
  }

  /**
   * Grants `roles/artifactregistry.reader` on this repository to `member`
   * (`google_artifact_registry_repository_iam_member`, additive). Calling it again for the same
   * member returns the same resource. `memberId` names the grant's construct when `member` holds a
   * reference (default: the member text with references written out).
   */
  grantPull(member: string, memberId?: string): TerraformResource {
    const problems = new Problems(this);
    problems.add(iamErrors.member(this, "grantPull(member)", member));
    problems.throwIfAny();
    const key = stableText(this, member);
    const found = this.readers.get(key);
    if (found) return found;
    const group =
      (this.node.tryFindChild("Readers") as Construct | undefined) ??
      new Construct(this, "Readers");
    const grant = new ArtifactRegistryRepositoryIamMember(group, memberId ?? constructId(key), {
      repository: this.resource.name,
      location: this.resource.location,
      project: this.resource.project,
      role: READER_ROLE,
      member,
    });
    this.readers.set(key, grant);
    return grant;
  }
}

/** The cleanup policies for `keepVersions` and `deleteUntaggedAfter` (see their docs). */
function cleanup(
  keepVersions: number | undefined,
  untaggedAfter: string | undefined,
): ArtifactRegistryRepositoryCleanupPolicies[] {
  const policies: ArtifactRegistryRepositoryCleanupPolicies[] = [];
  if (keepVersions !== undefined) {
    policies.push({
      id: "keep-newest",
      action: "KEEP",
      mostRecentVersions: { keepCount: keepVersions },
    });
    if (untaggedAfter === undefined)
      policies.push({ id: "delete-older", action: "DELETE", condition: { tagState: "ANY" } });
  }
  if (untaggedAfter !== undefined) {
    policies.push({
      id: "delete-untagged",
      action: "DELETE",
      condition: { tagState: "UNTAGGED", olderThan: untaggedAfter },
    });
  }
  return policies;
}

/** A construct id from a member: reference braces and path separators removed. */
function constructId(text: string): string {
  return text.replace(/\$\{|\}/g, "").replace(/\//g, "-");
}
