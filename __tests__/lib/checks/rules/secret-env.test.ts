import { SA, IMAGE, checkedStack, findingsOf, job, service } from "../helpers";

const ID = "CR_SECRET_ENV";

function withEnv(env: Array<{ name: string; value: string }>) {
  const stack = checkedStack();
  service(stack, "api", { template: { serviceAccount: SA, containers: [{ image: IMAGE, env }] } });
  return findingsOf(stack, ID);
}

describe(ID, () => {
  test("a literal DB_PASSWORD is an error that names the variable and hides the value", () => {
    const [f] = withEnv([{ name: "DB_PASSWORD", value: "hunter22" }]);
    expect(f).toMatchObject({
      severity: "error",
      path: "test/api",
      prop: "template.containers[0].env.DB_PASSWORD",
      value: "<redacted, 8 characters>",
    });
    expect(f.message).not.toContain("hunter22");
    expect(f.message).toContain("DB_PASSWORD looks like a secret");
    expect(f.message).toContain('secrets: { DB_PASSWORD: { secret: "…" } }');
  });

  test.each([
    "STRIPE_API_KEY",
    "GITHUB_TOKEN",
    "CLIENT_SECRET",
    "SIGNING_KEY",
    "PASSWORD",
    "APIKEY",
  ])("%s with a literal value is an error", (name) => {
    expect(withEnv([{ name, value: "s3cr3t-value" }])).toHaveLength(1);
  });

  test("a value shaped like a credential is an error whatever the name", () => {
    const [f] = withEnv([{ name: "DATABASE_URL", value: "postgres://app:pa55w0rd@10.0.0.3/app" }]);
    expect(f.message).toContain("the value of DATABASE_URL looks like a URL with a password");
  });

  test("a secret in a job's sidecar is found with its container path", () => {
    const stack = checkedStack();
    job(stack, "report", {
      template: {
        template: {
          serviceAccount: SA,
          containers: [
            { image: IMAGE },
            { image: IMAGE, env: [{ name: "AUTH_TOKEN", value: "abcdef123456" }] },
          ],
        },
      },
    });
    expect(findingsOf(stack, ID).map((f) => f.prop)).toEqual([
      "template.template.containers[1].env.AUTH_TOKEN",
    ]);
  });

  test("ordinary names, public keys, key resource names and empty values are compliant", () => {
    expect(
      withEnv([
        { name: "LOG_LEVEL", value: "info" },
        { name: "TOKEN_URL", value: "https://oauth2.googleapis.com/token" },
        { name: "JWT_PUBLIC_KEY", value: "MIIBIjANBgkqh" },
        { name: "KMS_KEY", value: "projects/p/locations/l/keyRings/r/cryptoKeys/k" },
        { name: "DB_PASSWORD", value: "" },
      ]),
    ).toEqual([]);
  });

  test("a secret read from Secret Manager is compliant", () => {
    const stack = checkedStack();
    service(stack, "api", {
      template: {
        serviceAccount: SA,
        containers: [
          {
            image: IMAGE,
            env: [
              {
                name: "DB_PASSWORD",
                valueSource: { secretKeyRef: { secret: "db-pass", version: "3" } },
              },
            ],
          },
        ],
      },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
