import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { CloudRunV2ServiceIamPolicy } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-policy";
import { checkedStack, findingsOf, service } from "../helpers";

const ID = "CHECK_PUBLIC_SERVICE";

describe(ID, () => {
  test("an allUsers invoker is an error when the environment does not allow public services", () => {
    const stack = checkedStack({ allowPublic: false });
    const api = service(stack, "api");
    new CloudRunV2ServiceIamMember(stack, "public", {
      name: api.name,
      location: api.location,
      role: "roles/run.invoker",
      member: "allUsers",
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "error", path: "test/public", prop: "member" });
    expect(f.message).toMatch(
      /^CHECK_PUBLIC_SERVICE: member is "allUsers"; the environment does not allow unauthenticated calls \(allowPublic is false\)\. Grant roles\/run\.invoker/,
    );
  });

  test("invoker_iam_disabled = true is an error when public services are not allowed", () => {
    const stack = checkedStack({ allowPublic: false });
    service(stack, "api", { invokerIamDisabled: true });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ path: "test/api", prop: "invoker_iam_disabled", value: true }),
    ]);
  });

  test("allAuthenticatedUsers in an authoritative binding is found, with its index", () => {
    const stack = checkedStack({ allowPublic: false });
    new CloudRunV2ServiceIamBinding(stack, "binding", {
      name: "api",
      location: "us-central1",
      role: "roles/run.invoker",
      members: ["group:qa@acme.example", "allAuthenticatedUsers"],
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ prop: "members[1]", value: "allAuthenticatedUsers" }),
    ]);
  });

  test("allUsers in a literal IAM policy is found", () => {
    const stack = checkedStack({ allowPublic: false });
    new CloudRunV2ServiceIamPolicy(stack, "policy", {
      name: "api",
      location: "us-central1",
      policyData: JSON.stringify({
        bindings: [{ role: "roles/run.invoker", members: ["allUsers"] }],
      }),
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ prop: "policy_data", value: "allUsers" }),
    ]);
  });

  test("a public service is compliant where allowPublic is true", () => {
    const stack = checkedStack({ allowPublic: true });
    const api = service(stack, "api", { invokerIamDisabled: true });
    new CloudRunV2ServiceIamMember(stack, "public", {
      name: api.name,
      location: api.location,
      role: "roles/run.invoker",
      member: "allUsers",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("invokers that are named principals are compliant", () => {
    const stack = checkedStack({ allowPublic: false });
    const api = service(stack, "api", { invokerIamDisabled: false });
    new CloudRunV2ServiceIamMember(stack, "qa", {
      name: api.name,
      location: api.location,
      role: "roles/run.invoker",
      member: "group:qa@acme.example",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
