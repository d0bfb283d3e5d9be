import { CloudRunService } from "@cdktf-cloud-run/constructs";
import { IMAGE, checkedStack, findingsOf, job, service, workerPool } from "../helpers";

const ID = "CHECK_VPC_CONNECTOR_ALL_TRAFFIC";
const CONNECTOR = "projects/acme-test/locations/us-central1/connectors/run-egress";

describe(ID, () => {
  test("a service whose connector carries all traffic is a warning", () => {
    const stack = checkedStack();
    service(stack, "api", {
      template: {
        serviceAccount: "api@acme-test.iam.gserviceaccount.com",
        containers: [{ image: "us-docker.pkg.dev/acme-ci/apps/api@sha256:" + "a1".repeat(32) }],
        vpcAccess: { connector: CONNECTOR, egress: "ALL_TRAFFIC" },
      },
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      path: "test/api",
      prop: "template.vpc_access.egress",
      value: "ALL_TRAFFIC",
    });
    expect(f.message).toContain(
      `all outbound traffic of this service goes through the connector "${CONNECTOR}"`,
    );
  });

  test("a job's connector is read from template.template", () => {
    const stack = checkedStack();
    job(stack, "report", {
      template: {
        template: {
          serviceAccount: "api@acme-test.iam.gserviceaccount.com",
          containers: [{ image: "us-docker.pkg.dev/acme-ci/apps/api@sha256:" + "a1".repeat(32) }],
          vpcAccess: { connector: CONNECTOR, egress: "ALL_TRAFFIC" },
        },
      },
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ prop: "template.template.vpc_access.egress" }),
    ]);
  });

  test("a connector for private ranges only, and Direct VPC egress with all traffic, are compliant", () => {
    const stack = checkedStack();
    const containers = [{ image: "us-docker.pkg.dev/acme-ci/apps/api@sha256:" + "a1".repeat(32) }];
    const serviceAccount = "api@acme-test.iam.gserviceaccount.com";
    service(stack, "a", {
      template: {
        serviceAccount,
        containers,
        vpcAccess: { connector: CONNECTOR, egress: "PRIVATE_RANGES_ONLY" },
      },
    });
    service(stack, "b", {
      template: {
        serviceAccount,
        containers,
        vpcAccess: { egress: "ALL_TRAFFIC", networkInterfaces: [{ network: "default" }] },
      },
    });
    workerPool(stack, "c", {
      template: {
        serviceAccount,
        containers,
        vpcAccess: { egress: "ALL_TRAFFIC", networkInterfaces: [{ network: "default" }] },
      },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("CloudRunService with vpc: { connector, egress: all-traffic } is flagged", () => {
    const stack = checkedStack();
    new CloudRunService(stack, "legacy", {
      image: IMAGE,
      ingress: "internal",
      vpc: { connector: "run-egress", egress: "all-traffic" },
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ path: "test/legacy/Resource", value: "ALL_TRAFFIC" }),
    ]);
  });
});
