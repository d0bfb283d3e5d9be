/** Bad-input cases of CloudRunService; bad-input.test.ts runs them. */
import { CloudRunJob, CloudRunService, WorkerPool } from "@cdktf-cloud-run/constructs";
import type { CloudRunServiceProps } from "@cdktf-cloud-run/constructs";
import { plainStack, synth } from "../helpers";
import { type Case, IMAGE, service, long } from "./cases";

export const serviceCases: Case[] = [
  // --- names ---
  {
    name: "service name over 49 characters",
    build: () => service({ name: long(50) }),
    expect: { code: "CR_NAME", prop: "name", value: `"${long(50)}"` },
  },
  {
    name: "service name with uppercase letters",
    build: () => service({ name: "Api" }),
    expect: { code: "CR_NAME", prop: "name", value: '"Api"' },
  },
  {
    name: "service name ending with a hyphen",
    build: () => service({ name: "api-" }),
    expect: { code: "CR_NAME", prop: "name", value: '"api-"' },
  },
  {
    name: "service name derived from a construct id that is not a valid name",
    build: () => service({}, "my_api"),
    expect: { code: "CR_NAME", prop: "name", value: '"my_api"' },
  },
  {
    name: "sidecar name that is not a DNS label",
    build: () => service({ sidecars: { Proxy: { image: IMAGE } } }),
    expect: { code: "CR_CONTAINER_NAME", prop: "sidecars.Proxy", value: '"Proxy"' },
  },
  {
    name: "volume name that is not a DNS label",
    build: () => service({ volumes: { Data: { type: "in-memory" } } }),
    expect: { code: "CR_VOLUME_NAME", prop: "volumes.Data", value: '"Data"' },
  },

  // --- limits ---
  {
    name: "concurrency 0",
    build: () => service({ concurrency: 0 }),
    expect: { code: "CR_SERVICE_CONCURRENCY", prop: "concurrency", value: "0" },
  },
  {
    name: "concurrency 1001",
    build: () => service({ concurrency: 1001 }),
    expect: { code: "CR_SERVICE_CONCURRENCY", prop: "concurrency", value: "1001" },
  },
  {
    name: 'request timeout "2h" on a service',
    build: () => service({ timeout: "2h" }),
    expect: { code: "CR_SERVICE_TIMEOUT", prop: "timeout", value: '"2h"' },
  },
  {
    name: "request timeout that is not a duration",
    build: () => service({ timeout: "soon" }),
    expect: { code: "CR_DURATION", prop: "timeout", value: '"soon"' },
  },
  {
    name: "minInstances above maxInstances",
    build: () => service({ minInstances: 5, maxInstances: 2 }),
    expect: { code: "CR_SERVICE_SCALING", prop: "minInstances", value: "5" },
  },
  {
    name: "negative minInstances",
    build: () => service({ minInstances: -1 }),
    expect: { code: "CR_SERVICE_INSTANCES", prop: "minInstances", value: "-1" },
  },
  {
    name: "maxInstances 0",
    build: () => service({ maxInstances: 0 }),
    expect: { code: "CR_SERVICE_INSTANCES", prop: "maxInstances", value: "0" },
  },
  {
    name: "port 0",
    build: () => service({ port: 0 }),
    expect: { code: "CR_PORT", prop: "port", value: "0" },
  },
  {
    name: "port 70000",
    build: () => service({ port: 70000 }),
    expect: { code: "CR_PORT", prop: "port", value: "70000" },
  },
  {
    name: "probe period above the startup-probe maximum",
    build: () => service({ startupProbe: { tcpSocket: {}, periodSeconds: 300 } }),
    expect: { code: "CR_PROBE_RANGE", prop: "startupProbe.periodSeconds", value: "300" },
  },
  {
    name: "probe with two actions",
    build: () => service({ livenessProbe: { httpGet: {}, tcpSocket: {} } }),
    expect: { code: "CR_PROBE_ACTION", prop: "livenessProbe", value: '"httpGet and tcpSocket"' },
  },
  {
    name: "description over 512 characters",
    build: () => service({ description: "x".repeat(513) }),
    expect: { code: "CR_SERVICE_DESCRIPTION", prop: "description", value: '"513 characters"' },
  },

  // --- enums ---
  {
    name: 'ingress "public"',
    build: () => service({ ingress: "public" }),
    expect: { code: "CR_SERVICE_INGRESS", prop: "ingress", value: '"public"' },
  },
  {
    name: 'executionEnvironment "gen3"',
    build: () => service({ executionEnvironment: "gen3" }),
    expect: {
      code: "CR_SERVICE_EXECUTION_ENVIRONMENT",
      prop: "executionEnvironment",
      value: '"gen3"',
    },
  },

  // --- env ---
  {
    name: "PORT in env of a service",
    build: () => service({ env: { PORT: "9000" } }),
    expect: { code: "CR_ENV_RESERVED", prop: "env.PORT", value: '"PORT"' },
  },
  {
    name: "K_SERVICE in env of a service",
    build: () => service({ env: { K_SERVICE: "api" } }),
    expect: { code: "CR_ENV_RESERVED", prop: "env.K_SERVICE", value: '"K_SERVICE"' },
  },
  {
    name: "K_REVISION as a secret env var of a service",
    build: () => service({ secrets: { K_REVISION: { secret: "rev" } } }),
    expect: { code: "CR_ENV_RESERVED", prop: "secrets.K_REVISION", value: '"K_REVISION"' },
  },
  {
    name: 'env var named "1BAD"',
    build: () => service({ env: { "1BAD": "x" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.1BAD", value: '"1BAD"' },
  },
  {
    name: 'secret version "v1!"',
    build: () => service({ secrets: { DB_PASSWORD: { secret: "db-pass", version: "v1!" } } }),
    expect: { code: "CR_SECRET_VERSION", prop: "secrets.DB_PASSWORD.version", value: '"v1!"' },
  },
  {
    name: "the same name in env and secrets",
    build: () => service({ env: { DB: "x" }, secrets: { DB: { secret: "db" } } }),
    expect: { code: "CR_ENV_DUPLICATE", prop: "secrets.DB", value: '"DB"' },
  },

  // --- cpuMemory ---
  {
    name: 'cpu "3"',
    build: () => service({ cpu: "3" }),
    expect: { code: "CR_CPU", prop: "cpu", value: "3" },
  },
  {
    name: 'memory "64Gi"',
    build: () => service({ cpu: 8, memory: "64Gi" }),
    expect: { code: "CR_MEMORY", prop: "memory", value: '"64Gi"' },
  },
  {
    name: "memory as a bare number (bytes or GiB is ambiguous)",
    build: () => service({ memory: 512 }),
    expect: { code: "CR_QUANTITY", prop: "memory", value: "512" },
  },
  {
    name: 'memory "8Gi" with cpu 1',
    build: () => service({ cpu: 1, memory: "8Gi" }),
    expect: { code: "CR_CPU_MEMORY", prop: "memory", value: '"8Gi"' },
  },
  {
    name: 'cpu "0.5" with concurrency 80',
    build: () => service({ cpu: "0.5", concurrency: 80 }),
    expect: { code: "CR_SERVICE_FRACTIONAL_CPU", prop: "concurrency", value: "80" },
  },
  {
    name: 'sidecar cpu "3"',
    build: () => service({ sidecars: { proxy: { image: IMAGE, cpu: "3" } } }),
    expect: { code: "CR_CPU", prop: "sidecars.proxy.cpu", value: "3" },
  },

  // --- gpu ---
  {
    name: "GPU with cpu 2",
    build: () => service({ gpu: {}, cpu: 2, memory: "16Gi", cpuThrottling: false }),
    expect: { code: "CR_GPU_CPU", prop: "cpu", value: "2" },
  },
  {
    name: "GPU with cpuThrottling true",
    build: () => service({ gpu: {}, cpu: 4, memory: "16Gi", cpuThrottling: true }),
    expect: { code: "CR_SERVICE_GPU_THROTTLING", prop: "cpuThrottling", value: "true" },
  },
  {
    name: 'gpu type "nvidia-a100"',
    build: () => service({ gpu: { type: "nvidia-a100" }, cpu: 4, memory: "16Gi" }),
    expect: { code: "CR_GPU_TYPE", prop: "gpu.type", value: '"nvidia-a100"' },
  },

  // --- traffic ---
  {
    name: "traffic summing to 90",
    build: () =>
      service({
        traffic: [
          { percent: 60, latest: true },
          { percent: 30, revision: "api-00001-abc" },
        ],
      }),
    expect: { code: "CR_SERVICE_TRAFFIC_SUM", prop: "traffic", value: '"percents summing to 90"' },
  },
  {
    name: "traffic tag too long for the service name",
    build: () =>
      service({ traffic: [{ percent: 100, latest: true, tag: `canary-${"x".repeat(40)}` }] }),
    expect: {
      code: "CR_SERVICE_TRAFFIC_TAG",
      prop: "traffic[0].tag",
      value: `"canary-${"x".repeat(40)}"`,
    },
  },
  {
    name: "traffic target without a revision",
    build: () => service({ traffic: [{ percent: 100 }] }),
    expect: { code: "CR_SERVICE_TRAFFIC_TARGET", prop: "traffic[0].revision", value: "not set" },
  },
  {
    name: "traffic percent 120",
    build: () => service({ traffic: [{ percent: 120, latest: true }] }),
    expect: { code: "CR_SERVICE_TRAFFIC", prop: "traffic[0].percent", value: "120" },
  },
  {
    name: "the same traffic tag twice",
    build: () =>
      service({
        traffic: [
          { percent: 50, latest: true, tag: "blue" },
          { percent: 50, revision: "api-00001-abc", tag: "blue" },
        ],
      }),
    expect: { code: "CR_SERVICE_TRAFFIC_TAG", prop: "traffic[1].tag", value: '"blue"' },
  },

  // --- volumes ---
  {
    name: "sidecar mount naming an unknown volume",
    build: () =>
      service({
        volumes: { cache: { type: "in-memory" } },
        sidecars: { proxy: { image: IMAGE, volumeMounts: { scratch: "/scratch" } } },
      }),
    expect: {
      code: "CR_MOUNT_VOLUME",
      prop: "sidecars.proxy.volumeMounts.scratch",
      value: '"scratch"',
    },
  },
  {
    name: "malformed Cloud SQL connection name",
    build: () =>
      service({
        volumes: {
          cloudsql: { type: "cloud-sql", instances: ["orders-db"], mountPath: "/cloudsql" },
        },
      }),
    expect: { code: "CR_CLOUD_SQL", prop: "volumes.cloudsql.instances", value: '"orders-db"' },
  },
  {
    name: 'mount path "/proc/x"',
    build: () => service({ volumes: { data: { type: "in-memory", mountPath: "/proc/x" } } }),
    expect: { code: "CR_MOUNT_PATH", prop: "volumes.data.mountPath", value: '"/proc/x"' },
  },
  {
    name: 'secret volume item version "v1!"',
    build: () =>
      service({
        volumes: {
          certs: {
            type: "secret",
            secret: "tls",
            items: { "cert.pem": "v1!" },
            mountPath: "/certs",
          },
        },
      }),
    expect: { code: "CR_SECRET_VERSION", prop: "volumes.certs.items.cert.pem", value: '"v1!"' },
  },
  {
    name: "secret volume file mode above 0o777",
    build: () =>
      service({ volumes: { certs: { type: "secret", secret: "tls", defaultMode: 0o1000 } } }),
    expect: { code: "CR_SECRET_MODE", prop: "volumes.certs.defaultMode", value: "512" },
  },

  // --- labels ---
  {
    name: 'label key "Team"',
    build: () => service({ labels: { Team: "platform" } }),
    expect: { code: "CR_LABEL_KEY", prop: "labels.Team", value: '"Team"' },
  },

  // --- images ---
  {
    name: 'image "UPPER/Case:tag"',
    build: () => service({ image: "UPPER/Case:tag" }),
    expect: { code: "CR_IMAGE_REF", prop: "image", value: '"UPPER/Case:tag"' },
  },

  // --- iam ---
  {
    name: "service invokers with a wrongly cased special member",
    build: () => service({ invokers: ["allusers"] }),
    expect: { code: "CR_IAM_MEMBER", prop: "member", value: '"allusers"' },
  },

  // --- notDropped ---
  /**
   * Values that look harmless but would vanish from the output (or from the plan): each must fail
   * rather than synthesize without it.
   */
  {
    name: "env var with an empty name",
    build: () => service({ env: { "": "x" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.", value: '""' },
  },
  {
    name: "label with an empty key",
    build: () => service({ labels: { "": "x" } }),
    expect: { code: "CR_LABEL_KEY", prop: "labels.", value: '""' },
  },
  {
    name: "traffic target with both latest and a revision",
    build: () => service({ traffic: [{ percent: 100, latest: true, revision: "api-00001-abc" }] }),
    expect: {
      code: "CR_SERVICE_TRAFFIC_TARGET",
      prop: "traffic[0]",
      value: '{"latest":true,"revision":"api-00001-abc"}',
    },
  },
  {
    name: "startAfter naming a container that does not exist",
    build: () => service({ startAfter: ["db"], sidecars: { proxy: { image: IMAGE } } }),
    expect: { code: "CR_START_AFTER", prop: "startAfter", value: '"db"' },
  },
  {
    name: "vpc without network or subnetwork",
    build: () => service({ vpc: { tags: ["web"] } }),
    expect: { code: "CR_VPC", prop: "vpc", value: '{"tags":["web"]}' },
  },
  {
    name: "binaryAuthorization with both useDefault and policy",
    build: () =>
      service({
        binaryAuthorization: {
          useDefault: true,
          policy: "projects/p/platforms/cloudRun/policies/x",
        },
      }),
    expect: {
      code: "CR_BINARY_AUTHORIZATION",
      prop: "binaryAuthorization",
      value: '{"useDefault":true,"policy":"projects/p/platforms/cloudRun/policies/x"}',
    },
  },
  {
    name: "volume of an unknown type (it would be written with no source)",
    build: () => service({ volumes: { scratch: { type: "ramdisk", mountPath: "/scratch" } } }),
    expect: { code: "CR_VOLUME_TYPE", prop: "volumes.scratch.type", value: '"ramdisk"' },
  },
  {
    name: "a port on a sidecar (only the ingress container has one)",
    build: () => service({ sidecars: { proxy: { image: IMAGE, port: 9000 } } }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "sidecars.proxy.port", value: "9000" },
  },

  // --- untyped ---
  /** Values of the wrong type, as a JavaScript caller or a parsed config could pass them. */
  {
    name: "secret env var given as a string instead of { secret }",
    build: () => service({ secrets: { DB_PASSWORD: "db-pass" } }),
    expect: { code: "CR_SECRET_REF", prop: "secrets.DB_PASSWORD.secret", value: "not set" },
  },
  {
    name: "service with a job prop (tasks)",
    build: () => service({ tasks: 3 }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "tasks", value: "3" },
  },
  {
    name: "service with a worker pool prop (instances)",
    build: () => service({ instances: 2 }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "instances", value: "2" },
  },
  {
    name: "service traffic that is not a list",
    build: () => service({ traffic: { percent: 100 } }),
    expect: { code: "CR_NOT_A_LIST", prop: "traffic", value: '{"percent":100}' },
  },
  {
    name: "service customAudiences that is not a list",
    build: () => service({ customAudiences: "https://x" }),
    expect: { code: "CR_NOT_A_LIST", prop: "customAudiences", value: '"https://x"' },
  },
  {
    name: "service invokers that is not a list",
    build: () => service({ invokers: "user:a@acme.example" }),
    expect: { code: "CR_NOT_A_LIST", prop: "invokers", value: '"user:a@acme.example"' },
  },

  // --- javascript ---
  /**
   * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
   * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
   * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
   */
  {
    name: "minInstances 1e21",
    build: () => service({ minInstances: 1e21 }),
    expect: { code: "CR_PROP_TYPE", prop: "minInstances", value: "1e+21" },
  },
  {
    name: "command with a null entry",
    build: () => service({ command: [null] }),
    expect: { code: "CR_PROP_TYPE", prop: "command[0]", value: "null" },
  },
  {
    name: "env value null",
    build: () => service({ env: { A: null } }),
    expect: { code: "CR_PROP_TYPE", prop: "env.A", value: "null" },
  },
  {
    name: "a null volume",
    build: () => service({ volumes: { data: null } }),
    expect: { code: "CR_PROP_TYPE", prop: "volumes.data", value: "null" },
  },
  {
    name: "a null sidecar",
    build: () => service({ sidecars: { proxy: null } }),
    expect: { code: "CR_PROP_TYPE", prop: "sidecars.proxy", value: "null" },
  },
  {
    name: "sidecars given as a list",
    build: () => service({ sidecars: ["proxy"] }),
    expect: { code: "CR_PROP_TYPE", prop: "sidecars", value: '["proxy"]' },
  },
  {
    name: "a null traffic target",
    build: () => service({ traffic: [null] }),
    expect: { code: "CR_PROP_TYPE", prop: "traffic[0]", value: "null" },
  },
  {
    name: "a misspelt key in a traffic target",
    build: () => service({ traffic: [{ percent: 100, latest: true, tagg: "blue" }] }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "traffic[0].tagg", value: '"blue"' },
  },
  {
    name: "args given as a string",
    build: () => service({ args: "x" }),
    expect: { code: "CR_NOT_A_LIST", prop: "args", value: '"x"' },
  },
  {
    name: 'allowUnauthenticated given as the string "false" (truthy)',
    build: () => service({ allowUnauthenticated: "false" }),
    expect: { code: "CR_PROP_TYPE", prop: "allowUnauthenticated", value: '"false"' },
  },
  {
    name: "a probe httpGet that is null",
    build: () => service({ livenessProbe: { httpGet: null } }),
    expect: { code: "CR_PROP_TYPE", prop: "livenessProbe.httpGet", value: "null" },
  },
  {
    name: "a probe header that is null",
    build: () => service({ startupProbe: { httpGet: { headers: { "X-A": null } } } }),
    expect: { code: "CR_PROP_TYPE", prop: "startupProbe.httpGet.headers.X-A", value: "null" },
  },
  {
    name: "a mount path that is a number",
    build: () => service({ volumes: { tmp: { type: "in-memory", mountPath: 42 } } }),
    expect: { code: "CR_PROP_TYPE", prop: "volumes.tmp.mountPath", value: "42" },
  },
  {
    name: "cpu that is an object",
    build: () => service({ cpu: {} }),
    expect: { code: "CR_PROP_TYPE", prop: "cpu", value: "{}" },
  },
  {
    name: "description null",
    build: () => service({ description: null }),
    expect: { code: "CR_PROP_TYPE", prop: "description", value: "null" },
  },
  {
    name: "serviceAccount that is an empty string",
    build: () => service({ serviceAccount: "" }),
    expect: { code: "CR_SERVICE_ACCOUNT", prop: "serviceAccount", value: '""' },
  },
  {
    name: "project that is not a project id",
    build: () => service({ project: "${var.project}" }),
    expect: { code: "CR_PROJECT", prop: "project", value: '"${var.project}"' },
  },
  {
    name: "ciLabels entry that is not a label key",
    build: () => service({ imageManagedBy: "external", ciLabels: ["Commit SHA"] }),
    expect: { code: "CR_LABEL_KEY", prop: "ciLabels[0]", value: '"Commit SHA"' },
  },
  {
    name: "service props that are null",
    build: () => {
      const stack = plainStack();
      new CloudRunService(stack, "api", null as unknown as CloudRunServiceProps);
    },
    expect: { code: "CR_PROP_TYPE", prop: "props", value: "null" },
  },
  {
    name: "onEvent with null options",
    build: () => {
      const stack = plainStack();
      const api = new CloudRunService(stack, "api", { image: IMAGE });
      api.onEvent("uploads", null as unknown as Parameters<typeof api.onEvent>[1]);
    },
    expect: { code: "CR_PROP_TYPE", prop: "options", value: "null" },
  },

  // --- combined ---
  /** Several problems in one construct (or one stack, or one file): all in the one message. */
  {
    name: "three single-prop problems of one service, thrown together",
    build: () => service({ name: "Bad_Name", concurrency: 0, port: 70000 }),
    expect: [
      { code: "CR_NAME", prop: "name", value: '"Bad_Name"' },
      { code: "CR_SERVICE_CONCURRENCY", prop: "concurrency", value: "0" },
      { code: "CR_PORT", prop: "port", value: "70000" },
    ],
  },
  {
    name: "three cross-prop problems of one service, listed by one synth",
    build: () =>
      service({
        minInstances: 5,
        maxInstances: 2,
        cpu: "0.5",
        concurrency: 80,
        traffic: [
          { percent: 60, latest: true },
          { percent: 30, revision: "api-00001-abc" },
        ],
      }),
    expect: [
      { code: "CR_SERVICE_SCALING", prop: "minInstances", value: "5" },
      { code: "CR_SERVICE_FRACTIONAL_CPU", prop: "concurrency", value: "80" },
      { code: "CR_SERVICE_TRAFFIC_SUM", prop: "traffic", value: '"percents summing to 90"' },
    ],
  },
  {
    name: "cross-prop problems of a service, a job and a worker pool in one stack",
    build: () => {
      const stack = plainStack();
      new CloudRunService(stack, "api", { image: IMAGE, minInstances: 3, maxInstances: 1 });
      new CloudRunJob(stack, "report", { image: IMAGE, tasks: 1, parallelism: 2 });
      new WorkerPool(stack, "pool", { image: IMAGE, cpu: 1, memory: "8Gi" });
      synth(stack);
    },
    expect: [
      { code: "CR_SERVICE_SCALING", prop: "minInstances", value: "3" },
      { code: "CR_JOB_PARALLELISM", prop: "parallelism", value: "2" },
      { code: "CR_CPU_MEMORY", prop: "memory", value: '"8Gi"' },
    ],
  },

  // --- parity ---
  {
    name: "encryptionKey that is a key ring, not a key",
    build: () => service({ encryptionKey: "projects/acme-kms/locations/us-central1/keyRings/run" }),
    expect: {
      code: "CR_ENCRYPTION_KEY",
      prop: "encryptionKey",
      value: '"projects/acme-kms/locations/us-central1/keyRings/run"',
    },
  },
  {
    name: 'sessionAffinity "yes"',
    build: () => service({ sessionAffinity: "yes" }),
    expect: { code: "CR_SESSION_AFFINITY", prop: "sessionAffinity", value: '"yes"' },
  },
  {
    name: "vpc.connector together with vpc.subnetwork",
    build: () => service({ vpc: { connector: "run-egress", subnetwork: "run" } }),
    expect: { code: "CR_VPC", prop: "vpc.connector", value: '"run-egress"' },
  },
  {
    name: "vpc.connector in another region",
    build: () =>
      service({ vpc: { connector: "projects/acme-host/locations/us-east1/connectors/shared" } }),
    expect: {
      code: "CR_VPC_CONNECTOR_REGION",
      prop: "vpc.connector",
      value: '"projects/acme-host/locations/us-east1/connectors/shared"',
    },
  },
];
