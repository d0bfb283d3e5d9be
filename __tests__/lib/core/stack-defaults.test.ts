/**
 * StackDefaults: the public way to set a stack's defaults outside EnvironmentStack, read by the
 * constructs (deletion protection by tier, project, region) and by Checks (the tier of the rules).
 */
import { Testing, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { Checks, CloudRunService, ConfigError, StackDefaults } from "@cdktf-cloud-run/constructs";
import { only, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"0123456789abcdef".repeat(4)}`;

function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "prod");
  new GoogleProvider(stack, "google", { project: "acme-prod", region: "us-central1" });
  return stack;
}

describe("StackDefaults", () => {
  test("tier prod in a plain stack: Checks.apply passes on deletion protection the user never wrote", () => {
    const stack = bareStack();
    StackDefaults.set(stack, { tier: "prod" });
    new CloudRunService(stack, "api", { image: IMAGE });
    Checks.apply(stack);
    const service = only(synth(stack), "google_cloud_run_v2_service");
    expect(service.deletion_protection).toBe(true);
  });

  test("without it, Checks.apply with tier prod finds the deletion protection off", () => {
    const stack = bareStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    Checks.apply(stack, { tier: "prod" });
    expect(() => synth(stack)).toThrow(/CHECK_DELETION_PROTECTION/);
  });

  test("Checks reads the tier set through it", () => {
    const stack = bareStack();
    StackDefaults.set(stack, { tier: "prod" });
    new CloudRunService(stack, "api", { image: IMAGE, deletionProtection: false });
    Checks.apply(stack);
    expect(() => synth(stack)).toThrow(/CHECK_DELETION_PROTECTION/);
  });

  test("of() returns what was set, project and region from the Google provider otherwise", () => {
    const stack = bareStack();
    StackDefaults.set(stack, { tier: "staging", allowPublic: true, region: "europe-west1" });
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    expect(StackDefaults.of(api)).toEqual({
      tier: "staging",
      allowPublic: true,
      project: "acme-prod",
      region: "europe-west1",
    });
    expect(only(synth(stack), "google_cloud_run_v2_service").location).toBe("europe-west1");
  });

  test("an unknown tier is refused, naming the allowed ones", () => {
    const stack = bareStack();
    const set = () => StackDefaults.set(stack, { tier: "production" as never });
    expect(set).toThrow(ConfigError);
    expect(set).toThrow(
      'CR_STACK_DEFAULTS_TIER: [prod] tier is "production"; the tiers are dev, staging, prod. Set tier to one of them.',
    );
  });
});
