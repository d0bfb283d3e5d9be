import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { Checks, CloudRunService } from "@cdktf-cloud-run/constructs";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { env } from "../../helpers";
import { IMAGE } from "./helpers";

const section = fs.readFileSync(
  path.join(__dirname, "..", "..", "..", "docs", "checks.md"),
  "utf8",
);

describe("docs/checks.md", () => {
  test("the table lists every rule, and no rule that does not exist", () => {
    const listed = [...section.matchAll(/^\| `(CHECK_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...Checks.rules.map((r) => r.id), "CHECK_SUPPRESSION"].sort());
  });

  test("the suppression example silences the finding and reports the reason", () => {
    const stack = new EnvironmentStack(Testing.app(), env(), { catalog: false });
    const image = IMAGE;
    // The example from docs/checks.md, with `this` being the stack.
    const partnerApi = new CloudRunService(stack, "partner-api", { image });
    Checks.suppress(
      partnerApi,
      "CHECK_INGRESS_ALL",
      "Partners call it from their own clouds with IAM-authenticated requests.",
    );
    expect(Checks.findings(stack).filter((f) => f.ruleId === "CHECK_INGRESS_ALL")).toEqual([]);
    expect(Checks.report(stack).suppressions).toEqual([
      expect.objectContaining({
        path: "test/partner-api",
        ruleId: "CHECK_INGRESS_ALL",
        suppressed: 1,
      }),
    ]);
  });
});
