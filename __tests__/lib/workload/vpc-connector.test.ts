/** Serverless VPC Access connectors (`vpc.connector`, `--vpc-connector`) next to Direct VPC egress. */
import {
  CloudRunJob,
  CloudRunJobProps,
  CloudRunService,
  CloudRunServiceProps,
  VpcEgress,
  WorkerPool,
} from "@cdktf-cloud-run/constructs";
import { Testing, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { only, plainStack, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function service(props: Partial<CloudRunServiceProps>): Json {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_service");
}

function job(props: Partial<CloudRunJobProps>): Json {
  const stack = plainStack();
  new CloudRunJob(stack, "report", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_job");
}

describe("vpc.connector: the mapping", () => {
  test("a bare connector name is expanded in the workload's project and region", () => {
    expect(service({ vpc: { connector: "run-egress" } }).template.vpc_access).toEqual({
      connector: "projects/acme-test/locations/us-central1/connectors/run-egress",
      egress: "PRIVATE_RANGES_ONLY",
    });
  });

  test("the expansion uses the workload's own project and region", () => {
    const s = service({
      project: "acme-net",
      region: "europe-west1",
      vpc: { connector: "run-egress" },
    });
    expect(s.template.vpc_access.connector).toBe(
      "projects/acme-net/locations/europe-west1/connectors/run-egress",
    );
  });

  test("a full connector name (e.g. a Shared VPC host project) is passed through", () => {
    const connector = "projects/acme-host/locations/us-central1/connectors/shared";
    expect(service({ vpc: { connector } }).template.vpc_access.connector).toBe(connector);
  });

  test("egress all-traffic is written as ALL_TRAFFIC, without network interfaces", () => {
    const access = service({ vpc: { connector: "run-egress", egress: "all-traffic" } }).template
      .vpc_access;
    expect(access.egress).toBe("ALL_TRAFFIC");
    expect(access).not.toHaveProperty("network_interfaces");
  });

  test("a job writes the connector in template.template.vpc_access", () => {
    expect(job({ vpc: { connector: "run-egress" } }).template.template.vpc_access).toEqual({
      connector: "projects/acme-test/locations/us-central1/connectors/run-egress",
      egress: "PRIVATE_RANGES_ONLY",
    });
  });

  test("Direct VPC egress is unchanged: one network interface, no connector", () => {
    expect(service({ vpc: { network: "default", tags: ["web"] } }).template.vpc_access).toEqual({
      egress: "PRIVATE_RANGES_ONLY",
      network_interfaces: [{ network: "default", tags: ["web"] }],
    });
  });

  test("with the provider's project only, a bare name uses the google_project data source", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new GoogleProvider(stack, "google", { region: "us-central1" });
    new CloudRunService(stack, "api", { image: IMAGE, vpc: { connector: "run-egress" } });
    const json = synth(stack);
    expect(
      (only(json, "google_cloud_run_v2_service") as Json).template.vpc_access.connector,
    ).toMatch(
      /^projects\/\$\{data\.google_project\.[\w-]+\.project_id\}\/locations\/us-central1\/connectors\/run-egress$/,
    );
  });
});

describe("vpc.connector: errors", () => {
  test("a connector and a network together are CR_VPC naming both props", () => {
    expect(() => service({ vpc: { connector: "run-egress", network: "default" } })).toThrow(
      'CR_VPC: [test/api] vpc.connector is "run-egress"; a workload reaches a VPC through a Serverless VPC Access connector (vpc.connector) or by Direct VPC egress (vpc.network / vpc.subnetwork), not both, and vpc.network is set too. Remove vpc.connector to use Direct VPC egress, or remove vpc.network to use the connector.',
    );
  });

  test("network tags with a connector are CR_VPC", () => {
    expect(() => job({ vpc: { connector: "run-egress", tags: ["web"] } })).toThrow(
      'CR_VPC: [test/report] vpc.tags is ["web"]; network tags belong to Direct VPC egress',
    );
  });

  test("neither a network, a subnetwork nor a connector is CR_VPC", () => {
    expect(() => service({ vpc: { egress: "all-traffic" } })).toThrow(
      'CR_VPC: [test/api] vpc is {"egress":"all-traffic"}; VPC access needs a network or a subnetwork (Direct VPC egress), or a connector.',
    );
  });

  test("a malformed connector is CR_VPC_CONNECTOR", () => {
    for (const connector of [
      "Run_Egress",
      "a".repeat(26),
      "projects/p/regions/us-central1/connectors/c",
    ]) {
      expect(() => service({ vpc: { connector } })).toThrow(
        `CR_VPC_CONNECTOR: [test/api] vpc.connector is "${connector}"; a Serverless VPC Access connector is its name`,
      );
    }
  });

  test("a connector in another region is CR_VPC_CONNECTOR_REGION at synth", () => {
    const connector = "projects/acme-host/locations/europe-west1/connectors/shared";
    expect(() => service({ vpc: { connector } })).toThrow(
      `CR_VPC_CONNECTOR_REGION: [test/api] vpc.connector is "${connector}"; the connector is in "europe-west1" and the workload in "us-central1"`,
    );
  });

  test("a worker pool refuses a connector (provider 6.50 has no vpc_access.connector there)", () => {
    const stack = plainStack();
    expect(
      () => new WorkerPool(stack, "pool", { image: IMAGE, vpc: { connector: "run-egress" } }),
    ).toThrow(
      'CR_VPC_CONNECTOR: [test/pool] vpc.connector is "run-egress"; google_cloud_run_v2_worker_pool in Terraform provider 6.50 has no vpc_access.connector',
    );
  });

  test("an NFS volume is satisfied by a connector (the server is reached through the VPC)", () => {
    const vpc: VpcEgress = { connector: "run-egress" };
    expect(() =>
      service({
        vpc,
        executionEnvironment: "gen2",
        volumes: { nfs: { type: "nfs", server: "10.0.0.2", path: "/share", mountPath: "/n" } },
      }),
    ).not.toThrow();
  });
});
