import { Construct } from "constructs";
import { Testing, TerraformStack } from "cdktf";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { Checks, MIN_REASON_LENGTH } from "../../../lib/checks";
import { Checks as ChecksFromIndex } from "@cdktf-cloud-run/constructs";
import { EnvironmentStack } from "../../../stacks/environment-stack";
import { env, plainStack } from "../../helpers";
import { IMAGE, checkedStack, findingsOf, job, service, workerPool } from "./helpers";

/** Captures what the checks print to stderr during `fn`. */
function stderrOf(fn: () => void): string {
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    fn();
    return spy.mock.calls.map((c) => String(c[0])).join("");
  } finally {
    spy.mockRestore();
  }
}

/** The error `Testing.synth` throws with validations on, or undefined. */
function synthError(stack: TerraformStack): string | undefined {
  try {
    stderrOf(() => Testing.synth(stack, true));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Two error findings on two resources: a public service and an API disabled on destroy. */
function stackWithTwoErrors(): TerraformStack {
  const stack = checkedStack({ allowPublic: false });
  const api = service(stack, "api");
  new CloudRunV2ServiceIamMember(stack, "public", {
    name: api.name,
    location: api.location,
    role: "roles/run.invoker",
    member: "allUsers",
  });
  new ProjectService(stack, "pubsub", { service: "pubsub.googleapis.com" });
  return stack;
}

/** One warning: a Docker Hub image (by digest, so no digest finding). */
function stackWithOneWarning(): TerraformStack {
  const stack = checkedStack({ tier: "dev" });
  service(stack, "web", {
    template: {
      serviceAccount: "web@acme-test.iam.gserviceaccount.com",
      containers: [{ image: `nginx@sha256:${"b2".repeat(32)}` }],
    },
  });
  return stack;
}

describe("Checks", () => {
  test("is exported from lib/index.ts", () => {
    expect(ChecksFromIndex).toBe(Checks);
  });

  test("every rule has a unique id, a severity, an explanation and a fix", () => {
    const ids = Checks.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of Checks.rules) {
      // Rule ids have their own prefix, distinct from the constructs' error codes (CR_).
      expect(rule.id).toMatch(/^CHECK_[A-Z_]+$/);
      expect(["error", "warning"]).toContain(rule.severity);
      expect(rule.explanation.length).toBeGreaterThan(40);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });

  test("compliant services, jobs and worker pools have no findings in prod", () => {
    const stack = checkedStack({ tier: "prod", allowPublic: false });
    service(stack, "api");
    job(stack, "report");
    workerPool(stack, "worker");
    expect(Checks.findings(stack)).toEqual([]);
    expect(synthError(stack)).toBeUndefined();
  });

  test("errors fail synth with one message listing every finding as [path] RULE_ID: message", () => {
    const message = synthError(stackWithTwoErrors())!;
    expect(message).toMatch(/^Validation failed with the following errors/);
    expect(message).toContain(
      '[test/public] CHECK_PUBLIC_SERVICE: member is "allUsers"; the environment does not allow unauthenticated calls',
    );
    expect(message).toContain(
      "[test/pubsub] CHECK_API_DISABLE_ON_DESTROY: disable_on_destroy is not set; destroying this stack would switch pubsub.googleapis.com off",
    );
  });

  test("errors fail a full App synth, the path main.ts takes", () => {
    const stack = stackWithTwoErrors();
    const app = stack.node.root as unknown as { synth(): void };
    let error: Error | undefined;
    stderrOf(() => {
      try {
        app.synth();
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toMatch(/^Validation failed with the following errors/);
    expect(error?.message).toContain("CHECK_PUBLIC_SERVICE");
    expect(error?.message).toContain("CHECK_API_DISABLE_ON_DESTROY");
  });

  test("a second synth lists each error once", () => {
    const stack = stackWithTwoErrors();
    synthError(stack);
    const message = synthError(stack)!;
    expect(message.match(/CHECK_PUBLIC_SERVICE/g)).toHaveLength(1);
  });

  test("the findings are available programmatically, with path, address, prop and value", () => {
    const [finding] = findingsOf(stackWithTwoErrors(), "CHECK_PUBLIC_SERVICE");
    expect(finding).toMatchObject({
      ruleId: "CHECK_PUBLIC_SERVICE",
      severity: "error",
      path: "test/public",
      address: "google_cloud_run_v2_service_iam_member.public",
      prop: "member",
      value: "allUsers",
    });
    expect(Checks.format(finding)).toMatch(
      /^\[test\/public\] CHECK_PUBLIC_SERVICE: member is "allUsers"; /,
    );
  });

  test("warnings do not fail synth", () => {
    expect(synthError(stackWithOneWarning())).toBeUndefined();
  });

  test("warnings print to stderr once per finding", () => {
    const stack = stackWithOneWarning();
    Checks.apply(stack, { printReport: true });
    const out = stderrOf(() => Testing.synth(stack, true));
    expect(out).toContain("Checks of stack test: 1 warning, 0 suppressed findings");
    expect(out.match(/warning \[test\/web\] CHECK_IMAGE_REGISTRY: /g)).toHaveLength(1);
  });

  test("a stack with nothing to report prints nothing", () => {
    const stack = checkedStack();
    Checks.apply(stack, { printReport: true });
    service(stack, "api");
    expect(stderrOf(() => Testing.synth(stack, true))).toBe("");
  });

  test("warningsAsErrors makes warnings fail synth", () => {
    const stack = stackWithOneWarning();
    Checks.apply(stack, { warningsAsErrors: true });
    expect(synthError(stack)).toContain("[test/web] CHECK_IMAGE_REGISTRY: ");
  });

  test("options given to apply override the environment's tier and allowPublic", () => {
    const stack = stackWithTwoErrors();
    Checks.apply(stack, { allowPublic: true });
    expect(findingsOf(stack, "CHECK_PUBLIC_SERVICE")).toEqual([]);
  });

  test("a plain stack without an environment treats services as not allowed to be public", () => {
    const stack = plainStack();
    Checks.apply(stack);
    const api = service(stack, "api");
    api.invokerIamDisabled = true;
    expect(findingsOf(stack, "CHECK_PUBLIC_SERVICE")).toHaveLength(1);
  });

  test("EnvironmentStack applies the checks", () => {
    const stack = new EnvironmentStack(
      Testing.app(),
      env("project: acme-test\nregion: us-central1\ntier: dev\nallowPublic: false\n"),
      { catalog: false },
    );
    service(stack, "api", { invokerIamDisabled: true });
    expect(synthError(stack)).toContain("CHECK_PUBLIC_SERVICE: invoker_iam_disabled is true");
  });

  test("EnvironmentStack passes its tier to the rules", () => {
    const stack = new EnvironmentStack(
      Testing.app(),
      env(
        "project: acme-test\nregion: us-central1\ntier: prod\nstate: { bucket: acme-tfstate, prefix: run/prod }\n",
      ),
      { catalog: false },
    );
    service(stack, "api", { deletionProtection: false });
    expect(findingsOf(stack, "CHECK_DELETION_PROTECTION")[0].severity).toBe("error");
  });
});

describe("Checks.suppress", () => {
  const reason = "Partners call it over the internet with IAM tokens.";

  function privateServiceWithIngressAll(): { stack: TerraformStack; group: Construct } {
    const stack = checkedStack();
    const group = new Construct(stack, "group");
    service(group, "api", { ingress: "INGRESS_TRAFFIC_ALL" });
    return { stack, group };
  }

  test("silences the rule on the construct, with its reason in the report", () => {
    const stack = stackWithTwoErrors();
    Checks.suppress(stack.node.findChild("pubsub"), "CHECK_API_DISABLE_ON_DESTROY", reason);
    expect(findingsOf(stack, "CHECK_API_DISABLE_ON_DESTROY")).toEqual([]);
    expect(Checks.report(stack).suppressed).toEqual([
      expect.objectContaining({
        ruleId: "CHECK_API_DISABLE_ON_DESTROY",
        path: "test/pubsub",
        suppressedBy: { path: "test/pubsub", reason },
      }),
    ]);
  });

  test("applies to the construct's children", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CHECK_INGRESS_ALL", reason);
    expect(findingsOf(stack, "CHECK_INGRESS_ALL")).toEqual([]);
    expect(Checks.report(stack).suppressions).toEqual([
      { path: "test/group", ruleId: "CHECK_INGRESS_ALL", reason, valid: true, suppressed: 1 },
    ]);
  });

  test("silences only the named rule", () => {
    const stack = stackWithTwoErrors();
    Checks.suppress(stack, "CHECK_API_DISABLE_ON_DESTROY", reason);
    expect(findingsOf(stack, "CHECK_PUBLIC_SERVICE")).toHaveLength(1);
  });

  test("a suppressed error no longer fails synth", () => {
    const stack = stackWithTwoErrors();
    Checks.suppress(stack, "CHECK_API_DISABLE_ON_DESTROY", reason);
    Checks.suppress(stack, "CHECK_PUBLIC_SERVICE", reason);
    expect(synthError(stack)).toBeUndefined();
  });

  test(`a reason under ${MIN_REASON_LENGTH} characters is an error and suppresses nothing`, () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CHECK_INGRESS_ALL", "legacy");
    expect(findingsOf(stack, "CHECK_INGRESS_ALL")).toHaveLength(1);
    expect(synthError(stack)).toContain(
      '[test/group] CHECK_SUPPRESSION: reason for CHECK_INGRESS_ALL is "legacy"; a suppression needs a reason of at least 10 characters',
    );
  });

  test("an unknown rule id is an error naming the id", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CR_NO_SUCH_RULE", reason);
    expect(synthError(stack)).toContain(
      '[test/group] CHECK_SUPPRESSION: ruleId is "CR_NO_SUCH_RULE"; no check rule has this id',
    );
  });

  test("a rule id from before the CHECK_ prefix names the rule it is now", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CR_INGRESS_ALL", reason);
    expect(findingsOf(stack, "CHECK_INGRESS_ALL")).toHaveLength(1);
    expect(synthError(stack)).toContain(
      '[test/group] CHECK_SUPPRESSION: ruleId is "CR_INGRESS_ALL"; check rule ids start with CHECK_ (CR_ is for construct errors); this rule is CHECK_INGRESS_ALL. Suppress CHECK_INGRESS_ALL',
    );
  });

  test("a bad suppression on the stack itself fails synth too", () => {
    const stack = checkedStack();
    Checks.suppress(stack, "CHECK_INGRESS_ALL", "n/a");
    expect(synthError(stack)).toContain('CHECK_SUPPRESSION: reason for CHECK_INGRESS_ALL is "n/a"');
  });

  test("suppressions are listed in the synth output", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CHECK_INGRESS_ALL", reason);
    Checks.apply(stack, { printReport: true });
    const out = stderrOf(() => Testing.synth(stack, true));
    expect(out).toContain(`suppressed CHECK_INGRESS_ALL on [test/group] (1 finding): ${reason}`);
  });

  test("suppressions are written to the stack's metadata in cdk.tf.json", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CHECK_INGRESS_ALL", reason);
    const tf = stack.toTerraform() as { "//": { checks: unknown } };
    expect(tf["//"].checks).toEqual({
      suppressions: [
        { path: "test/group", ruleId: "CHECK_INGRESS_ALL", reason, valid: true, suppressed: 1 },
      ],
    });
  });

  test("suppressing the same rule twice on a construct keeps the last reason", () => {
    const { stack, group } = privateServiceWithIngressAll();
    Checks.suppress(group, "CHECK_INGRESS_ALL", "first reason, long enough");
    Checks.suppress(group, "CHECK_INGRESS_ALL", reason);
    expect(Checks.report(stack).suppressions.map((s) => s.reason)).toEqual([reason]);
  });
});

describe("resolved configuration", () => {
  test("rules see overrides written with addOverride", () => {
    const stack = checkedStack({ tier: "prod" });
    const api = service(stack, "api");
    api.addOverride("deletion_protection", false);
    expect(findingsOf(stack, "CHECK_DELETION_PROTECTION")).toHaveLength(1);
  });

  test("values only known at apply time are skipped", () => {
    const stack = checkedStack({ tier: "prod" });
    const other = service(stack, "other");
    service(stack, "api", {
      template: {
        serviceAccount: other.template.serviceAccount,
        containers: [{ image: other.uri }],
      },
    });
    expect(Checks.findings(stack)).toEqual([]);
  });

  test("IMAGE fixture is a digest reference in Artifact Registry", () => {
    expect(IMAGE).toMatch(/-docker\.pkg\.dev\/.+@sha256:[a-f0-9]{64}$/);
  });
});
