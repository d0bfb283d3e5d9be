import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { ComputeRegionNetworkEndpointGroup } from "@cdktf/provider-google/lib/compute-region-network-endpoint-group";
import { checkedStack, findingsOf, service } from "../helpers";

const ID = "CHECK_INGRESS_ALL";

describe(ID, () => {
  test("ingress all on a private service is a warning advising internal ingress", () => {
    const stack = checkedStack();
    service(stack, "api", { ingress: "INGRESS_TRAFFIC_ALL" });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      path: "test/api",
      prop: "ingress",
      value: "INGRESS_TRAFFIC_ALL",
    });
    expect(f.message).toContain(
      "the service allows no unauthenticated calls, yet accepts connections from the whole internet",
    );
    expect(f.message).toContain('Set ingress: "internal"');
  });

  test("ingress not written counts as all (the provider's default)", () => {
    const stack = checkedStack();
    service(stack, "api", { ingress: undefined });
    expect(findingsOf(stack, ID)[0].message).toContain("ingress is not set;");
  });

  test("ingress all on a public service is compliant", () => {
    const stack = checkedStack({ allowPublic: true });
    const api = service(stack, "api", { ingress: "INGRESS_TRAFFIC_ALL" });
    new CloudRunV2ServiceIamMember(stack, "public", {
      name: api.name,
      location: api.location,
      role: "roles/run.invoker",
      member: "allUsers",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("a service public by invoker_iam_disabled is compliant", () => {
    const stack = checkedStack({ allowPublic: true });
    service(stack, "api", { ingress: "INGRESS_TRAFFIC_ALL", invokerIamDisabled: true });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("ingress all behind a load balancer is a warning even on a public service", () => {
    const stack = checkedStack({ allowPublic: true });
    const api = service(stack, "api", { ingress: "INGRESS_TRAFFIC_ALL", invokerIamDisabled: true });
    new ComputeRegionNetworkEndpointGroup(stack, "neg", {
      name: "api-neg",
      region: "us-central1",
      networkEndpointType: "SERVERLESS",
      cloudRun: { service: api.name },
    });
    const [f] = findingsOf(stack, ID);
    expect(f.message).toContain("the service sits behind a load balancer (test/neg)");
    expect(f.message).toContain('ingress: "internal-and-cloud-load-balancing"');
  });

  test("internal and load-balancer ingress are compliant", () => {
    const stack = checkedStack();
    service(stack, "a", { ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY" });
    service(stack, "b", { ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
