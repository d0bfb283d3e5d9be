import * as path from "path";
import { TerraformResource, Testing } from "cdktf";
import { Checks } from "../../../lib/checks";
import { loadEnvironments } from "../../../stacks/environment";
import { EnvironmentStack } from "../../../stacks/environment-stack";

const ROOT = path.join(__dirname, "..", "..", "..");
const stacks = loadEnvironments(path.join(ROOT, "environments")).map(
  (env) => new EnvironmentStack(Testing.app(), env),
);

describe("the shipped environments", () => {
  test.each(stacks.map((s) => [s.environment.name, s] as const))(
    "%s has no error findings",
    (_name, stack) => {
      expect(Checks.report(stack).errors.map(Checks.format)).toEqual([]);
    },
  );

  test("prod has no warning that is not suppressed with a reason", () => {
    const prod = stacks.filter((s) => s.environment.tier === "prod");
    expect(prod.length).toBeGreaterThan(0);
    for (const stack of prod) {
      expect(Checks.report(stack).warnings.map(Checks.format)).toEqual([]);
      expect(Checks.report(stack).suppressions.filter((s) => !s.valid)).toEqual([]);
    }
  });

  test("the catalog's workloads are among the checked resources", () => {
    const prod = stacks.find((s) => s.environment.tier === "prod")!;
    const workloads = prod.node
      .findAll()
      .filter(
        (c) =>
          TerraformResource.isTerraformResource(c) &&
          /^google_cloud_run_v2_(service|job|worker_pool)$/.test(c.terraformResourceType),
      );
    expect(workloads.length).toBeGreaterThan(0);
  });
});
