/**
 * The stack's Google provider is found by what it is (a TerraformProvider of type "google"
 * without alias), not by `instanceof GoogleProvider`: an app that loads a second copy of
 * @cdktf/provider-google (a path dependency with its own node_modules) has another class.
 */
import { Construct } from "constructs";
import { Testing, TerraformProvider, TerraformStack } from "cdktf";
import { CloudRunService } from "@cdktf-cloud-run/constructs";
import { only, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"0123456789abcdef".repeat(4)}`;

/** Stands in for GoogleProvider from another copy of the package: same type, other class. */
class OtherCopyGoogleProvider extends TerraformProvider {
  private providerAlias: string | undefined;

  constructor(
    scope: Construct,
    id: string,
    readonly project: string,
    readonly region: string,
    alias?: string,
  ) {
    super(scope, id, {
      terraformResourceType: "google",
      terraformGeneratorMetadata: { providerName: "google" },
      terraformProviderSource: "hashicorp/google",
    });
    this.providerAlias = alias;
  }

  get alias(): string | undefined {
    return this.providerAlias;
  }

  set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return { project: this.project, region: this.region, alias: this.alias };
  }
}

function stackWith(...providers: Array<[string, string, string?]>): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "test");
  providers.forEach(
    ([project, region, alias], i) =>
      new OtherCopyGoogleProvider(stack, `google${i}`, project, region, alias),
  );
  return stack;
}

describe("the Google provider lookup", () => {
  test("reads project and region from a google provider of another class", () => {
    const stack = stackWith(["acme-other", "europe-west1"]);
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    const service = only(synth(stack), "google_cloud_run_v2_service");
    expect(service.location).toBe("europe-west1");
    expect(api.project).toBe("acme-other");
  });

  test("skips an aliased google provider and uses the default one", () => {
    const stack = stackWith(["acme-eu", "europe-west1", "eu"], ["acme-us", "us-east1"]);
    const api = new CloudRunService(stack, "api", { image: IMAGE });
    const service = only(synth(stack), "google_cloud_run_v2_service");
    expect(service.location).toBe("us-east1");
    expect(api.project).toBe("acme-us");
  });

  test("with only an aliased google provider the region is required", () => {
    const stack = stackWith(["acme-eu", "europe-west1", "eu"]);
    expect(() => new CloudRunService(stack, "api", { image: IMAGE })).toThrow(
      /CR_REGION_REQUIRED: \[test\/api\] region is not set/,
    );
  });
});
