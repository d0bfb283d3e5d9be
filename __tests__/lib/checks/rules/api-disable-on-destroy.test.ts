import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { ProjectApis } from "@cdktf-cloud-run/constructs";
import { checkedStack, findingsOf } from "../helpers";

const ID = "CHECK_API_DISABLE_ON_DESTROY";

describe(ID, () => {
  test("disable_on_destroy unset is an error (the provider's default is true)", () => {
    const stack = checkedStack();
    new ProjectService(stack, "pubsub", { service: "pubsub.googleapis.com" });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "error", path: "test/pubsub", prop: "disable_on_destroy" });
    expect(f.message).toBe(
      "CHECK_API_DISABLE_ON_DESTROY: disable_on_destroy is not set; destroying this stack would switch pubsub.googleapis.com off for the whole project (the provider's default is true). Set disable_on_destroy = false, or enable the API with ProjectApis.of(scope).enable(api).",
    );
  });

  test("disable_on_destroy = true is an error", () => {
    const stack = checkedStack();
    new ProjectService(stack, "pubsub", {
      service: "pubsub.googleapis.com",
      disableOnDestroy: true,
    });
    expect(findingsOf(stack, ID)).toEqual([expect.objectContaining({ value: true })]);
  });

  test("ProjectApis (disable_on_destroy = false) is compliant", () => {
    const stack = checkedStack();
    ProjectApis.of(stack).enable("secretmanager.googleapis.com");
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
