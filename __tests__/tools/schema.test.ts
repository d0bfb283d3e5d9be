import * as fs from "fs";
import * as path from "path";
import { renderSchema } from "../../tools/schema";

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
    const overrides = schema.properties.overrides.additionalProperties;
    expect(overrides.additionalProperties).toBe(false);
    expect(Object.keys(overrides.properties)).toEqual(
      expect.arrayContaining(["minInstances", "maxInstances", "tasks"]),
    );
  });
});
