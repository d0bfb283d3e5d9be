import * as fs from "fs";
import * as path from "path";
import { renderSchema } from "../../tools/schema";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The non-null branch of an optional key (`anyOf: [schema, { type: "null" }]`). */
function present(s: Json): Json {
  return s.anyOf ? s.anyOf.find((b: Json) => b.type !== "null") : s;
}

describe("environment JSON Schema", () => {
  const schema = JSON.parse(renderSchema());

  test("the checked-in environments/schema.json is current", () => {
    const file = path.join(__dirname, "..", "..", "environments", "schema.json");
    expect(fs.readFileSync(file, "utf8")).toBe(renderSchema());
  });

  test("requires project, region and tier and forbids unknown keys", () => {
    expect(schema.required).toEqual(["project", "region", "tier"]);
    expect(schema.additionalProperties).toBe(false);
  });

  test("lists the tiers as an enum", () => {
    expect(schema.properties.tier.enum).toEqual(["dev", "staging", "prod"]);
  });

  test("describes overrides per workload with known keys only", () => {
    const overrides = present(schema.properties.overrides).additionalProperties;
    expect(overrides.additionalProperties).toBe(false);
    expect(Object.keys(overrides.properties)).toEqual(
      expect.arrayContaining(["minInstances", "maxInstances", "tasks"]),
    );
  });

  test("an optional key may be written empty, as the validator accepts (state: ~)", () => {
    expect(schema.properties.state.anyOf).toContainEqual({ type: "null" });
    expect(schema.required).not.toContain("state");
  });

  test("a required key may not be empty", () => {
    expect(schema.properties.project.type).toBe("string");
    expect(schema.properties.project.anyOf).toBeUndefined();
  });

  test("describes the new per-workload keys: enabled, ingress, secrets versions, vpc", () => {
    const o = present(schema.properties.overrides).additionalProperties.properties;
    expect(present(o.ingress).enum).toEqual([
      "all",
      "internal",
      "internal-and-cloud-load-balancing",
    ]);
    expect(present(o.enabled).type).toBe("boolean");
    expect(present(o.secrets).propertyNames.pattern).toBe("^[A-Za-z_][A-Za-z0-9_]*$");
    expect(present(o.vpc).additionalProperties).toBe(false);
  });
});
