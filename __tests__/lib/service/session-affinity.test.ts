/** Session affinity (`sessionAffinity`, `--session-affinity`): services only. */
import {
  CloudRunJob,
  CloudRunJobProps,
  CloudRunService,
  CloudRunServiceProps,
  WorkerPool,
  WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import { only, plainStack, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function service(props: Partial<CloudRunServiceProps>): Json {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_service");
}

describe("sessionAffinity", () => {
  test("true writes template.session_affinity = true", () => {
    expect(service({ sessionAffinity: true }).template.session_affinity).toBe(true);
  });

  test("an explicit false is written as false", () => {
    expect(service({ sessionAffinity: false }).template.session_affinity).toBe(false);
  });

  test("not written by default (off, as the API defaults)", () => {
    expect(service({}).template).not.toHaveProperty("session_affinity");
  });

  test('a string such as "true" is CR_SESSION_AFFINITY, not silently truthy', () => {
    const props = { sessionAffinity: "true" } as unknown as Partial<CloudRunServiceProps>;
    expect(() => service(props)).toThrow(
      'CR_SESSION_AFFINITY: [test/api] sessionAffinity is "true"; sessionAffinity is true or false.',
    );
  });

  test("jobs and worker pools have no session affinity (CR_UNKNOWN_PROP)", () => {
    const stack = plainStack();
    expect(
      () =>
        new CloudRunJob(stack, "report", {
          image: IMAGE,
          sessionAffinity: true,
        } as CloudRunJobProps),
    ).toThrow("CR_UNKNOWN_PROP: [test/report] sessionAffinity is true; a job has no prop");
    expect(
      () =>
        new WorkerPool(stack, "pool", { image: IMAGE, sessionAffinity: true } as WorkerPoolProps),
    ).toThrow("CR_UNKNOWN_PROP: [test/pool] sessionAffinity is true; a worker pool has no prop");
  });
});
