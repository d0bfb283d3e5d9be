/**
 * Named error factories of `ArtifactRepository`. Codes never change once shipped. Message shape:
 * see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { problem } from "../core/errors";

type Scope = IConstruct | string;

export const artifactErrors = {
  keepVersions: (scope: Scope, value: unknown) =>
    problem(
      "CR_AR_KEEP_VERSIONS",
      scope,
      "keepVersions",
      value,
      "keepVersions is how many of the newest versions of each image a cleanup policy keeps: a whole number of at least 1",
      "Pass e.g. 10, or omit keepVersions to keep every version",
    ),
  imageNotDockerHub: (scope: Scope, ref: string, registry: string) =>
    problem(
      "CR_AR_IMAGE_NOT_DOCKER_HUB",
      scope,
      "image(ref)",
      ref,
      `this repository is a remote repository of Docker Hub and serves only Docker Hub images; this reference is on ${registry}`,
      'Pass a Docker Hub reference such as "nginx:1.27" or "bitnami/redis:7", or deploy the image from its own registry',
    ),
  imageHasRegistry: (scope: Scope, ref: string, registry: string) =>
    problem(
      "CR_AR_IMAGE_PATH",
      scope,
      "image(ref)",
      ref,
      `image() of a standard repository takes a path inside the repository, and this reference names the registry ${registry}`,
      'Pass e.g. "api:1.4.2" or "team/api@sha256:…", or use the reference as it is',
    ),
};
