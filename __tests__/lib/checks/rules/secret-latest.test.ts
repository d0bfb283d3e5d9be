import { SA, IMAGE, checkedStack, findingsOf, service } from "../helpers";
import type { Tier } from "../../../../lib/core/context";

const ID = "CHECK_SECRET_LATEST";

function withSecretVersion(tier: Tier, version: string) {
  const stack = checkedStack({ tier });
  service(stack, "api", {
    template: {
      serviceAccount: SA,
      containers: [
        {
          image: IMAGE,
          env: [
            { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-pass", version } } },
          ],
        },
      ],
      volumes: [
        { name: "certs", secret: { secret: "tls", items: [{ path: "cert.pem", version }] } },
      ],
    },
  });
  return findingsOf(stack, ID);
}

describe(ID, () => {
  test("version latest in a prod-tier environment is a warning, for env vars and volume items", () => {
    const found = withSecretVersion("prod", "latest");
    expect(found.map((f) => [f.severity, f.prop, f.value])).toEqual([
      ["warning", "template.containers[0].env[0].value_source.secret_key_ref.version", "latest"],
      ["warning", "template.volumes[0].secret.items[0].version", "latest"],
    ]);
    expect(found[0].message).toContain('Pin a version number, e.g. version: "3"');
  });

  test("a pinned version is compliant in prod", () => {
    expect(withSecretVersion("prod", "7")).toEqual([]);
  });

  test("version latest is compliant outside prod", () => {
    expect(withSecretVersion("staging", "latest")).toEqual([]);
  });
});
