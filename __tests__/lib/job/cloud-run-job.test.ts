import { IConstruct } from "constructs";
import { CloudRunJob, CloudRunJobProps, CloudRunService } from "@cdktf-cloud-run/constructs";
import { setWorkloadDefaults } from "../../../lib/core/context";
import { only, plainStack, resources, synth } from "../../helpers";

const IMAGE = "us-docker.pkg.dev/acme-ci/apps/report@sha256:" + "b".repeat(64);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<CloudRunJobProps> = {}, id = "report") {
  const stack = plainStack();
  const job = new CloudRunJob(stack, id, { image: IMAGE, ...props });
  return { stack, job };
}

/** The synthesized google_cloud_run_v2_job of a job built from `props`. */
function job(props: Partial<CloudRunJobProps> = {}): Json {
  return only(synth(build(props).stack), "google_cloud_run_v2_job");
}

const task = (j: Json): Json => j.template.template;
const main = (j: Json): Json => task(j).containers[0];

function warnings(c: IConstruct): string[] {
  return c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
}

describe("CloudRunJob: the gcloud run jobs create equivalent", () => {
  test("gcloud run jobs create report --image … --tasks 50 --max-retries 1 --task-timeout 2s --parallelism 5 in three lines", () => {
    const stack = plainStack();
    // prettier-ignore
    new CloudRunJob(stack, "report", {
      image: "us-docker.pkg.dev/cloudrun/container/job", tasks: 50, maxRetries: 1, taskTimeout: "2s", parallelism: 5,
    });
    const j = only(synth(stack), "google_cloud_run_v2_job") as Json;
    expect(j).toMatchObject({ name: "report", location: "us-central1" });
    expect(j.template.task_count).toBe(50);
    expect(j.template.parallelism).toBe(5);
    expect(task(j).max_retries).toBe(1);
    expect(task(j).timeout).toBe("2s");
    expect(main(j).image).toBe("us-docker.pkg.dev/cloudrun/container/job");
  });
});

describe("CloudRunJob: defaults", () => {
  test("task_count defaults to 1, written explicitly", () => {
    expect(job().template.task_count).toBe(1);
  });

  test("max_retries defaults to 3, written explicitly", () => {
    expect(task(job()).max_retries).toBe(3);
  });

  test("timeout defaults to 600s, written explicitly", () => {
    expect(task(job()).timeout).toBe("600s");
  });

  test("parallelism is not written unless set (Google runs as many as quota allows)", () => {
    expect(job().template).not.toHaveProperty("parallelism");
  });

  test("deletion_protection is written false outside prod", () => {
    expect(job().deletion_protection).toBe(false);
  });

  test("deletion_protection is written true in a prod-tier stack", () => {
    const stack = plainStack();
    setWorkloadDefaults(stack, { project: "acme-prod", region: "us-central1", tier: "prod" });
    new CloudRunJob(stack, "report", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_job").deletion_protection).toBe(true);
  });

  test("deletionProtection prop overrides the tier", () => {
    expect(job({ deletionProtection: true }).deletion_protection).toBe(true);
  });

  test("containers have no ports and no liveness probe", () => {
    const c = main(job());
    expect(c).not.toHaveProperty("ports");
    expect(c).not.toHaveProperty("liveness_probe");
    expect(c).not.toHaveProperty("startup_probe");
  });

  test("no GPU: gpu_zonal_redundancy_disabled and node_selector are not written", () => {
    const t = task(job());
    expect(t).not.toHaveProperty("gpu_zonal_redundancy_disabled");
    expect(t).not.toHaveProperty("node_selector");
  });

  test("CPU and memory default to 1 and 512Mi", () => {
    expect(main(job()).resources.limits).toEqual({ cpu: "1", memory: "512Mi" });
  });

  test("no lifecycle block when Terraform manages the image", () => {
    expect(job()).not.toHaveProperty("lifecycle");
  });
});

describe("CloudRunJob: job props", () => {
  test("tasks is written to template.task_count", () => {
    expect(job({ tasks: 10000 }).template.task_count).toBe(10000);
  });

  test("parallelism 0 (as many as possible) is written", () => {
    expect(job({ parallelism: 0, tasks: 3 }).template.parallelism).toBe(0);
  });

  test("parallelism equal to tasks is accepted", () => {
    expect(job({ parallelism: 4, tasks: 4 }).template.parallelism).toBe(4);
  });

  test("maxRetries 0 is written", () => {
    expect(task(job({ maxRetries: 0 })).max_retries).toBe(0);
  });

  test("maxRetries 10 is accepted", () => {
    expect(task(job({ maxRetries: 10 })).max_retries).toBe(10);
  });

  test("taskTimeout takes gcloud durations", () => {
    expect(task(job({ taskTimeout: "1h30m" })).timeout).toBe("5400s");
  });

  test("taskTimeout takes seconds", () => {
    expect(task(job({ taskTimeout: 90 })).timeout).toBe("90s");
  });

  test("taskTimeout of 168h is accepted", () => {
    expect(task(job({ taskTimeout: "168h" })).timeout).toBe("604800s");
  });

  test("startupProbe is mapped to the main container's startup_probe", () => {
    const c = main(job({ startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 } }));
    expect(c.startup_probe).toEqual({ tcp_socket: { port: 8080 }, period_seconds: 5 });
  });

  test("command, args and env are mapped", () => {
    const c = main(job({ command: ["python"], args: ["report.py"], env: { MODE: "full" } }));
    expect(c.command).toEqual(["python"]);
    expect(c.args).toEqual(["report.py"]);
    expect(c.env).toEqual([{ name: "MODE", value: "full" }]);
  });

  test("cpu and memory are written as limits", () => {
    expect(main(job({ cpu: 2, memory: "4Gi" })).resources.limits).toEqual({
      cpu: "2",
      memory: "4Gi",
    });
  });

  test("binaryAuthorization is written on the job and enables its API", () => {
    const json = synth(build({ binaryAuthorization: { useDefault: true } }).stack);
    expect(only(json, "google_cloud_run_v2_job").binary_authorization).toEqual({
      use_default: true,
    });
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("binaryauthorization.googleapis.com");
  });

  test("labels are written on the job", () => {
    expect(job({ labels: { team: "data" } }).labels).toEqual({ team: "data" });
  });

  test("volumes and mounts are mapped into template.template", () => {
    const t = task(job({ volumes: { scratch: { type: "in-memory", mountPath: "/scratch" } } }));
    expect(t.volumes).toEqual([{ name: "scratch", empty_dir: { medium: "MEMORY" } }]);
    expect(t.containers[0].volume_mounts).toEqual([{ name: "scratch", mount_path: "/scratch" }]);
  });

  test("vpc is mapped to Direct VPC egress", () => {
    const t = task(job({ vpc: { network: "default", egress: "all-traffic" } }));
    expect(t.vpc_access).toEqual({
      egress: "ALL_TRAFFIC",
      network_interfaces: [{ network: "default" }],
    });
  });

  test("sidecars are containers after the main one, with their startup probes", () => {
    const t = task(
      job({
        sidecars: {
          proxy: {
            image: "us-docker.pkg.dev/acme-ci/apps/proxy:1",
            startupProbe: { tcpSocket: { port: 5432 } },
          },
        },
        startAfter: ["proxy"],
      }),
    );
    expect(t.containers.map((c: Json) => c.name)).toEqual(["app", "proxy"]);
    expect(t.containers[0].depends_on).toEqual(["proxy"]);
    expect(t.containers[1].startup_probe).toEqual({ tcp_socket: { port: 5432 } });
  });

  test("a GPU job sets the accelerator, one GPU and gpu_zonal_redundancy_disabled = true", () => {
    const t = task(job({ gpu: {}, cpu: 4, memory: "16Gi", taskTimeout: "1h" }));
    expect(t.node_selector).toEqual({ accelerator: "nvidia-l4" });
    expect(t.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(t.gpu_zonal_redundancy_disabled).toBe(true);
    expect(t.timeout).toBe("3600s");
  });

  test("gpu.zonalRedundancy false is accepted (jobs are always non-zonal)", () => {
    const t = task(job({ gpu: { zonalRedundancy: false }, cpu: 4, memory: "16Gi" }));
    expect(t.gpu_zonal_redundancy_disabled).toBe(true);
  });
});

describe("CloudRunJob: identity, name, place", () => {
  test("name defaults to the construct id, lower-cased", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "Nightly", { image: IMAGE });
    expect(only(synth(stack), "google_cloud_run_v2_job").name).toBe("nightly");
  });

  test("name, project and region props are written", () => {
    expect(job({ name: "export", project: "acme-other", region: "europe-west4" })).toMatchObject({
      name: "export",
      project: "acme-other",
      location: "europe-west4",
    });
  });

  test("a dedicated service account is created and the job runs as it", () => {
    const json = synth(build().stack);
    const sa = Object.entries(resources(json, "google_service_account"));
    expect(sa).toHaveLength(1);
    expect(sa[0][1].account_id).toBe("report-job");
    expect(task(only(json, "google_cloud_run_v2_job")).service_account).toBe(
      `\${google_service_account.${sa[0][0]}.email}`,
    );
  });

  test("serviceAccount uses an existing account and creates none", () => {
    const json = synth(build({ serviceAccount: "etl@acme-test.iam.gserviceaccount.com" }).stack);
    expect(resources(json, "google_service_account")).toEqual({});
    expect(task(only(json, "google_cloud_run_v2_job")).service_account).toBe(
      "etl@acme-test.iam.gserviceaccount.com",
    );
  });

  test("exposes resource, serviceAccountEmail and iamTarget", () => {
    const { job: j } = build({ serviceAccount: "etl@acme-test.iam.gserviceaccount.com" });
    expect(j.resource.terraformResourceType).toBe("google_cloud_run_v2_job");
    expect(j.serviceAccountEmail).toBe("etl@acme-test.iam.gserviceaccount.com");
    expect(j.iamTarget.kind).toBe("job");
    expect(j.scheduler).toBeUndefined();
  });

  test("a 63-character name is accepted without a warning", () => {
    const { job: j } = build({ name: "a" + "b".repeat(62) });
    expect(warnings(j)).toEqual([]);
  });

  test("a name over 63 characters is only a warning: the job name limit is unverified", () => {
    const name = "a" + "b".repeat(69);
    const { stack, job: j } = build({ name });
    expect(warnings(j).join("\n")).toMatch(
      /name "a?b+" has 70 characters; the job name limit is unverified/,
    );
    expect(only(synth(stack), "google_cloud_run_v2_job").name).toBe(name);
  });

  test("a name with an underscore is rejected", () => {
    expect(() => build({ name: "nightly_report" })).toThrow(
      /CR_NAME: \[test\/report\] name is "nightly_report"; a name is 1–63 lowercase letters/,
    );
  });

  test("enables run.googleapis.com and waits for it", () => {
    const json = synth(build().stack);
    const apis = Object.values(resources(json, "google_project_service")).map((r) => r.service);
    expect(apis).toContain("run.googleapis.com");
    expect(apis).not.toContain("cloudscheduler.googleapis.com");
    const sleep = Object.keys(resources(json, "time_sleep"))[0];
    expect(only(json, "google_cloud_run_v2_job").depends_on).toContain(`time_sleep.${sleep}`);
  });
});

describe("CloudRunJob: secrets", () => {
  test("secret env vars write version latest explicitly (the provider requires it on jobs)", () => {
    expect(main(job({ secrets: { DB_PASS: { secret: "db-pass" } } })).env).toEqual([
      {
        name: "DB_PASS",
        value_source: { secret_key_ref: { secret: "db-pass", version: "latest" } },
      },
    ]);
  });

  test("a pinned secret version is written", () => {
    const env = main(job({ secrets: { DB_PASS: { secret: "db-pass", version: "4" } } })).env;
    expect(env[0].value_source.secret_key_ref.version).toBe("4");
  });

  test("the job identity gets secretAccessor on the secret and the job waits for it", () => {
    const json = synth(build({ secrets: { DB_PASS: { secret: "db-pass" } } }).stack);
    const grants = Object.entries(resources(json, "google_secret_manager_secret_iam_member"));
    expect(grants).toHaveLength(1);
    expect(grants[0][1]).toMatchObject({
      secret_id: "db-pass",
      role: "roles/secretmanager.secretAccessor",
    });
    expect(only(json, "google_cloud_run_v2_job").depends_on).toContain(
      `google_secret_manager_secret_iam_member.${grants[0][0]}`,
    );
  });
});

describe("CloudRunJob: imageManagedBy external", () => {
  test("deploys the job placeholder image when no image is given", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "report", { imageManagedBy: "external" });
    expect(main(only(synth(stack), "google_cloud_run_v2_job")).image).toBe(
      "us-docker.pkg.dev/cloudrun/container/job",
    );
  });

  test("ignores client, images, template labels/annotations and CI labels, but no revision", () => {
    const j = job({
      imageManagedBy: "external",
      sidecars: { proxy: { image: "us-docker.pkg.dev/acme-ci/apps/proxy:1" } },
    });
    expect(j.lifecycle.ignore_changes).toEqual([
      "client",
      "client_version",
      "template[0].template[0].containers[0].image",
      "template[0].template[0].containers[1].image",
      "template[0].labels",
      "template[0].annotations",
      'labels["commit-sha"]',
      'labels["build-id"]',
    ]);
  });
});

describe("CloudRunJob: grantRun", () => {
  test("grants roles/run.invoker (which holds run.jobs.run) on this job", () => {
    const { stack, job: j } = build();
    j.grantRun("group:ops@acme.example");
    const json = synth(stack);
    const m = only(json, "google_cloud_run_v2_job_iam_member");
    const id = Object.keys(resources(json, "google_cloud_run_v2_job"))[0];
    expect(m).toMatchObject({
      role: "roles/run.invoker",
      member: "group:ops@acme.example",
      name: `\${google_cloud_run_v2_job.${id}.name}`,
      location: `\${google_cloud_run_v2_job.${id}.location}`,
    });
  });

  test("is idempotent: granting twice yields one resource", () => {
    const { stack, job: j } = build();
    const a = j.grantRun("group:ops@acme.example");
    const b = j.grantRun("group:ops@acme.example");
    expect(a).toBe(b);
    expect(Object.keys(resources(synth(stack), "google_cloud_run_v2_job_iam_member"))).toHaveLength(
      1,
    );
  });

  test("is additive: never an _iam_binding or _iam_policy", () => {
    const { stack, job: j } = build();
    j.grantRun("group:ops@acme.example");
    j.grantRun("user:ana@acme.example");
    const json = synth(stack);
    expect(Object.keys(resources(json, "google_cloud_run_v2_job_iam_member"))).toHaveLength(2);
    expect(resources(json, "google_cloud_run_v2_job_iam_binding")).toEqual({});
    expect(resources(json, "google_cloud_run_v2_job_iam_policy")).toEqual({});
  });

  test("a workload is granted through its identity, with an id from its path", () => {
    const { stack, job: j } = build();
    const api = new CloudRunService(stack, "api", { image: IMAGE.replace("report", "api") });
    j.grantRun(api);
    const json = synth(stack);
    const [id, m] = Object.entries(resources(json, "google_cloud_run_v2_job_iam_member"))[0];
    expect(m.member).toMatch(
      /^serviceAccount:\$\{google_service_account\.api_ServiceAccount_\w+\.email\}$/,
    );
    expect(id).toContain("test-api-identity");
  });
});

describe("CloudRunJob: rejections", () => {
  test.each([0, 10001, 1.5])("tasks %p is rejected", (tasks) => {
    expect(() => build({ tasks })).toThrow(
      `CR_JOB_TASKS: [test/report] tasks is ${tasks}; Cloud Run allows 1–10,000 tasks per job execution`,
    );
  });

  test.each([-1, 2.5])("parallelism %p is rejected", (parallelism) => {
    expect(() => build({ parallelism, tasks: 10 })).toThrow(
      `CR_JOB_PARALLELISM: [test/report] parallelism is ${parallelism}; parallelism is a whole number ≥ 0`,
    );
  });

  test("parallelism above tasks fails synth", () => {
    const { stack } = build({ tasks: 5, parallelism: 6 });
    expect(() => synth(stack)).toThrow(
      "CR_JOB_PARALLELISM: [test/report] parallelism is 6; parallelism is 0 or at most tasks (5). Lower parallelism to 5 or less, or raise tasks.",
    );
  });

  test.each([11, -1, 1.5])("maxRetries %p is rejected", (maxRetries) => {
    expect(() => build({ maxRetries })).toThrow(
      `CR_JOB_MAX_RETRIES: [test/report] maxRetries is ${maxRetries}; Cloud Run allows 0–10 retries per task (a whole number). Set maxRetries between 0 and 10.`,
    );
  });

  test("a malformed taskTimeout is rejected", () => {
    expect(() => build({ taskTimeout: "ten minutes" })).toThrow(
      'CR_DURATION: [test/report] taskTimeout is "ten minutes"; a duration is',
    );
  });

  test.each(["169h", 0])("taskTimeout %p is rejected", (taskTimeout) => {
    expect(() => build({ taskTimeout })).toThrow(
      `CR_JOB_TASK_TIMEOUT: [test/report] taskTimeout is ${JSON.stringify(taskTimeout)}; Cloud Run allows a task timeout above 0 and up to 168h`,
    );
  });

  test("a GPU job with a task timeout over 1h fails synth", () => {
    const { stack } = build({ gpu: {}, cpu: 4, memory: "16Gi", taskTimeout: "2h" });
    expect(() => synth(stack)).toThrow(
      'CR_JOB_TASK_TIMEOUT: [test/report] taskTimeout is "2h"; with a GPU Cloud Run allows a task timeout of at most 1h',
    );
  });

  test("a GPU job with the default task timeout passes", () => {
    expect(task(job({ gpu: {}, cpu: 4, memory: "16Gi" })).timeout).toBe("600s");
  });

  test("gpu.zonalRedundancy true is rejected on a job", () => {
    expect(() => build({ gpu: { zonalRedundancy: true }, cpu: 4, memory: "16Gi" })).toThrow(
      "CR_JOB_GPU_ZONAL: [test/report] gpu.zonalRedundancy is true; Cloud Run jobs support only non-zonal GPU redundancy",
    );
  });

  test("a startup probe out of range is rejected", () => {
    expect(() => build({ startupProbe: { tcpSocket: {}, periodSeconds: 300 } })).toThrow(
      "CR_PROBE_RANGE: [test/report] startupProbe.periodSeconds is 300",
    );
  });

  test.each([
    "CLOUD_RUN_JOB",
    "CLOUD_RUN_EXECUTION",
    "CLOUD_RUN_TASK_INDEX",
    "CLOUD_RUN_TASK_ATTEMPT",
    "CLOUD_RUN_TASK_COUNT",
  ])("the reserved env name %s is rejected", (name) => {
    expect(() => build({ env: { [name]: "x" } })).toThrow(
      `CR_ENV_RESERVED: [test/report] env.${name} is "${name}"; Cloud Run sets ${name} itself`,
    );
  });

  test("a reserved name is rejected in secrets too", () => {
    expect(() => build({ secrets: { CLOUD_RUN_JOB: { secret: "s" } } })).toThrow(
      "CR_ENV_RESERVED: [test/report] secrets.CLOUD_RUN_JOB",
    );
  });

  test("a service's reserved names are fine on a job", () => {
    expect(main(job({ env: { K_SERVICE: "x", PORT: "1" } })).env).toHaveLength(2);
  });

  test("one synth lists every cross-prop problem", () => {
    const { stack } = build({
      tasks: 2,
      parallelism: 3,
      gpu: {},
      cpu: 4,
      memory: "16Gi",
      taskTimeout: "3h",
    });
    expect(() => synth(stack)).toThrow(/CR_JOB_PARALLELISM[\s\S]*CR_JOB_TASK_TIMEOUT/);
  });
});
