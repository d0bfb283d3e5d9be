/** Bad-input cases of Checks; bad-input.test.ts runs them. */
import { Checks, CloudRunService } from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "../helpers";
import { type Case, IMAGE } from "./cases";

export const checksCases: Case[] = [
  // --- checks ---
  {
    name: "Checks.suppress with a reason under 10 characters",
    build: () => {
      const stack = plainStack();
      Checks.apply(stack);
      const api = new CloudRunService(stack, "api", { image: IMAGE });
      Checks.suppress(api, "CHECK_INGRESS_ALL", "ok");
      synth(stack);
    },
    expect: { code: "CHECK_SUPPRESSION", prop: "reason for CHECK_INGRESS_ALL", value: '"ok"' },
  },
  {
    name: "Checks.suppress of a rule that does not exist",
    build: () => {
      const stack = plainStack();
      Checks.apply(stack);
      const api = new CloudRunService(stack, "api", { image: IMAGE });
      Checks.suppress(api, "CR_NO_SUCH_RULE", "reviewed by the platform team");
      synth(stack);
    },
    expect: { code: "CHECK_SUPPRESSION", prop: "ruleId", value: '"CR_NO_SUCH_RULE"' },
  },
];
