import { SA, checkedStack, findingsOf, service } from "../helpers";

const ID = "CHECK_IMAGE_REGISTRY";
const digest = `@sha256:${"d4".repeat(32)}`;

function withImage(image: string, ignoreImage = false) {
  const stack = checkedStack({ tier: "prod" });
  service(stack, "api", {
    template: { serviceAccount: SA, containers: [{ image }] },
    lifecycle: ignoreImage ? { ignoreChanges: ["template[0].containers[0].image"] } : undefined,
  });
  return findingsOf(stack, ID);
}

describe(ID, () => {
  test("a Docker Hub image is a warning advising an Artifact Registry remote repository", () => {
    const [f] = withImage(`nginx${digest}`);
    expect(f).toMatchObject({
      severity: "warning",
      prop: "template.containers[0].image",
      value: `nginx${digest}`,
    });
    expect(f.message).toContain("the image comes from Docker Hub");
    expect(f.message).toContain('remote: "docker-hub"');
  });

  test("docker.io written out is Docker Hub too", () => {
    expect(withImage(`docker.io/library/redis${digest}`)[0].message).toContain("Docker Hub");
  });

  test("a gcr.io image is a warning: Container Registry is shut down", () => {
    const [f] = withImage(`eu.gcr.io/acme/api${digest}`);
    expect(f.message).toContain("Container Registry (eu.gcr.io) is shut down");
  });

  test("another registry is a warning naming it", () => {
    const [f] = withImage(`ghcr.io/acme/api${digest}`);
    expect(f.message).toContain("Cloud Run cannot pull from ghcr.io");
  });

  test("an Artifact Registry image is compliant", () => {
    expect(withImage(`europe-west1-docker.pkg.dev/acme/apps/api${digest}`)).toEqual([]);
  });

  test("an image Terraform ignores is skipped", () => {
    expect(withImage(`nginx${digest}`, true)).toEqual([]);
  });
});
