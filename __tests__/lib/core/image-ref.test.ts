import { formatImageRef, ImageRef, parseImageRef } from "../../../lib/core/image-ref";

const DIGEST = `sha256:${"a".repeat(64)}`;

function ok(raw: string): ImageRef {
  const result = parseImageRef(raw);
  if (!result.ok) throw new Error(`expected ${raw} to parse: ${result.reason}`);
  return result.ref;
}

function reason(raw: string): string {
  const result = parseImageRef(raw);
  if (result.ok) throw new Error(`expected ${raw} to be refused`);
  return result.reason;
}

describe("parseImageRef: Artifact Registry references", () => {
  test("splits registry, path and digest", () => {
    expect(ok(`us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`)).toMatchObject({
      registry: "us-docker.pkg.dev",
      explicitRegistry: true,
      path: "acme-ci/apps/api",
      tag: undefined,
      digest: DIGEST,
      isArtifactRegistry: true,
      isDockerHub: false,
    });
  });

  test("a regional Artifact Registry host counts as Artifact Registry", () => {
    expect(ok("europe-west1-docker.pkg.dev/p/r/app:1").isArtifactRegistry).toBe(true);
  });

  test("gcr.io is not Artifact Registry and not Docker Hub", () => {
    expect(ok("gcr.io/acme/app:1")).toMatchObject({
      registry: "gcr.io",
      isArtifactRegistry: false,
      isDockerHub: false,
    });
  });

  test("keeps the reference as given in raw", () => {
    expect(ok(" gcr.io/acme/app:1 ").raw).toBe(" gcr.io/acme/app:1 ");
  });
});

describe("parseImageRef: tags and digests", () => {
  test("a tag alone", () => {
    expect(ok("gcr.io/acme/app:v1.2.3_rc-1")).toMatchObject({
      tag: "v1.2.3_rc-1",
      digest: undefined,
    });
  });

  test("a tag and a digest together", () => {
    expect(ok(`gcr.io/acme/app:1.0@${DIGEST}`)).toMatchObject({ tag: "1.0", digest: DIGEST });
  });

  test("neither tag nor digest", () => {
    expect(ok("gcr.io/acme/app")).toMatchObject({ tag: undefined, digest: undefined });
  });

  test("a tag of 128 characters is accepted, 129 refused", () => {
    expect(ok(`app:${"a".repeat(128)}`).tag).toHaveLength(128);
    expect(reason(`app:${"a".repeat(129)}`)).toMatch(/is not a valid tag/);
  });

  test("a digest with uppercase hex is refused with the expected form", () => {
    expect(reason(`app@sha256:${"A".repeat(64)}`)).toMatch(/is not sha256:<64 lowercase hex>/);
  });

  test("a short digest is refused", () => {
    expect(reason("app@sha256:abc")).toBe('digest "sha256:abc" is not sha256:<64 lowercase hex>');
  });

  test("a digest of another algorithm is refused", () => {
    expect(reason(`app@sha512:${"a".repeat(128)}`)).toMatch(/digest "sha512:/);
  });

  test("an empty tag is refused", () => {
    expect(reason("app:")).toBe('tag "" is not a valid tag');
  });

  test("a tag starting with a dot is refused", () => {
    expect(reason("app:.hidden")).toMatch(/tag ".hidden"/);
  });
});

describe("parseImageRef: registries with ports", () => {
  test("host:port is the registry, not a tag", () => {
    expect(ok("registry.acme.example:5000/team/app")).toMatchObject({
      registry: "registry.acme.example:5000",
      path: "team/app",
      tag: undefined,
    });
  });

  test("host:port with a tag", () => {
    expect(ok("localhost:5000/app:dev")).toMatchObject({
      registry: "localhost:5000",
      path: "app",
      tag: "dev",
    });
  });

  test("localhost without a port is a registry", () => {
    expect(ok("localhost/app")).toMatchObject({ registry: "localhost", path: "app" });
  });

  test("a single-label host with a port is a registry", () => {
    expect(ok("myregistry:5000/app").registry).toBe("myregistry:5000");
  });

  test("a malformed port is refused", () => {
    expect(reason("registry.example:50a0/app")).toMatch(/registry "registry.example:50a0"/);
  });
});

describe("parseImageRef: Docker Hub short forms", () => {
  test("an official image gets library/ and docker.io", () => {
    expect(ok("nginx:1.27")).toMatchObject({
      registry: "docker.io",
      explicitRegistry: false,
      path: "library/nginx",
      tag: "1.27",
      isDockerHub: true,
      isArtifactRegistry: false,
    });
  });

  test("a user image keeps its namespace", () => {
    expect(ok("bitnami/redis:7")).toMatchObject({ path: "bitnami/redis", isDockerHub: true });
  });

  test("docker.io/nginx is the official image, with the registry written", () => {
    expect(ok("docker.io/nginx")).toMatchObject({
      registry: "docker.io",
      explicitRegistry: true,
      path: "library/nginx",
    });
  });

  test("index.docker.io and registry-1.docker.io are Docker Hub, normalized to docker.io", () => {
    expect(ok("index.docker.io/library/nginx").registry).toBe("docker.io");
    expect(ok("registry-1.docker.io/bitnami/redis").registry).toBe("docker.io");
  });

  test("a first component without a dot, colon or localhost is a path, not a registry", () => {
    expect(ok("acme/tools/app")).toMatchObject({ registry: "docker.io", path: "acme/tools/app" });
  });

  test("a name that looks like host:port without a path is an image with a tag", () => {
    expect(ok("localhost:5000")).toMatchObject({ path: "library/localhost", tag: "5000" });
  });
});

describe("parseImageRef: malformed references", () => {
  test("empty", () => {
    expect(reason("")).toBe("the reference is empty");
    expect(reason("   ")).toBe("the reference is empty");
  });

  test("spaces inside", () => {
    expect(reason("gcr.io/acme/my app")).toBe("a reference has no spaces");
  });

  test("uppercase in the path", () => {
    expect(reason("gcr.io/acme/App")).toMatch(/repository path "acme\/App" must be lowercase/);
  });

  test("an empty path component", () => {
    expect(reason("gcr.io/acme//app")).toMatch(/repository path "acme\/\/app"/);
  });

  test("a registry with nothing below it", () => {
    expect(reason("gcr.io/")).toMatch(/repository path ""/);
  });

  test("only a digest", () => {
    expect(reason(`@${DIGEST}`)).toMatch(/repository path ""/);
  });

  test("a component ending in a separator", () => {
    expect(reason("acme/app-")).toMatch(/repository path "acme\/app-"/);
  });

  test("a scheme is not part of a reference", () => {
    expect(reason("https://gcr.io/acme/app")).toBe('a reference has no scheme; drop "https://"');
  });

  test("a name longer than 255 characters", () => {
    expect(reason(`gcr.io/${"a".repeat(250)}`)).toMatch(/at most 255/);
  });

  test("separators allowed by the grammar inside components", () => {
    expect(ok("gcr.io/acme/my_app.v2__x--y").path).toBe("acme/my_app.v2__x--y");
  });
});

describe("formatImageRef", () => {
  test("writes registry and path always", () => {
    expect(formatImageRef(ok("nginx:1.27"))).toBe("docker.io/library/nginx:1.27");
  });

  test("writes tag and digest when present", () => {
    expect(formatImageRef(ok(`gcr.io/a/b:1@${DIGEST}`))).toBe(`gcr.io/a/b:1@${DIGEST}`);
  });

  test("round-trips an Artifact Registry digest reference", () => {
    const ref = `us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`;
    expect(formatImageRef(ok(ref))).toBe(ref);
  });
});
