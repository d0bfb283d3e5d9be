import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { checkedStack, findingsOf } from "../helpers";

const ID = "CHECK_PROJECT_ACT_AS";

describe(ID, () => {
  test("serviceAccountUser on the whole project is a warning", () => {
    const stack = checkedStack();
    new ProjectIamMember(stack, "actas", {
      project: "acme-test",
      role: "roles/iam.serviceAccountUser",
      member: "group:platform@acme.example",
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      path: "test/actas",
      prop: "role",
      value: "roles/iam.serviceAccountUser",
    });
    expect(f.message).toContain("may act as every service account of the project");
  });

  test("serviceAccountUser on one service account is compliant", () => {
    const stack = checkedStack();
    new ServiceAccountIamMember(stack, "actas", {
      serviceAccountId: "projects/-/serviceAccounts/api@acme-test.iam.gserviceaccount.com",
      role: "roles/iam.serviceAccountUser",
      member: "group:platform@acme.example",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
