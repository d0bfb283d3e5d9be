import { checkedStack, findingsOf, job, service, workerPool } from "../helpers";

const ID = "CHECK_DELETION_PROTECTION";

describe(ID, () => {
  test("deletion_protection = false on a prod-tier service is an error", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", { deletionProtection: false });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "error",
      path: "test/api",
      prop: "deletion_protection",
      value: false,
    });
    expect(f.message).toMatch(
      /^CHECK_DELETION_PROTECTION: deletion_protection is false; a prod-tier service must be protected/,
    );
  });

  test("deletion_protection = false on a prod-tier job and worker pool is an error", () => {
    const stack = checkedStack({ tier: "prod" });
    job(stack, "report", { deletionProtection: false });
    workerPool(stack, "worker", { deletionProtection: false });
    expect(findingsOf(stack, ID).map((f) => f.message.split(";")[1].split(".")[0])).toEqual([
      " a prod-tier job must be protected from deletion by a destroy or a replacing change",
      " a prod-tier worker pool must be protected from deletion by a destroy or a replacing change",
    ]);
  });

  test("deletion_protection = false is compliant outside prod", () => {
    const stack = checkedStack({ tier: "staging" });
    service(stack, "api", { deletionProtection: false });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("deletion_protection = true is compliant in prod", () => {
    const stack = checkedStack({ tier: "prod" });
    service(stack, "api", { deletionProtection: true });
    expect(findingsOf(stack, ID)).toEqual([]);
  });

  test("deletion_protection not written is a warning (the provider silently defaults to true)", () => {
    const stack = checkedStack({ tier: "dev" });
    service(stack, "api", { deletionProtection: undefined });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "warning", value: undefined });
    expect(f.message).toContain(
      "deletion_protection is not set; the provider then protects the service silently",
    );
  });
});
