import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { ProjectIamBinding } from "@cdktf/provider-google/lib/project-iam-binding";
import { ProjectIamPolicy } from "@cdktf/provider-google/lib/project-iam-policy";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecretIamPolicy } from "@cdktf/provider-google/lib/secret-manager-secret-iam-policy";
import { checkedStack, findingsOf } from "../helpers";

const ID = "CHECK_AUTHORITATIVE_IAM";

describe(ID, () => {
  test("an _iam_binding on a service is a warning naming the additive alternative", () => {
    const stack = checkedStack();
    new CloudRunV2ServiceIamBinding(stack, "invokers", {
      name: "api",
      location: "us-central1",
      role: "roles/run.invoker",
      members: ["group:qa@acme.example"],
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      path: "test/invokers",
      prop: "role",
      value: "roles/run.invoker",
    });
    expect(f.message).toContain("google_cloud_run_v2_service_iam_binding is authoritative");
    expect(f.message).toContain("Use google_cloud_run_v2_service_iam_member");
  });

  test("an _iam_policy on a secret is a warning", () => {
    const stack = checkedStack();
    new SecretManagerSecretIamPolicy(stack, "policy", { secretId: "db-pass", policyData: "{}" });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ severity: "warning", prop: "policy_data" }),
    ]);
  });

  test("an authoritative binding on the project is an error", () => {
    const stack = checkedStack();
    new ProjectIamBinding(stack, "admins", {
      project: "acme-test",
      role: "roles/run.admin",
      members: ["group:platform@acme.example"],
    });
    const [f] = findingsOf(stack, ID);
    expect(f.severity).toBe("error");
    expect(f.message).toContain("here on a whole project");
  });

  test("a project IAM policy is an error", () => {
    const stack = checkedStack();
    new ProjectIamPolicy(stack, "policy", { project: "acme-test", policyData: "{}" });
    expect(findingsOf(stack, ID)[0].severity).toBe("error");
  });

  test("additive _iam_member grants are compliant", () => {
    const stack = checkedStack();
    new CloudRunV2ServiceIamMember(stack, "qa", {
      name: "api",
      location: "us-central1",
      role: "roles/run.invoker",
      member: "group:qa@acme.example",
    });
    new ProjectIamMember(stack, "admin", {
      project: "acme-test",
      role: "roles/run.admin",
      member: "group:platform@acme.example",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
