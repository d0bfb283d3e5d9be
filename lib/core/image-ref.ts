/**
 * The one parser of container image references, used by the constructs, the checks and the
 * promotion tool. Follows the Docker reference grammar: `[REGISTRY/]PATH[:TAG][@DIGEST]`.
 */

export interface ImageRef {
  /** The reference as given. */
  readonly raw: string;
  /** Registry host (`us-docker.pkg.dev`, `docker.io`, `gcr.io`); `docker.io` when omitted. */
  readonly registry: string;
  /** True when the reference names its registry (`gcr.io/x`, `docker.io/nginx`), false when implied (`nginx`). */
  readonly explicitRegistry: boolean;
  /** Repository path below the registry (`acme-ci/apps/api`, `library/nginx`). */
  readonly path: string;
  /**
   * @default - none: no tag in the reference (Docker reads `latest` when there is no digest either)
   */
  readonly tag?: string | undefined;
  /**
   * `sha256:<64 hex>`
   * @default - none: no digest in the reference
   */
  readonly digest?: string | undefined;
  /** True for `*-docker.pkg.dev` (Artifact Registry). */
  readonly isArtifactRegistry: boolean;
  /** True for Docker Hub, written or implied. */
  readonly isDockerHub: boolean;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$/;

/** Parses an image reference; never throws. */
export function parseImageRef(raw: string): ImageRefResult {
  const text = raw.trim();
  if (text === "") return { ok: false, reason: "the reference is empty" };
  if (/\s/.test(text)) return { ok: false, reason: "a reference has no spaces" };
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text);
  if (scheme) return { ok: false, reason: `a reference has no scheme; drop "${scheme[0]}"` };

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      return { ok: false, reason: `digest "${digest}" is not sha256:<64 lowercase hex>` };
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: `tag "${tag}" is not a valid tag` };
  }

  const parts = rest.split("/");
  let registry = "docker.io";
  let explicitRegistry = false;
  if (
    parts.length > 1 &&
    (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")
  ) {
    registry = parts.shift()!;
    explicitRegistry = true;
    if (!HOST.test(registry))
      return { ok: false, reason: `registry "${registry}" is not a host name` };
  }
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT.test(p))) {
    return {
      ok: false,
      reason: `repository path "${parts.join("/")}" must be lowercase components separated by "/"`,
    };
  }
  const written = explicitRegistry ? `${registry}/${parts.join("/")}` : parts.join("/");
  if (written.length > 255) {
    return {
      ok: false,
      reason: `the name is ${written.length} characters; at most 255 are allowed`,
    };
  }
  const isDockerHub =
    registry === "docker.io" ||
    registry === "index.docker.io" ||
    registry === "registry-1.docker.io";
  const path = isDockerHub && parts.length === 1 ? `library/${parts[0]}` : parts.join("/");
  return {
    ok: true,
    ref: {
      raw,
      registry: isDockerHub ? "docker.io" : registry,
      explicitRegistry,
      path,
      tag,
      digest,
      isArtifactRegistry: /^[a-z0-9-]+-docker\.pkg\.dev$/.test(registry),
      isDockerHub,
    },
  };
}

/** The normalized reference, `REGISTRY/PATH[:TAG][@sha256:…]`, registry and path always written (for promotion). */
export function formatImageRef(
  ref: Pick<ImageRef, "registry" | "path" | "tag" | "digest">,
): string {
  const base = `${ref.registry}/${ref.path}`;
  return `${base}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
