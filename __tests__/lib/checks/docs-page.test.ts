/** docs/checks.md: the generated rule table is current, the hand-written parts name real rules. */
import * as fs from "fs";
import { Testing } from "cdktf";
import { Checks, CloudRunService } from "@cdktf-cloud-run/constructs";
import type { Rule } from "@cdktf-cloud-run/constructs";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { PAGE, START, END, renderRuleTable, replaceRuleTable } from "../../../tools/docs-checks";
import { env } from "../../helpers";
import { IMAGE } from "./helpers";

const page = fs.readFileSync(PAGE, "utf8");

describe("docs/checks.md", () => {
  test("the rule table is the one npm run docs:checks writes from Checks.rules (run it when this fails)", () => {
    expect(page).toBe(replaceRuleTable(page, renderRuleTable(Checks.rules)));
  });

  test("the generated table has one row per rule of the pack, in its order", () => {
    const section = page.slice(page.indexOf(START), page.indexOf(END));
    const listed = [...section.matchAll(/^\| `(CHECK_[A-Z_]+)` \| (error|warning) \|/gm)];
    expect(listed.map((m) => m[1])).toEqual(Checks.rules.map((r) => r.id));
    expect(listed.map((m) => m[2])).toEqual(Checks.rules.map((r) => r.severity));
  });

  test("the hand-written severity table names every rule, the suppression finding, and no other", () => {
    const rest = page.slice(page.indexOf(END));
    const listed = [...rest.matchAll(/^\| `(CHECK_[A-Z_]+)` \|/gm)].map((m) => m[1]);
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

describe("tools/docs-checks.ts", () => {
  const rule = (id: string, explanation: string): Rule =>
    ({ id, severity: "warning", explanation, fix: "Do it\nright" }) as unknown as Rule;

  test("renders one row per rule, cells on one line with pipes escaped", () => {
    expect(renderRuleTable([rule("CHECK_A", "a | b")])).toBe(
      [
        "| Rule | Severity | Why | Fix |",
        "| --- | --- | --- | --- |",
        "| `CHECK_A` | warning | a \\| b | Do it right |",
      ].join("\n"),
    );
  });

  test("replaces only the text between the markers", () => {
    const before = `# T\n\n${START}\nold\n${END}\n\nafter\n`;
    expect(replaceRuleTable(before, "NEW")).toBe(`# T\n\n${START}\n\nNEW\n\n${END}\n\nafter\n`);
  });

  test("a page without the markers is an error naming them", () => {
    expect(() => replaceRuleTable("# T\n", "NEW")).toThrow(/rules:start/);
  });
});
