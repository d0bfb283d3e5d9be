import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountKey } from "@cdktf/provider-google/lib/service-account-key";
import { checkedStack, findingsOf } from "../helpers";

const ID = "CHECK_SERVICE_ACCOUNT_KEY";

describe(ID, () => {
  test("a service account key is a warning", () => {
    const stack = checkedStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "ci-deployer" });
    new ServiceAccountKey(stack, "key", { serviceAccountId: sa.name });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "warning", path: "test/key", prop: "service_account_id" });
    expect(f.message).toContain("Terraform stores its private key in the state");
  });

  test("a service account without a key is compliant", () => {
    const stack = checkedStack();
    new ServiceAccount(stack, "sa", { accountId: "ci-deployer" });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
