/** Bad-input cases of CloudRunJob; bad-input.test.ts runs them. */
import { CloudRunJob } from "@cdktf-cloud-run/constructs";
import { plainStack } from "../helpers";
import { type Case, IMAGE, job } from "./cases";

export const jobCases: Case[] = [
  // --- names ---
  {
    name: "job name with an underscore",
    build: () => job({ name: "nightly_report" }),
    expect: { code: "CR_NAME", prop: "name", value: '"nightly_report"' },
  },

  // --- enums ---
  {
    name: 'imageManagedBy "ci"',
    build: () => job({ imageManagedBy: "ci" }),
    expect: { code: "CR_IMAGE_MANAGED_BY", prop: "imageManagedBy", value: '"ci"' },
  },

  // --- env ---
  {
    name: "CLOUD_RUN_TASK_INDEX in env of a job",
    build: () => job({ env: { CLOUD_RUN_TASK_INDEX: "0" } }),
    expect: {
      code: "CR_ENV_RESERVED",
      prop: "env.CLOUD_RUN_TASK_INDEX",
      value: '"CLOUD_RUN_TASK_INDEX"',
    },
  },
  {
    name: "secret reference that is neither a name nor a path",
    build: () => job({ secrets: { TOKEN: { secret: "projects/acme/tokens/x" } } }),
    expect: {
      code: "CR_SECRET_REF",
      prop: "secrets.TOKEN.secret",
      value: '"projects/acme/tokens/x"',
    },
  },

  // --- cpuMemory ---
  {
    name: "cpu that is not a quantity",
    build: () => job({ cpu: "lots" }),
    expect: { code: "CR_QUANTITY", prop: "cpu", value: '"lots"' },
  },

  // --- gpu ---
  {
    name: "GPU job with zonal redundancy",
    build: () => job({ gpu: { zonalRedundancy: true }, cpu: 4, memory: "16Gi" }),
    expect: { code: "CR_JOB_GPU_ZONAL", prop: "gpu.zonalRedundancy", value: "true" },
  },

  // --- volumes ---
  {
    name: "Cloud SQL mounted outside /cloudsql",
    build: () =>
      job({
        volumes: {
          cloudsql: {
            type: "cloud-sql",
            instances: ["acme-test:us-central1:orders"],
            mountPath: "/sql",
          },
        },
      }),
    expect: { code: "CR_MOUNT_PATH", prop: "volumes.cloudsql.mountPath", value: '"/sql"' },
  },
  {
    name: "secret volume naming something that is not a secret",
    build: () =>
      job({
        volumes: {
          certs: { type: "secret", secret: "projects/acme/keys/tls", mountPath: "/certs" },
        },
      }),
    expect: {
      code: "CR_SECRET_REF",
      prop: "volumes.certs.secret",
      value: '"projects/acme/keys/tls"',
    },
  },

  // --- labels ---
  {
    name: "label in the run.googleapis.com namespace",
    build: () => job({ labels: { "run.googleapis.com/owner": "me" } }),
    expect: {
      code: "CR_LABEL_RESERVED",
      prop: "labels.run.googleapis.com/owner",
      value: '"run.googleapis.com/owner"',
    },
  },

  // --- images ---
  {
    name: 'image "repo@sha256:short"',
    build: () => job({ image: "repo@sha256:short" }),
    expect: { code: "CR_IMAGE_REF", prop: "image", value: '"repo@sha256:short"' },
  },

  // --- jobs ---
  {
    name: "job tasks 0",
    build: () => job({ tasks: 0 }),
    expect: { code: "CR_JOB_TASKS", prop: "tasks", value: "0" },
  },
  {
    name: "job tasks 10001",
    build: () => job({ tasks: 10001 }),
    expect: { code: "CR_JOB_TASKS", prop: "tasks", value: "10001" },
  },
  {
    name: "job maxRetries 11",
    build: () => job({ maxRetries: 11 }),
    expect: { code: "CR_JOB_MAX_RETRIES", prop: "maxRetries", value: "11" },
  },
  {
    name: 'job taskTimeout "200h"',
    build: () => job({ taskTimeout: "200h" }),
    expect: { code: "CR_JOB_TASK_TIMEOUT", prop: "taskTimeout", value: '"200h"' },
  },
  {
    name: 'GPU job with taskTimeout "2h"',
    build: () => job({ gpu: {}, cpu: 4, memory: "16Gi", taskTimeout: "2h" }),
    expect: { code: "CR_JOB_TASK_TIMEOUT", prop: "taskTimeout", value: '"2h"' },
  },
  {
    name: "job parallelism above tasks",
    build: () => job({ tasks: 3, parallelism: 5 }),
    expect: { code: "CR_JOB_PARALLELISM", prop: "parallelism", value: "5" },
  },
  {
    name: "job parallelism -1",
    build: () => job({ parallelism: -1 }),
    expect: { code: "CR_JOB_PARALLELISM", prop: "parallelism", value: "-1" },
  },
  {
    name: 'schedule cron "61 * * * *"',
    build: () => job({ schedule: { cron: "61 * * * *" } }),
    expect: { code: "CR_JOB_CRON", prop: "schedule.cron", value: '"61 * * * *"' },
  },
  {
    name: "schedule cron with 4 fields",
    build: () => job({ schedule: { cron: "0 3 * *" } }),
    expect: { code: "CR_JOB_CRON", prop: "schedule.cron", value: '"0 3 * *"' },
  },
  {
    name: 'schedule timeZone "Mars/Olympus"',
    build: () => job({ schedule: { cron: "0 3 * * *", timeZone: "Mars/Olympus" } }),
    expect: { code: "CR_JOB_TIME_ZONE", prop: "schedule.timeZone", value: '"Mars/Olympus"' },
  },

  // --- iam ---
  {
    name: "serviceAccount that is not an email",
    build: () => job({ serviceAccount: "runner" }),
    expect: { code: "CR_SERVICE_ACCOUNT", prop: "serviceAccount", value: '"runner"' },
  },

  // --- notDropped ---
  /**
   * Values that look harmless but would vanish from the output (or from the plan): each must fail
   * rather than synthesize without it.
   */
  {
    name: "secret env var with an empty secret name",
    build: () => job({ secrets: { DB_PASSWORD: { secret: "" } } }),
    expect: { code: "CR_SECRET_REF", prop: "secrets.DB_PASSWORD.secret", value: '""' },
  },
  {
    name: "NFS volume without a VPC to reach the server",
    build: () => job({ volumes: { share: { type: "nfs", server: "10.0.0.2", path: "/share" } } }),
    expect: { code: "CR_NFS_VPC", prop: "volumes.share", value: '"10.0.0.2"' },
  },
  {
    name: "a service prop on a job (timeout)",
    build: () => job({ timeout: "10m" }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "timeout", value: '"10m"' },
  },
  {
    name: "a misspelled job prop (maxRetry)",
    build: () => job({ maxRetry: 1 }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "maxRetry", value: "1" },
  },

  // --- untyped ---
  /** Values of the wrong type, as a JavaScript caller or a parsed config could pass them. */
  {
    name: "Cloud SQL volume without instances",
    build: () => job({ volumes: { cloudsql: { type: "cloud-sql", mountPath: "/cloudsql" } } }),
    expect: { code: "CR_CLOUD_SQL", prop: "volumes.cloudsql.instances", value: "not set" },
  },
  {
    name: "image that is a number",
    build: () => job({ image: 42 }),
    expect: { code: "CR_IMAGE_REF", prop: "image", value: "42" },
  },
  {
    name: "job args with a number",
    build: () => job({ args: ["--limit", 10] }),
    expect: { code: "CR_ARGS", prop: "args[1]", value: "10" },
  },
  {
    name: "schedule without cron",
    build: () => job({ schedule: { timeZone: "Etc/UTC" } }),
    expect: { code: "CR_JOB_CRON", prop: "schedule.cron", value: "not set" },
  },

  // --- javascript ---
  /**
   * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
   * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
   * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
   */
  {
    name: "env value that is a number",
    build: () => job({ env: { RETRIES: 3 } }),
    expect: { code: "CR_PROP_TYPE", prop: "env.RETRIES", value: "3" },
  },
  {
    name: "deletionProtection given as a string",
    build: () => job({ deletionProtection: "no" }),
    expect: { code: "CR_PROP_TYPE", prop: "deletionProtection", value: '"no"' },
  },
  {
    name: "job taskTimeout that is an object",
    build: () => job({ taskTimeout: { minutes: 5 } }),
    expect: { code: "CR_PROP_TYPE", prop: "taskTimeout", value: '{"minutes":5}' },
  },
  {
    name: "region that is not a region id",
    build: () => job({ region: "US Central" }),
    expect: { code: "CR_REGION", prop: "region", value: '"US Central"' },
  },
  {
    name: "grantRun with null",
    build: () => {
      const stack = plainStack();
      new CloudRunJob(stack, "report", { image: IMAGE }).grantRun(null as unknown as string);
    },
    expect: { code: "CR_PROP_TYPE", prop: "member", value: "null" },
  },

  // --- combined ---
  /** Several problems in one construct (or one stack, or one file): all in the one message. */
  {
    name: "cross-prop problems of a job (parallelism, GPU timeout, GPU CPU), listed by one synth",
    build: () =>
      job({ tasks: 2, parallelism: 4, gpu: {}, cpu: 2, memory: "16Gi", taskTimeout: "2h" }),
    expect: [
      { code: "CR_JOB_PARALLELISM", prop: "parallelism", value: "4" },
      { code: "CR_JOB_TASK_TIMEOUT", prop: "taskTimeout", value: '"2h"' },
      { code: "CR_GPU_CPU", prop: "cpu", value: "2" },
    ],
  },

  // --- parity ---
  {
    name: "encryptionKey that is not a string",
    build: () => job({ encryptionKey: 42 }),
    expect: { code: "CR_ENCRYPTION_KEY", prop: "encryptionKey", value: "42" },
  },
  {
    name: "sessionAffinity on a job",
    build: () => job({ sessionAffinity: true }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "sessionAffinity", value: "true" },
  },
  {
    name: "vpc.connector with an uppercase name",
    build: () => job({ vpc: { connector: "Run-Egress" } }),
    expect: { code: "CR_VPC_CONNECTOR", prop: "vpc.connector", value: '"Run-Egress"' },
  },
];
