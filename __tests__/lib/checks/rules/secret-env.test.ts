import { SA, IMAGE, checkedStack, findingsOf, job, service } from "../helpers";

const ID = "CHECK_SECRET_ENV";

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

function container(c: Record<string, unknown>) {
  const stack = checkedStack();
  service(stack, "api", { template: { serviceAccount: SA, containers: [{ image: IMAGE, ...c }] } });
  return findingsOf(stack, ID);
}

describe(`${ID}: names and shapes beyond *_PASSWORD (issue 14)`, () => {
  test.each(["PGPASSWORD", "MYSQL_PWD", "DB_PASS", "SECRET_KEY_BASE", "REDIS_PASSWD"])(
    "%s with a literal value is an error",
    (name) => {
      expect(withEnv([{ name, value: "s3cr3t-value" }]).map((f) => f.prop)).toEqual([
        `template.containers[0].env.${name}`,
      ]);
    },
  );

  test.each([
    [
      "a URL with a password and no user",
      "REDIS_URL",
      "redis://:pa55w0rd@10.0.0.4:6379/0",
      "a URL with a password",
    ],
    [
      "a URL with a password inside a longer value",
      "DSN",
      "host=x url=mysql://app:pw123@db/app",
      "a URL with a password",
    ],
    [
      "a Slack webhook",
      "ALERTS",
      "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
      "a Slack webhook URL",
    ],
    [
      "a Slack app token",
      "SLACK",
      "xapp-1-A0000000000-0000000000000-abcdef0123456789",
      "a Slack token",
    ],
  ])("%s is an error whatever the name", (_what, name, value, shape) => {
    const [f] = withEnv([{ name, value }]);
    expect(f.message).toContain(`looks like ${shape}`);
    expect(f.message).not.toContain(value);
  });

  test.each([
    ["PWD", "/app"],
    ["OLDPWD", "/"],
    ["PASSWORD_MIN_LENGTH", "12"],
    ["REQUIRE_PASSWORD", "true"],
    ["DB_PASSWORD", "$(DB_PASSWORD)"],
    ["DB_PASSWORD", "${DB_PASSWORD}"],
    ["DB_PASSWORD_FILE", "/secrets/db/password"],
    ["DB_PASSWORD", "/secrets/db/password"],
    ["STRIPE_PUBLISHABLE_KEY", "pk_live_abc123"],
    ["BYPASS", "yes-please"],
    ["DATABASE_URL", "postgres://app@10.0.0.3/app"],
    ["DATABASE_URL", "postgres://app:${DB_PASS}@10.0.0.3/app"],
    ["WEBHOOK", "https://example.com/hooks/slack"],
    ["HOMEPAGE", "https://user@example.com/"],
  ])("%s=%s is compliant", (name, value) => {
    expect(withEnv([{ name, value }])).toEqual([]);
  });
});

describe(`${ID}: secrets on the command line and in probe headers (issue 14)`, () => {
  test("--password=… in args is an error naming the argument, without the value", () => {
    const [f] = container({ args: ["serve", "--db-password=hunter22"] });
    expect(f.prop).toBe("template.containers[0].args[1]");
    expect(f.message).toContain("passes --db-password a literal value");
    expect(f.message).not.toContain("hunter22");
  });

  test("a secret flag followed by its value is an error on the value", () => {
    const [f] = container({ args: ["--token", "abc123def456"] });
    expect(f.prop).toBe("template.containers[0].args[1]");
    expect(f.message).toContain("is the value of --token");
  });

  test("a URL with a password in command (sh -c) is an error", () => {
    const [f] = container({
      command: ["sh", "-c", "psql postgres://app:pw1234@db/app -c 'select 1'"],
    });
    expect(f.prop).toBe("template.containers[0].command[2]");
    expect(f.message).toContain("looks like a URL with a password");
  });

  test("an Authorization header on a probe is an error", () => {
    const [f] = container({
      livenessProbe: {
        httpGet: { path: "/h", httpHeaders: [{ name: "Authorization", value: "Bearer abc.def" }] },
      },
    });
    expect(f.prop).toBe(
      "template.containers[0].liveness_probe.http_get.http_headers.Authorization",
    );
    expect(f.message).not.toContain("abc.def");
  });

  test("a credential-shaped value in any probe header is an error", () => {
    const [f] = container({
      startupProbe: {
        httpGet: { httpHeaders: [{ name: "X-Info", value: "AIza" + "A".repeat(35) }] },
      },
    });
    expect(f.message).toContain("looks like a Google API key");
  });

  test("ordinary args, flags with placeholders or files, and plain headers are compliant", () => {
    expect(
      container({
        command: ["/bin/server"],
        args: [
          "--port=8080",
          "--password-file=/secrets/db",
          "--password",
          "$(DB_PASSWORD)",
          "--token=${TOKEN}",
          "--api-key",
          "/run/secrets/key",
          "--secret",
          "--verbose",
          "--log-level=debug",
          "https://example.com/path",
        ],
        startupProbe: {
          httpGet: {
            httpHeaders: [
              { name: "X-Probe", value: "startup" },
              { name: "Accept", value: "*/*" },
            ],
          },
        },
      }),
    ).toEqual([]);
  });
});
