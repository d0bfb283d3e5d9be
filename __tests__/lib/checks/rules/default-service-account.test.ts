import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { IMAGE, checkedStack, findingsOf, job, service, workerPool } from "../helpers";

const ID = "CHECK_DEFAULT_SERVICE_ACCOUNT";

describe(ID, () => {
  test("a service without service_account runs as the Compute default: an error", () => {
    const stack = checkedStack();
    service(stack, "api", { template: { containers: [{ image: IMAGE }] } });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({
      severity: "error",
      path: "test/api",
      prop: "template.service_account",
    });
    expect(f.message).toMatch(
      /^CHECK_DEFAULT_SERVICE_ACCOUNT: template\.service_account is not set; the workload then runs as the Compute Engine default service account/,
    );
  });

  test("a job naming the Compute default account is an error", () => {
    const stack = checkedStack();
    const email = "123456789012-compute@developer.gserviceaccount.com";
    job(stack, "report", {
      template: { template: { serviceAccount: email, containers: [{ image: IMAGE }] } },
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ prop: "template.template.service_account", value: email }),
    ]);
  });

  test("a worker pool running as the App Engine default account is an error", () => {
    const stack = checkedStack();
    workerPool(stack, "worker", {
      template: {
        serviceAccount: "acme-test@appspot.gserviceaccount.com",
        containers: [{ image: IMAGE }],
      },
    });
    expect(findingsOf(stack, ID)).toHaveLength(1);
  });

  test("a dedicated account, literal or created in the stack, is compliant", () => {
    const stack = checkedStack();
    const sa = new ServiceAccount(stack, "sa", { accountId: "api-runtime" });
    service(stack, "api");
    service(stack, "web", {
      template: { serviceAccount: sa.email, containers: [{ image: IMAGE }] },
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
