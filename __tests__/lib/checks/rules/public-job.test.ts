import { CloudRunV2JobIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-job-iam-member";
import { CloudRunV2WorkerPoolIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-worker-pool-iam-binding";
import { checkedStack, findingsOf, job } from "../helpers";

const ID = "CHECK_PUBLIC_JOB";

describe(ID, () => {
  test("allUsers on a job is an error even where public services are allowed", () => {
    const stack = checkedStack({ allowPublic: true });
    const report = job(stack, "report");
    new CloudRunV2JobIamMember(stack, "anyone", {
      name: report.name,
      location: report.location,
      role: "roles/run.invoker",
      member: "allUsers",
    });
    const [f] = findingsOf(stack, ID);
    expect(f).toMatchObject({ severity: "error", path: "test/anyone", prop: "member" });
    expect(f.message).toContain(
      'CHECK_PUBLIC_JOB: member is "allUsers"; a job is never public: roles/run.invoker would let anyone run it',
    );
  });

  test("allAuthenticatedUsers on a worker pool is an error", () => {
    const stack = checkedStack();
    new CloudRunV2WorkerPoolIamBinding(stack, "pool", {
      name: "worker",
      location: "us-central1",
      role: "roles/run.developer",
      members: ["allAuthenticatedUsers"],
    });
    expect(findingsOf(stack, ID)).toEqual([
      expect.objectContaining({ prop: "members[0]", value: "allAuthenticatedUsers" }),
    ]);
  });

  test("a job run by a named service account is compliant", () => {
    const stack = checkedStack();
    new CloudRunV2JobIamMember(stack, "scheduler", {
      name: "report",
      location: "us-central1",
      role: "roles/run.invoker",
      member: "serviceAccount:scheduler@acme-test.iam.gserviceaccount.com",
    });
    expect(findingsOf(stack, ID)).toEqual([]);
  });
});
