import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { checkedStack, findingsOf } from "../helpers";

const ID = "CHECK_BASIC_ROLE";

describe(ID, () => {
  test("roles/editor on the project is an error naming the member", () => {
    const stack = checkedStack();
    new ProjectIamMember(stack, "editor", {
      project: "acme-test",
      role: "roles/editor",
      member: "serviceAccount:api@acme-test.iam.gserviceaccount.com",
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "error", prop: "role", value: "roles/editor" });
    expect(f.message).toContain(
      "serviceAccount:api@acme-test.iam.gserviceaccount.com gets the basic role roles/editor on the whole project",
    );
  });

  test("a predefined role on the project is compliant", () => {
    const stack = checkedStack();
    new ProjectIamMember(stack, "viewer", {
      project: "acme-test",
      role: "roles/logging.viewer",
      member: "group:platform@acme.example",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("a grant on a single resource is not this rule's concern", () => {
    const stack = checkedStack();
    new ServiceAccountIamMember(stack, "owner", {
      serviceAccountId: "projects/-/serviceAccounts/api@acme-test.iam.gserviceaccount.com",
      role: "roles/owner",
      member: "group:platform@acme.example",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
