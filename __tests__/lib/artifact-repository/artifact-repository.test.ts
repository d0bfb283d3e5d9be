import { Testing, TerraformOutput, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ArtifactRepository, CloudRunService } from "@cdktf-cloud-run/constructs";
import { plainStack, resources, synth, TfJson } from "../../helpers";

const DIGEST = `sha256:${"b".repeat(64)}`;
const REPO = "google_artifact_registry_repository";
const MEMBER = "google_artifact_registry_repository_iam_member";

function repos(json: TfJson): Record<string, unknown>[] {
  return Object.values(resources(json, REPO));
}

function one(json: TfJson): Record<string, unknown> {
  const all = repos(json);
  expect(all).toHaveLength(1);
  return all[0];
}

/** A string as Terraform will see it (references written out). */
function outputOf(stack: TerraformStack, value: string): string {
  new TerraformOutput(stack, "probe", { value });
  return (synth(stack).output?.probe as { value: string }).value;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("ArtifactRepository defaults", () => {
  test("the repository id is the construct id, lower-cased", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "Images");
    expect(one(synth(stack)).repository_id).toBe("images");
  });

  test("is a standard Docker repository", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images");
    expect(one(synth(stack))).toMatchObject({ format: "DOCKER", mode: "STANDARD_REPOSITORY" });
  });

  test("location is the provider's region and project is left to the provider", () => {
    const stack = plainStack({ region: "europe-west1" });
    new ArtifactRepository(stack, "images");
    const repo = one(synth(stack));
    expect(repo.location).toBe("europe-west1");
    expect(repo).not.toHaveProperty("project");
  });

  test("writes no cleanup policies and no dry-run flag", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images");
    const repo = one(synth(stack));
    expect(repo).not.toHaveProperty("cleanup_policies");
    expect(repo).not.toHaveProperty("cleanup_policy_dry_run");
  });

  test("has no remote configuration, description or labels", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images");
    const repo = one(synth(stack));
    expect(repo).not.toHaveProperty("remote_repository_config");
    expect(repo).not.toHaveProperty("description");
    expect(repo).not.toHaveProperty("labels");
  });

  test("enables artifactregistry.googleapis.com and waits for the APIs", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images");
    const json = synth(stack);
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("artifactregistry.googleapis.com");
    const sleepId = Object.keys(resources(json, "time_sleep"))[0];
    expect(one(json).depends_on).toContain(`time_sleep.${sleepId}`);
  });

  test("registry and url are built from region, project and name", () => {
    const stack = plainStack({ project: "acme-dev", region: "us-central1" });
    const repo = new ArtifactRepository(stack, "images");
    expect(repo.registry).toBe("us-central1-docker.pkg.dev");
    expect(repo.url).toBe("us-central1-docker.pkg.dev/acme-dev/images");
  });

  test("url refers to the repository's project when the stack does not know it", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new GoogleProvider(stack, "google", { region: "us-central1" });
    const repo = new ArtifactRepository(stack, "images");
    const resolved = outputOf(stack, repo.url);
    expect(resolved).toMatch(
      /^us-central1-docker\.pkg\.dev\/\$\{google_artifact_registry_repository\.[^.]+\.project\}\/images$/,
    );
  });
});

describe("ArtifactRepository props", () => {
  test("name sets the repository id", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "Images", { name: "apps" });
    expect(one(synth(stack)).repository_id).toBe("apps");
  });

  test("project is written, used in url and its API enabled there", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "images", { project: "acme-ci" });
    const json = synth(stack);
    expect(one(json).project).toBe("acme-ci");
    expect(repo.url).toBe("us-central1-docker.pkg.dev/acme-ci/images");
    const api = Object.values(resources(json, "google_project_service")).find(
      (r) => r.service === "artifactregistry.googleapis.com",
    );
    expect(api?.project).toBe("acme-ci");
  });

  test("region sets the location and the registry host, multi-regions included", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images", { region: "us" });
    expect(one(synth(stack)).location).toBe("us");
    expect(repo.registry).toBe("us-docker.pkg.dev");
  });

  test('remote: "docker-hub" makes a remote repository of Docker Hub', () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "hub", { remote: "docker-hub" });
    const repo = one(synth(stack));
    expect(repo).toMatchObject({ format: "DOCKER", mode: "REMOTE_REPOSITORY" });
    expect(repo.remote_repository_config).toEqual({
      description: "Docker Hub",
      docker_repository: { public_repository: "DOCKER_HUB" },
    });
  });

  test("keepVersions alone keeps the newest N and deletes older versions", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", { keepVersions: 10 });
    expect(one(synth(stack)).cleanup_policies).toEqual([
      { id: "keep-newest", action: "KEEP", most_recent_versions: { keep_count: 10 } },
      { id: "delete-older", action: "DELETE", condition: { tag_state: "ANY" } },
    ]);
  });

  test("deleteUntaggedAfter deletes untagged versions older than the duration, in seconds", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", { deleteUntaggedAfter: "168h" });
    expect(one(synth(stack)).cleanup_policies).toEqual([
      {
        id: "delete-untagged",
        action: "DELETE",
        condition: { tag_state: "UNTAGGED", older_than: "604800s" },
      },
    ]);
  });

  test("deleteUntaggedAfter takes a number of seconds", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", { deleteUntaggedAfter: 3600 });
    const [policy] = one(synth(stack)).cleanup_policies as Array<Record<string, unknown>>;
    expect(policy.condition).toEqual({ tag_state: "UNTAGGED", older_than: "3600s" });
  });

  test("keepVersions with deleteUntaggedAfter keeps the newest N and deletes only old untagged versions", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", { keepVersions: 3, deleteUntaggedAfter: "1h" });
    const policies = one(synth(stack)).cleanup_policies as Array<Record<string, unknown>>;
    expect(policies.map((p) => p.id)).toEqual(["keep-newest", "delete-untagged"]);
  });

  test("writes cleanup_policy_dry_run = false when there are policies", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", { keepVersions: 5 });
    expect(one(synth(stack)).cleanup_policy_dry_run).toBe(false);
  });

  test("a remote repository can have cleanup policies", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "hub", { remote: "docker-hub", keepVersions: 5 });
    const repo = one(synth(stack));
    expect(repo.mode).toBe("REMOTE_REPOSITORY");
    expect(repo.cleanup_policies).toHaveLength(2);
  });

  test("description and labels are written", () => {
    const stack = plainStack();
    new ArtifactRepository(stack, "images", {
      description: "Application images",
      labels: { team: "platform" },
    });
    expect(one(synth(stack))).toMatchObject({
      description: "Application images",
      labels: { team: "platform" },
    });
  });

  test("resource is the repository", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    expect(repo.resource.terraformResourceType).toBe(REPO);
  });
});

describe("ArtifactRepository validation", () => {
  test.each([
    ["Images_1", "an underscore"],
    ["1images", "a leading digit"],
    ["images-", "a trailing hyphen"],
    ["a".repeat(64), "64 characters"],
  ])("refuses name %s (%s)", (name) => {
    const stack = plainStack();
    const message = errorOf(() => new ArtifactRepository(stack, "Repo", { name }));
    expect(message).toContain(`CR_NAME: [test/Repo] name is "${name}"`);
    expect(message).toContain("lowercase letters, digits and hyphens");
  });

  test("accepts a name of 63 characters", () => {
    const stack = plainStack();
    expect(
      () => new ArtifactRepository(stack, "Repo", { name: `a${"b".repeat(62)}` }),
    ).not.toThrow();
  });

  test("refuses a construct id that does not make a valid name", () => {
    const stack = plainStack();
    expect(errorOf(() => new ArtifactRepository(stack, "My Images"))).toContain(
      'CR_NAME: [test/My Images] name is "my images"',
    );
  });

  test("refuses an unknown remote", () => {
    const stack = plainStack();
    const message = errorOf(
      () => new ArtifactRepository(stack, "hub", { remote: "quay" as unknown as "docker-hub" }),
    );
    expect(message).toContain(
      'CR_AR_REMOTE: [test/hub] remote is "quay"; allowed values are "docker-hub"',
    );
  });

  test.each([0, -1, 2.5])("refuses keepVersions %p", (keepVersions) => {
    const stack = plainStack();
    const message = errorOf(() => new ArtifactRepository(stack, "images", { keepVersions }));
    expect(message).toContain(
      `CR_AR_KEEP_VERSIONS: [test/images] keepVersions is ${keepVersions};`,
    );
    expect(message).toContain("a whole number of at least 1");
  });

  test("refuses a malformed deleteUntaggedAfter", () => {
    const stack = plainStack();
    const message = errorOf(
      () => new ArtifactRepository(stack, "images", { deleteUntaggedAfter: "7d" }),
    );
    expect(message).toContain('CR_DURATION: [test/images] deleteUntaggedAfter is "7d"');
  });

  test("refuses a bad label key", () => {
    const stack = plainStack();
    const message = errorOf(
      () => new ArtifactRepository(stack, "images", { labels: { Team: "platform" } }),
    );
    expect(message).toContain('CR_LABEL_KEY: [test/images] labels.Team is "Team"');
  });

  test("needs a region", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "noregion");
    new GoogleProvider(stack, "google", { project: "acme-dev" });
    expect(errorOf(() => new ArtifactRepository(stack, "images"))).toContain(
      "CR_REGION_REQUIRED: [noregion/images] region is not set",
    );
  });

  test("lists every problem of the constructor together", () => {
    const stack = plainStack();
    const message = errorOf(
      () =>
        new ArtifactRepository(stack, "images", {
          name: "Bad",
          keepVersions: 0,
          deleteUntaggedAfter: "soon",
        }),
    );
    expect(message).toContain("test/images is misconfigured");
    expect(message).toContain("CR_NAME");
    expect(message).toContain("CR_AR_KEEP_VERSIONS");
    expect(message).toContain("CR_DURATION");
  });
});

describe("ArtifactRepository.image() on a Docker Hub remote", () => {
  function hub() {
    const stack = plainStack({ project: "acme-dev", region: "us-central1" });
    return new ArtifactRepository(stack, "dockerhub", { remote: "docker-hub" });
  }
  const base = "us-central1-docker.pkg.dev/acme-dev/dockerhub";

  test("an official image goes under library/", () => {
    expect(hub().image("nginx:1.27")).toBe(`${base}/library/nginx:1.27`);
  });

  test("a user image keeps its namespace", () => {
    expect(hub().image("bitnami/redis:7")).toBe(`${base}/bitnami/redis:7`);
  });

  test("a digest is kept, with or without a tag", () => {
    expect(hub().image(`nginx@${DIGEST}`)).toBe(`${base}/library/nginx@${DIGEST}`);
    expect(hub().image(`nginx:1.27@${DIGEST}`)).toBe(`${base}/library/nginx:1.27@${DIGEST}`);
  });

  test("docker.io and library/ written out give the same reference", () => {
    expect(hub().image("docker.io/library/nginx:1.27")).toBe(`${base}/library/nginx:1.27`);
    expect(hub().image("index.docker.io/nginx:1.27")).toBe(`${base}/library/nginx:1.27`);
  });

  test("a reference without tag or digest stays without", () => {
    expect(hub().image("nginx")).toBe(`${base}/library/nginx`);
  });

  test("never returns a docker.io reference", () => {
    expect(hub().image("docker.io/nginx:1.27")).not.toContain("docker.io/");
  });

  test("refuses an image from another registry", () => {
    const message = errorOf(() => hub().image("gcr.io/acme/app:1"));
    expect(message).toContain(
      'CR_AR_IMAGE_NOT_DOCKER_HUB: [test/dockerhub] image(ref) is "gcr.io/acme/app:1"',
    );
    expect(message).toContain("this reference is on gcr.io");
  });

  test("refuses an Artifact Registry image", () => {
    expect(errorOf(() => hub().image(`us-docker.pkg.dev/p/r/app@${DIGEST}`))).toContain(
      "CR_AR_IMAGE_NOT_DOCKER_HUB",
    );
  });

  test("refuses a malformed reference with the value and the expected form", () => {
    const message = errorOf(() => hub().image("Nginx:1.27"));
    expect(message).toContain('CR_IMAGE_REF: [test/dockerhub] image(ref) is "Nginx:1.27"');
    expect(message).toContain("[REGISTRY/]PATH[:TAG][@sha256:<64 hex>]");
  });

  test("refuses a reference only known at apply time", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "hub", { remote: "docker-hub" });
    const token = repo.resource.name;
    expect(errorOf(() => repo.image(token))).toContain("CR_UNRESOLVED: [test/hub] image(ref)");
  });
});

describe("ArtifactRepository.image() on a standard repository", () => {
  function apps() {
    const stack = plainStack({ project: "acme-ci", region: "us" });
    return new ArtifactRepository(stack, "apps");
  }
  const base = "us-docker.pkg.dev/acme-ci/apps";

  test("a path is placed inside the repository as written", () => {
    expect(apps().image("api:1.4.2")).toBe(`${base}/api:1.4.2`);
    expect(apps().image(`team/api@${DIGEST}`)).toBe(`${base}/team/api@${DIGEST}`);
  });

  test("a path that starts with library/ keeps it", () => {
    expect(apps().image("library/base:1")).toBe(`${base}/library/base:1`);
  });

  test("a reference already in the repository is returned as it is", () => {
    expect(apps().image(`${base}/api@${DIGEST}`)).toBe(`${base}/api@${DIGEST}`);
  });

  test("refuses a reference on another registry", () => {
    const message = errorOf(() => apps().image("gcr.io/acme/api:1"));
    expect(message).toContain('CR_AR_IMAGE_PATH: [test/apps] image(ref) is "gcr.io/acme/api:1"');
    expect(message).toContain("names the registry gcr.io");
  });

  test("a reference only known at apply time is appended", () => {
    const stack = plainStack({ project: "acme-ci", region: "us" });
    const repo = new ArtifactRepository(stack, "apps");
    const other = new ArtifactRepository(stack, "other");
    const token = other.resource.name;
    expect(outputOf(stack, repo.image(token))).toMatch(
      new RegExp(`^${base}/\\$\\{google_artifact_registry_repository\\.other_[^.]+\\.name\\}$`),
    );
  });
});

describe("ArtifactRepository.grantPull()", () => {
  test("grants roles/artifactregistry.reader on the repository", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    repo.grantPull("group:ci@acme.example");
    const json = synth(stack);
    const repoId = Object.keys(resources(json, REPO))[0];
    const grants = Object.values(resources(json, MEMBER));
    expect(grants).toEqual([
      {
        repository: `\${${REPO}.${repoId}.name}`,
        location: `\${${REPO}.${repoId}.location}`,
        project: `\${${REPO}.${repoId}.project}`,
        role: "roles/artifactregistry.reader",
        member: "group:ci@acme.example",
      },
    ]);
  });

  test("granting the same member twice returns one resource", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    const a = repo.grantPull("group:ci@acme.example");
    const b = repo.grantPull("group:ci@acme.example");
    expect(a).toBe(b);
    expect(Object.keys(resources(synth(stack), MEMBER))).toHaveLength(1);
  });

  test("the grant's construct id comes from the member", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    expect(repo.grantPull("user:ana@acme.example").node.path).toBe(
      "test/images/Readers/user:ana@acme.example",
    );
  });

  test("a member holding a reference gets an id from the reference, not the token number", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    const other = new ArtifactRepository(stack, "other");
    const grant = repo.grantPull(`serviceAccount:${other.resource.name}@x.iam.gserviceaccount.com`);
    expect(grant.node.id).not.toContain("TfToken");
    expect(grant.node.id).toContain("google_artifact_registry_repository");
  });

  test("memberId names the grant", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    expect(repo.grantPull("group:ci@acme.example", "ci").node.id).toBe("ci");
  });

  test("refuses a member without a kind", () => {
    const stack = plainStack();
    const repo = new ArtifactRepository(stack, "images");
    expect(errorOf(() => repo.grantPull("ana@acme.example"))).toContain(
      'CR_IAM_MEMBER: [test/images] grantPull(member) is "ana@acme.example"',
    );
  });
});

describe("ArtifactRepository.sourceDeploys()", () => {
  test("is the cloud-run-source-deploy Docker repository with gcloud's description", () => {
    const stack = plainStack();
    ArtifactRepository.sourceDeploys(stack, { region: "us-central1" });
    expect(one(synth(stack))).toMatchObject({
      repository_id: "cloud-run-source-deploy",
      location: "us-central1",
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
      description: "Cloud Run Source Deployments",
    });
  });

  test("keeps the newest 10 versions and deletes untagged ones after 30 days", () => {
    const stack = plainStack();
    ArtifactRepository.sourceDeploys(stack, { region: "us-central1" });
    const repo = one(synth(stack));
    expect(repo.cleanup_policies).toEqual([
      { id: "keep-newest", action: "KEEP", most_recent_versions: { keep_count: 10 } },
      {
        id: "delete-untagged",
        action: "DELETE",
        condition: { tag_state: "UNTAGGED", older_than: "2592000s" },
      },
    ]);
    expect(repo.cleanup_policy_dry_run).toBe(false);
  });

  test("is one repository per region and stack", () => {
    const stack = plainStack();
    const a = ArtifactRepository.sourceDeploys(stack, { region: "us-central1" });
    const b = ArtifactRepository.sourceDeploys(stack, { region: "us-central1" });
    const c = ArtifactRepository.sourceDeploys(stack, { region: "europe-west1" });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(repos(synth(stack))).toHaveLength(2);
  });

  test("the stack's own project given explicitly is the same repository", () => {
    const stack = plainStack({ project: "acme-dev" });
    const a = ArtifactRepository.sourceDeploys(stack, { region: "us-central1" });
    const b = ArtifactRepository.sourceDeploys(stack, {
      region: "us-central1",
      project: "acme-dev",
    });
    expect(a).toBe(b);
  });

  test("another project gets its own repository in that project", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = ArtifactRepository.sourceDeploys(stack, {
      region: "us-central1",
      project: "acme-build",
    });
    expect(repo.url).toBe("us-central1-docker.pkg.dev/acme-build/cloud-run-source-deploy");
    expect(one(synth(stack)).project).toBe("acme-build");
  });
});

describe("ArtifactRepository.grantReadersForImage()", () => {
  const agent = (dataId: string) =>
    `serviceAccount:service-\${data.google_project.${dataId}.number}@serverless-robot-prod.iam.gserviceaccount.com`;

  test("grants the Cloud Run service agent of the workload's project when the projects differ", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "apps", { project: "acme-ci" });
    const grants = ArtifactRepository.grantReadersForImage(stack, repo.image(`api@${DIGEST}`));
    expect(grants).toHaveLength(1);
    const json = synth(stack);
    const [grant] = Object.values(resources(json, MEMBER));
    const dataId = Object.keys(json.data?.google_project ?? {})[0];
    expect(grant).toMatchObject({ role: "roles/artifactregistry.reader", member: agent(dataId) });
  });

  test("a workload in another project than the stack's gets that project's service agent", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "apps");
    ArtifactRepository.grantReadersForImage(stack, repo.image("api:1"), { project: "acme-prod" });
    const json = synth(stack);
    const data = json.data?.google_project ?? {};
    expect(Object.values(data)).toEqual([{ project_id: "acme-prod" }]);
    const [grant] = Object.values(resources(json, MEMBER));
    expect(grant.member).toBe(agent(Object.keys(data)[0]));
  });

  test("grants nothing when the workload and the repository share a project", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "apps");
    expect(ArtifactRepository.grantReadersForImage(stack, repo.image("api:1"))).toEqual([]);
    expect(
      ArtifactRepository.grantReadersForImage(stack, repo.image("api:1"), { project: "acme-dev" }),
    ).toEqual([]);
    expect(resources(synth(stack), MEMBER)).toEqual({});
  });

  test("grants nothing for an image outside the stack's repositories", () => {
    const stack = plainStack({ project: "acme-dev" });
    new ArtifactRepository(stack, "apps", { project: "acme-ci" });
    const image = `us-central1-docker.pkg.dev/acme-ci/elsewhere/api@${DIGEST}`;
    expect(ArtifactRepository.grantReadersForImage(stack, image)).toEqual([]);
  });

  test("a repository whose name prefixes another's does not match", () => {
    const stack = plainStack({ project: "acme-dev" });
    new ArtifactRepository(stack, "app", { project: "acme-ci" });
    const image = `us-central1-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`;
    expect(ArtifactRepository.grantReadersForImage(stack, image)).toEqual([]);
  });

  test("two workloads in the same project share one grant", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "apps", { project: "acme-ci" });
    const [a] = ArtifactRepository.grantReadersForImage(stack, repo.image("api:1"));
    const [b] = ArtifactRepository.grantReadersForImage(stack, repo.image("worker:1"));
    expect(a).toBe(b);
    expect(Object.keys(resources(synth(stack), MEMBER))).toHaveLength(1);
  });

  test("the grant has a stable id named after the workload project", () => {
    const stack = plainStack({ project: "acme-dev" });
    const repo = new ArtifactRepository(stack, "apps", { project: "acme-ci" });
    const [grant] = ArtifactRepository.grantReadersForImage(stack, repo.image("api:1"));
    expect(grant.node.path).toBe("test/apps/Readers/run-service-agent-acme-dev");
  });

  test("works with a Docker Hub remote repository in another project", () => {
    const stack = plainStack({ project: "acme-dev" });
    const hub = new ArtifactRepository(stack, "hub", {
      remote: "docker-hub",
      project: "acme-shared",
    });
    expect(ArtifactRepository.grantReadersForImage(stack, hub.image("nginx:1.27"))).toHaveLength(1);
  });
});

describe("README examples (Where images come from)", () => {
  test("a Docker Hub image through the remote repository is deployed from REGION-docker.pkg.dev, never docker.io", () => {
    const stack = plainStack({ project: "acme-dev", region: "us-central1" });
    const hub = new ArtifactRepository(stack, "dockerhub", {
      remote: "docker-hub",
      keepVersions: 5,
    });
    new CloudRunService(stack, "proxy", { image: hub.image("nginx:1.27") });
    const json = synth(stack);
    const service = Object.values(resources(json, "google_cloud_run_v2_service"))[0];
    const image = (service.template as { containers: Array<{ image: string }> }).containers[0]
      .image;
    expect(image).toBe("us-central1-docker.pkg.dev/acme-dev/dockerhub/library/nginx:1.27");
    expect(JSON.stringify(json)).not.toContain("docker.io");
    expect(one(json)).toMatchObject({
      repository_id: "dockerhub",
      mode: "REMOTE_REPOSITORY",
      remote_repository_config: { docker_repository: { public_repository: "DOCKER_HUB" } },
    });
  });

  test("the ArtifactRepository example: policies, a pull grant and an image reference", () => {
    const stack = plainStack({ project: "acme-ci", region: "us-central1" });
    const apps = new ArtifactRepository(stack, "apps", {
      keepVersions: 20,
      deleteUntaggedAfter: "168h",
    });
    apps.grantPull("serviceAccount:deployer@acme-ci.iam.gserviceaccount.com");
    expect(apps.image(`api@${DIGEST}`)).toBe(
      `us-central1-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`,
    );
    const json = synth(stack);
    expect((one(json).cleanup_policies as Array<{ id: string }>).map((p) => p.id)).toEqual([
      "keep-newest",
      "delete-untagged",
    ]);
    expect(Object.values(resources(json, MEMBER))[0]).toMatchObject({
      role: "roles/artifactregistry.reader",
      member: "serviceAccount:deployer@acme-ci.iam.gserviceaccount.com",
    });
  });

  test("an image by digest from another project's repository gets the reader grant for the service agent", () => {
    const stack = plainStack({ project: "acme-dev", region: "us-central1" });
    const apps = new ArtifactRepository(stack, "apps", { project: "acme-ci" });
    const image = apps.image(`api@${DIGEST}`);
    const grants = ArtifactRepository.grantReadersForImage(stack, image);
    new CloudRunService(stack, "api", { image });
    const json = synth(stack);
    expect(grants).toHaveLength(1);
    expect(Object.values(resources(json, MEMBER))[0].member).toMatch(
      /^serviceAccount:service-\$\{data\.google_project\.[^.]+\.number\}@serverless-robot-prod\.iam\.gserviceaccount\.com$/,
    );
  });
});
