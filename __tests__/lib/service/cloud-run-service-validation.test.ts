import { CloudRunService, CloudRunServiceProps } from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/api:1.2.3";

/** The message of whatever fails: the constructor (single props) or synth (cross-prop rules). */
function failure(props: Partial<CloudRunServiceProps>, id = "api"): string {
  const stack = plainStack();
  try {
    new CloudRunService(stack, id, { image: IMAGE, ...props } as CloudRunServiceProps);
    synth(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the service to fail validation");
}

function passes(props: Partial<CloudRunServiceProps>): void {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props } as CloudRunServiceProps);
  expect(() => synth(stack)).not.toThrow();
}

describe("CloudRunService validation: names and env", () => {
  test("a name longer than 49 characters fails", () => {
    expect(failure({ name: "a".repeat(50) })).toMatch(
      /CR_NAME: \[test\/api\] name is "a{50}"; a name is 1–49 lowercase letters/,
    );
  });

  test.each(["Api", "1api", "api-", "api_v2"])("name %s fails", (name) => {
    expect(failure({ name })).toContain(`CR_NAME: [test/api] name is "${name}"`);
  });

  test("PORT on the ingress container fails and points at port", () => {
    expect(failure({ env: { PORT: "9000" } })).toMatch(
      /CR_ENV_RESERVED: \[test\/api\] env\.PORT is "PORT"; Cloud Run sets PORT itself.*Remove it and set port instead/,
    );
  });

  test("PORT on a sidecar is allowed", () => {
    passes({ sidecars: { proxy: { image: IMAGE, env: { PORT: "8081" } } } });
  });

  test.each(["K_SERVICE", "K_REVISION", "K_CONFIGURATION"])(
    "%s is reserved on every container",
    (name) => {
      expect(failure({ sidecars: { proxy: { image: IMAGE, env: { [name]: "x" } } } })).toContain(
        `CR_ENV_RESERVED: [test/api] sidecars.proxy.env.${name} is "${name}"`,
      );
    },
  );

  test("an env name that is not a C identifier fails", () => {
    expect(failure({ env: { "MY-VAR": "x" } })).toContain(
      'CR_ENV_NAME: [test/api] env.MY-VAR is "MY-VAR"; an env var name is a C identifier',
    );
  });
});

describe("CloudRunService validation: service props", () => {
  test.each([0, 1001, 2.5])("concurrency %s fails with the range 1–1,000", (concurrency) => {
    expect(failure({ concurrency })).toContain(
      `CR_SERVICE_CONCURRENCY: [test/api] concurrency is ${concurrency}; Cloud Run allows 1–1,000 concurrent requests per instance`,
    );
  });

  test("concurrency 1 and 1000 pass", () => {
    passes({ concurrency: 1 });
    passes({ concurrency: 1000 });
  });

  test.each(["3601s", "2h", 0])("timeout %s fails with the range up to 3600s", (timeout) => {
    expect(failure({ timeout })).toMatch(
      /CR_SERVICE_TIMEOUT: \[test\/api\] timeout is .*; Cloud Run allows a request timeout of 1 to 3600 seconds/,
    );
  });

  test("timeout 1h passes", () => passes({ timeout: "1h" }));

  test("a malformed timeout fails with the accepted forms", () => {
    expect(failure({ timeout: "5 minutes" })).toContain(
      'CR_DURATION: [test/api] timeout is "5 minutes"; a duration is a number of seconds or gcloud\'s form',
    );
  });

  test.each([0, 65536, 80.5])("port %s fails with the range 1–65,535", (port) => {
    expect(failure({ port })).toContain(
      `CR_PORT: [test/api] port is ${port}; Cloud Run allows 1–65,535 for a container port`,
    );
  });

  test("minInstances above maxInstances fails at synth", () => {
    expect(failure({ minInstances: 5, maxInstances: 2 })).toContain(
      "CR_SERVICE_SCALING: [test/api] minInstances is 5; minInstances must not exceed maxInstances (2)",
    );
  });

  test("a negative minInstances fails", () => {
    expect(failure({ minInstances: -1 })).toContain(
      "CR_SERVICE_INSTANCES: [test/api] minInstances is -1; minInstances is a whole number ≥ 0",
    );
  });

  test("maxInstances 0 fails", () => {
    expect(failure({ maxInstances: 0 })).toContain(
      "CR_SERVICE_INSTANCES: [test/api] maxInstances is 0; maxInstances is a whole number ≥ 1",
    );
  });

  test("an unknown ingress fails with the allowed values", () => {
    expect(failure({ ingress: "public" as never })).toContain(
      'CR_SERVICE_INGRESS: [test/api] ingress is "public"; allowed values are "all", "internal", "internal-and-cloud-load-balancing"',
    );
  });

  test("an unknown executionEnvironment fails with the allowed values", () => {
    expect(failure({ executionEnvironment: "gen3" as never })).toContain(
      'CR_SERVICE_EXECUTION_ENVIRONMENT: [test/api] executionEnvironment is "gen3"; allowed values are "gen1", "gen2"',
    );
  });

  test("a description over 512 characters fails", () => {
    expect(failure({ description: "x".repeat(513) })).toContain(
      'CR_SERVICE_DESCRIPTION: [test/api] description is "513 characters"; Cloud Run allows 0–512 characters',
    );
  });

  test("an empty custom audience fails", () => {
    expect(failure({ customAudiences: [""] })).toContain(
      'CR_SERVICE_AUDIENCE: [test/api] customAudiences[0] is ""',
    );
  });

  test("a startup probe outside its range fails", () => {
    expect(failure({ startupProbe: { tcpSocket: {}, periodSeconds: 300 } })).toContain(
      "CR_PROBE_RANGE: [test/api] startupProbe.periodSeconds is 300; Cloud Run allows 1–240 seconds",
    );
  });

  test("a liveness probe with two actions fails", () => {
    expect(failure({ livenessProbe: { tcpSocket: {}, httpGet: {} } })).toContain(
      'CR_PROBE_ACTION: [test/api] livenessProbe is "httpGet and tcpSocket"; a probe has exactly one action',
    );
  });
});

describe("CloudRunService validation: CPU, memory, execution environment, GPU", () => {
  test("cpu below 1 needs concurrency 1", () => {
    expect(failure({ cpu: "0.5", concurrency: 10 })).toContain(
      "CR_SERVICE_FRACTIONAL_CPU: [test/api] concurrency is 10; cpu is 0.5 (below 1), which needs concurrency 1",
    );
  });

  test("cpu below 1 needs cpu throttling", () => {
    expect(failure({ cpu: "500m", cpuThrottling: false })).toContain(
      "CR_SERVICE_FRACTIONAL_CPU: [test/api] cpuThrottling is false; cpu is 0.5 (below 1), which needs request-based billing",
    );
  });

  test("cpu below 1 needs gen1 when an execution environment is set", () => {
    expect(failure({ cpu: "0.5", executionEnvironment: "gen2" })).toContain(
      'CR_SERVICE_FRACTIONAL_CPU: [test/api] executionEnvironment is "gen2"; cpu is 0.5 (below 1), which needs the "gen1" execution environment',
    );
  });

  test("cpu below 1 with gen1, concurrency 1 and throttling passes", () => {
    passes({ cpu: "0.5", memory: "256Mi", executionEnvironment: "gen1", concurrency: 1 });
  });

  test("memory below 512Mi on gen2 fails", () => {
    expect(failure({ memory: "256Mi", executionEnvironment: "gen2" })).toContain(
      'CR_SERVICE_GEN2_MEMORY: [test/api] memory is "256Mi"; the gen2 execution environment needs at least 512Mi',
    );
  });

  test.each(["gcs", "nfs"] as const)("a %s volume on gen1 fails", (type) => {
    const volume =
      type === "gcs"
        ? { type, bucket: "acme-media" }
        : { type, server: "10.0.0.2", path: "/share" };
    expect(
      failure({
        executionEnvironment: "gen1",
        vpc: { network: "default" },
        volumes: { data: volume },
      }),
    ).toContain(
      `CR_SERVICE_GEN1_VOLUME: [test/api] volumes.data is "${type}"; ${type.toUpperCase()} volumes need the gen2 execution environment`,
    );
  });

  test("an invalid CPU value fails with the allowed values", () => {
    expect(failure({ cpu: 3 })).toContain(
      "CR_CPU: [test/api] cpu is 3; Cloud Run allows a fraction from 0.08 to below 1, or 1, 2, 4, 6 or 8 CPU",
    );
  });

  test("more than 4Gi of memory with 1 CPU fails", () => {
    expect(failure({ memory: "8Gi" })).toContain(
      'CR_CPU_MEMORY: [test/api] memory is "8Gi"; more than 4Gi of memory needs at least 2 CPU',
    );
  });

  test("an L4 GPU needs 4 CPU and 16Gi", () => {
    const message = failure({ gpu: {}, cpu: 2, memory: "8Gi" });
    expect(message).toContain(
      "CR_GPU_CPU: [test/api] cpu is 2; an nvidia-l4 GPU needs 4, 6 or 8 CPU",
    );
    expect(message).toContain(
      'CR_GPU_MEMORY: [test/api] memory is "8Gi"; an nvidia-l4 GPU needs at least 16Gi of memory',
    );
  });

  test("a GPU with cpu throttling fails", () => {
    expect(failure({ gpu: {}, cpu: 4, memory: "16Gi", cpuThrottling: true })).toContain(
      "CR_SERVICE_GPU_THROTTLING: [test/api] cpuThrottling is true; a service with a GPU needs instance-based billing",
    );
  });
});

describe("CloudRunService validation: traffic", () => {
  test("percents that do not sum to 100 fail", () => {
    expect(
      failure({
        traffic: [
          { percent: 50, latest: true },
          { percent: 40, revision: "api-1" },
        ],
      }),
    ).toContain(
      'CR_SERVICE_TRAFFIC_SUM: [test/api] traffic is "percents summing to 90"; the percents of all traffic targets sum to exactly 100',
    );
  });

  test("a percent above 100 fails with the range 0–100", () => {
    expect(failure({ traffic: [{ percent: 120, latest: true }] })).toContain(
      "CR_SERVICE_TRAFFIC: [test/api] traffic[0].percent is 120; Cloud Run allows 0–100 percent per traffic target",
    );
  });

  test("a target without latest needs a revision", () => {
    expect(failure({ traffic: [{ percent: 100 }] })).toContain(
      "CR_SERVICE_TRAFFIC_TARGET: [test/api] traffic[0].revision is not set; a traffic target names a revision unless latest is true",
    );
  });

  test("a target cannot be both latest and a revision", () => {
    expect(failure({ traffic: [{ percent: 100, latest: true, revision: "api-1" }] })).toContain(
      "CR_SERVICE_TRAFFIC_TARGET: [test/api] traffic[0] is",
    );
  });

  test("a tag and the service name over 46 characters fail", () => {
    const tag = "t".repeat(44);
    expect(failure({ traffic: [{ percent: 100, latest: true, tag }] })).toContain(
      `CR_SERVICE_TRAFFIC_TAG: [test/api] traffic[0].tag is "${tag}"; a traffic tag and the service name ("api") together may have at most 46 characters (here 47)`,
    );
  });

  test("a tag used twice fails", () => {
    expect(
      failure({
        traffic: [
          { percent: 50, latest: true, tag: "blue" },
          { percent: 50, revision: "api-1", tag: "blue" },
        ],
      }),
    ).toContain(
      'CR_SERVICE_TRAFFIC_TAG: [test/api] traffic[1].tag is "blue"; each traffic tag is used once',
    );
  });
});

describe("CloudRunService validation: containers, volumes, labels", () => {
  test("more than 10 containers fail", () => {
    const sidecars = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`side${i}`, { image: IMAGE }]),
    );
    expect(failure({ sidecars })).toContain(
      'CR_CONTAINERS: [test/api] sidecars is "11 containers"; Cloud Run allows at most 10 containers per instance',
    );
  });

  test("a mount that names no volume fails", () => {
    expect(
      failure({ sidecars: { proxy: { image: IMAGE, volumeMounts: { cache: "/cache" } } } }),
    ).toContain(
      'CR_MOUNT_VOLUME: [test/api] sidecars.proxy.volumeMounts.cache is "cache"; a mount names a volume of this workload',
    );
  });

  test("an invalid label key fails", () => {
    expect(failure({ labels: { Team: "x" } })).toContain(
      'CR_LABEL_KEY: [test/api] labels.Team is "Team"; a label key is 1–63 lowercase letters',
    );
  });

  test("an invalid label value fails", () => {
    expect(failure({ labels: { team: "Payments Team" } })).toContain(
      'CR_LABEL_VALUE: [test/api] labels.team is "Payments Team"; a label value is 0–63 lowercase letters',
    );
  });

  test("a label in a reserved namespace fails", () => {
    expect(failure({ labels: { "run.googleapis.com/x": "y" } })).toContain(
      'CR_LABEL_RESERVED: [test/api] labels.run.googleapis.com/x is "run.googleapis.com/x"; the run.googleapis.com namespace is reserved by Cloud Run',
    );
  });

  test("a service without an image fails", () => {
    expect(failure({ image: undefined })).toContain(
      'CR_IMAGE_REQUIRED: [test/api] image is not set; a service needs an image unless imageManagedBy is "external"',
    );
  });

  test("one synth lists every cross-prop problem", () => {
    const message = failure({
      minInstances: 3,
      maxInstances: 1,
      gpu: {},
      cpu: 4,
      memory: "16Gi",
      cpuThrottling: true,
    });
    expect(message).toContain("CR_SERVICE_SCALING");
    expect(message).toContain("CR_SERVICE_GPU_THROTTLING");
  });
});

describe("CloudRunService.onEvent validation", () => {
  function eventFailure(options: Record<string, unknown>): string {
    const stack = plainStack();
    const svc = new CloudRunService(stack, "api", { image: IMAGE });
    try {
      svc.onEvent((options.id as string) ?? "uploads", {
        eventType: "google.cloud.storage.object.v1.finalized",
        ...options,
      } as never);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected onEvent to fail");
  }

  test("an empty event type fails", () => {
    expect(eventFailure({ eventType: "" })).toContain(
      'CR_SERVICE_EVENT: [test/api/Event-uploads] eventType is ""; an event type is a CloudEvents type',
    );
  });

  test("a path without a leading slash fails", () => {
    expect(eventFailure({ path: "events" })).toContain(
      'CR_SERVICE_EVENT: [test/api/Event-uploads] path is "events"; a path is relative to the service URL and starts with "/"',
    );
  });

  test("a filter on type fails", () => {
    expect(eventFailure({ filters: { type: "x" } })).toContain(
      'CR_SERVICE_EVENT: [test/api/Event-uploads] filters.type is "x"',
    );
  });
});
