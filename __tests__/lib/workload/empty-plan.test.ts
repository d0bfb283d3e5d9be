/**
 * What the constructs write so the second plan is empty (docs/empty-plan.md): attributes the
 * API fills in that provider 6.50 reads back.
 */
import {
  CloudRunJob,
  CloudRunService,
  CloudRunServiceProps,
  WorkerPool,
} from "@cdktf-cloud-run/constructs";
import { only, plainStack, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function service(props: Partial<CloudRunServiceProps> = {}): Json {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_service") as Json;
}

describe("template.scaling.max_instance_count (provider issue #18969)", () => {
  test("minInstances alone writes max_instance_count 100, the API's default", () => {
    expect(service({ minInstances: 1 }).template.scaling).toEqual({
      min_instance_count: 1,
      max_instance_count: 100,
    });
  });

  test("neither bound given still writes max_instance_count 100", () => {
    expect(service().template.scaling.max_instance_count).toBe(100);
  });

  test("maxInstances is written as given", () => {
    expect(service({ maxInstances: 7 }).template.scaling.max_instance_count).toBe(7);
  });

  test("a GPU service without maxInstances leaves it to the API and ignores it", () => {
    const s = service({ gpu: { type: "nvidia-l4" }, cpu: 4, memory: "16Gi" });
    expect(s.template.scaling).toEqual({ min_instance_count: 0 });
    expect(s.lifecycle.ignore_changes).toContain("template[0].scaling[0].max_instance_count");
  });

  test("a GPU service with maxInstances writes it and ignores nothing", () => {
    const s = service({ gpu: { type: "nvidia-l4" }, cpu: 4, memory: "16Gi", maxInstances: 2 });
    expect(s.template.scaling.max_instance_count).toBe(2);
    expect(s.lifecycle).toBeUndefined();
  });
});

describe("service-level scaling", () => {
  test("scaling_mode AUTOMATIC and min_instance_count are always written", () => {
    expect(service().scaling).toEqual({ min_instance_count: 0, scaling_mode: "AUTOMATIC" });
    expect(service({ minInstances: 3 }).scaling).toEqual({
      min_instance_count: 3,
      scaling_mode: "AUTOMATIC",
    });
  });
});

describe("launch_stage and worker-pool scaling", () => {
  test("no service, job or worker pool writes launch_stage", () => {
    const stack = plainStack();
    new CloudRunService(stack, "api", { image: IMAGE });
    new CloudRunJob(stack, "job", { image: IMAGE });
    new WorkerPool(stack, "pool", { image: IMAGE });
    const json = synth(stack);
    for (const type of [
      "google_cloud_run_v2_service",
      "google_cloud_run_v2_job",
      "google_cloud_run_v2_worker_pool",
    ])
      expect(only(json, type)).not.toHaveProperty("launch_stage");
  });

  test("a worker pool writes the manual count only, never scaling_mode", () => {
    const stack = plainStack();
    new WorkerPool(stack, "pool", { image: IMAGE, instances: 2 });
    expect(only(synth(stack), "google_cloud_run_v2_worker_pool").scaling).toEqual({
      manual_instance_count: 2,
    });
  });
});

describe("other attributes the API fills in", () => {
  test("cpu_idle, limits, port and ingress are always written on a service", () => {
    const s = service();
    expect(s.template.containers[0].resources).toEqual({
      cpu_idle: true,
      limits: { cpu: "1", memory: "512Mi" },
    });
    expect(s.template.containers[0].ports).toEqual({ container_port: 8080 });
    expect(s.ingress).toBe("INGRESS_TRAFFIC_ALL");
  });

  test("a scheduled job writes time_zone and max_retries", () => {
    const stack = plainStack();
    new CloudRunJob(stack, "job", { image: IMAGE, schedule: { cron: "0  3 * * *" } });
    const json = synth(stack);
    const scheduler = only(json, "google_cloud_scheduler_job");
    expect(scheduler.time_zone).toBe("Etc/UTC");
    expect(scheduler.schedule).toBe("0 3 * * *");
    const job = only(json, "google_cloud_run_v2_job") as Json;
    expect(job.template.template.max_retries).toBe(3);
  });
});
