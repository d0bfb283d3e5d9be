import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { CloudRunService } from "@cdktf-cloud-run/constructs";
import { IMAGE, checkedStack, findingsOf, job, service } from "../helpers";

const ID = "CHECK_INTERNAL_CALLER_EGRESS";
const CALLER_SA = "caller@acme-test.iam.gserviceaccount.com";
const VPC = {
  networkInterfaces: [{ network: "default", subnetwork: "default" }],
  egress: "ALL_TRAFFIC",
};

function caller(stack: ReturnType<typeof checkedStack>, extra: Record<string, unknown> = {}) {
  return service(stack, "caller", {
    template: {
      serviceAccount: CALLER_SA,
      containers: [{ image: IMAGE }],
      ...extra,
    },
  });
}

describe(ID, () => {
  test("a caller with run.invoker on an internal service and no VPC egress is an error", () => {
    const stack = checkedStack();
    const orders = service(stack, "orders");
    caller(stack);
    new CloudRunV2ServiceIamMember(stack, "grant", {
      name: orders.name,
      location: orders.location,
      role: "roles/run.invoker",
      member: `serviceAccount:${CALLER_SA}`,
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "error",
      path: "test/caller",
      prop: "template.vpc_access",
    });
    expect(f.message).toContain(
      'it calls the internal-ingress service "orders" (its identity may invoke it (roles/run.invoker)) but has no VPC egress',
    );
    expect(f.message).toContain('egress: "all-traffic"');
  });

  test("a caller holding the internal service's uri in env and no VPC egress is an error", () => {
    const stack = checkedStack();
    const orders = service(stack, "orders");
    service(stack, "caller", {
      template: {
        serviceAccount: CALLER_SA,
        containers: [{ image: IMAGE, env: [{ name: "ORDERS_URL", value: orders.uri }] }],
      },
    });
    expect(findingsOf(stack, ID)[0].message).toContain("env ORDERS_URL holds its URL");
  });

  test("a literal run.app URL of the internal service counts as calling it", () => {
    const stack = checkedStack();
    service(stack, "orders");
    job(stack, "report", {
      template: {
        template: {
          serviceAccount: CALLER_SA,
          containers: [
            { image: IMAGE, env: [{ name: "U", value: "https://orders-abc123-uc.a.run.app" }] },
          ],
        },
      },
    });
    expect(findingsOf(stack, ID)).toHaveLength(1);
  });

  test("a caller with Direct VPC egress of all traffic is compliant", () => {
    const stack = checkedStack();
    const orders = service(stack, "orders");
    service(stack, "caller", {
      template: {
        serviceAccount: CALLER_SA,
        vpcAccess: VPC,
        containers: [{ image: IMAGE, env: [{ name: "ORDERS_URL", value: orders.uri }] }],
      },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("private-ranges-only egress is a warning", () => {
    const stack = checkedStack();
    const orders = service(stack, "orders");
    service(stack, "caller", {
      template: {
        serviceAccount: CALLER_SA,
        vpcAccess: { ...VPC, egress: "PRIVATE_RANGES_ONLY" },
        containers: [{ image: IMAGE, env: [{ name: "ORDERS_URL", value: orders.uri }] }],
      },
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      prop: "template.vpc_access.egress",
      value: "PRIVATE_RANGES_ONLY",
    });
  });

  test("calling a service with ingress all needs no VPC egress", () => {
    const stack = checkedStack();
    const orders = service(stack, "orders", { ingress: "INGRESS_TRAFFIC_ALL" });
    service(stack, "caller", {
      template: {
        serviceAccount: CALLER_SA,
        containers: [{ image: IMAGE, env: [{ name: "ORDERS_URL", value: orders.uri }] }],
      },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("the constructs: grantInvoke of a caller's identity without vpc is found", () => {
    const stack = checkedStack();
    const orders = new CloudRunService(stack, "orders", { image: IMAGE, ingress: "internal" });
    const api = new CloudRunService(stack, "api", { image: IMAGE, env: { X: "1" } });
    orders.grantInvoke(api.serviceAccountMember);
    expect(findingsOf(stack, ID).map((f) => f.path)).toEqual(["test/api/Resource"]);
  });
});
