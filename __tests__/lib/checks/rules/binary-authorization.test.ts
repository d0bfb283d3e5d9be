import { checkedStack, findingsOf, job, service } from "../helpers";

const ID = "CHECK_BINARY_AUTHORIZATION";

describe(ID, () => {
  test("a prod-tier service without Binary Authorization is a warning", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", { binaryAuthorization: undefined });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "warning",
      path: "test/api",
      prop: "binary_authorization",
      value: undefined,
    });
    expect(f.message).toContain("a prod-tier service then runs any image a deployer pushes");
  });

  test("use_default = false counts as absent", () => {
    const stack = checkedStack({ tier: "prod" });
    job(stack, "report", { binaryAuthorization: { useDefault: false } });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ value: { use_default: false } }),
    ]);
  });

  test("use_default or a named policy is compliant in prod", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", { binaryAuthorization: { useDefault: true } });
    service(stack, "web", {
      binaryAuthorization: { policy: "projects/acme/platforms/cloudRun/policies/strict" },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("no Binary Authorization is compliant outside prod", () => {
    const stack = checkedStack({ tier: "staging" });
    service(stack, "api", { binaryAuthorization: undefined });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
