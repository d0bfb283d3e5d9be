import { SA, checkedStack, findingsOf, job, service } from "../helpers";

const ID = "CHECK_IMAGE_DIGEST";
const TAGGED = "us-docker.pkg.dev/acme-ci/apps/api:1.4.2";

describe(ID, () => {
  test("an image by tag is an error in a prod-tier environment", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", { template: { serviceAccount: SA, containers: [{ image: TAGGED }] } });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "error",
      path: "test/api",
      prop: "template.containers[0].image",
      value: TAGGED,
    });
    expect(f.message).toContain(
      `CHECK_IMAGE_DIGEST: template.containers[0].image is "${TAGGED}"; the image has tag :1.4.2 and no digest`,
    );
    expect(f.message).toContain("us-docker.pkg.dev/acme-ci/apps/api@sha256:…");
  });

  test("an image by tag is a warning outside prod", () => {
    const stack = checkedStack({ tier: "staging" });
    service(stack, "api", { template: { serviceAccount: SA, containers: [{ image: TAGGED }] } });
    expect(findingsOf(stack, ID)).toEqual([expect.objectContaining({ severity: "warning" })]);
  });

  test("an image without tag or digest is found (:latest is implied)", () => {
    const stack = checkedStack({ tier: "dev" });
    job(stack, "report", {
      template: {
        template: { serviceAccount: SA, containers: [{ image: "us-docker.pkg.dev/a/b/report" }] },
      },
    });
    const [f] = findingsOf(stack, ID);
    expect(f.prop).toBe("template.template.containers[0].image");
    expect(f.message).toContain("no tag (:latest is implied)");
  });

  test("a sidecar by tag is found with its index", () => {
    const stack = checkedStack({ tier: "prod" });
    const main = `us-docker.pkg.dev/a/b/api@sha256:${"c3".repeat(32)}`;
    service(stack, "api", {
      template: { serviceAccount: SA, containers: [{ image: main }, { image: TAGGED }] },
    });
    expect(findingsOf(stack, ID).map((f) => f.prop)).toEqual(["template.containers[1].image"]);
  });

  test("an image by digest is compliant", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api");
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("an image Terraform ignores (imageManagedBy external) is skipped", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", {
      template: { serviceAccount: SA, containers: [{ image: TAGGED }] },
      lifecycle: { ignoreChanges: ["client", "template[0].containers[0].image"] },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("ignoring the whole template covers the image too", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", {
      template: { serviceAccount: SA, containers: [{ image: TAGGED }] },
      lifecycle: { ignoreChanges: ["template"] },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("ignoring another container's image does not cover this one", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", {
      template: { serviceAccount: SA, containers: [{ image: TAGGED }] },
      lifecycle: { ignoreChanges: ["template[0].containers[1].image"] },
    });
    expect(findingsOf(stack, ID)).toHaveLength(1);
  });

  test("the image of a service built from source is skipped", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", {
      template: { serviceAccount: SA, containers: [{ image: TAGGED }] },
      buildConfig: { sourceLocation: "gs://acme-src/api.zip", imageUri: TAGGED },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
