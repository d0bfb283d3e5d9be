/**
 * The bad-input contract (issue 6): every invalid configuration fed through the public API fails
 * with a ConfigError, an EnvironmentFileError or cdktf's validation error (never a bare
 * TypeError or stack trace), and the message names the prop and the value as written. Values
 * that look harmless but would vanish from the output fail too, instead of being dropped.
 *
 * Each case builds into a fresh plain stack and synthesizes it with validations on, so
 * single-prop problems (thrown in constructors) and cross-prop problems (reported at synth)
 * are both covered.
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import {
  ArtifactRepository,
  Checks,
  CloudRunJob,
  CloudRunService,
  ConfigError,
  IamBinding,
  WorkerPool,
  grantDeployers,
  grantRunBuilder,
} from "@cdktf-cloud-run/constructs";
import type {
  CloudRunJobProps,
  CloudRunServiceProps,
  WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import { EnvironmentFileError, loadEnvironment, parseEnvironment } from "../stacks/environment";
import { EnvironmentStack } from "../stacks/environment-stack";
import { plainStack, synth } from "./helpers";

// ---------------------------------------------------------------------------------------------
// Builders: one construct in a fresh plain stack, then synth (validations on).
// ---------------------------------------------------------------------------------------------

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;
const ENV_FILE = "environments/bad.yaml";
const FIXTURES = path.join(__dirname, "fixtures", "bad-input");
const DEV_YAML = fs.readFileSync(path.join(__dirname, "..", "environments", "dev.yaml"), "utf8");

/** Props as a JavaScript caller or a parsed config file might pass them (no compile-time check). */
type Loose<T> = { [K in keyof T]?: unknown } & Record<string, unknown>;

function service(props: Loose<CloudRunServiceProps>, id = "api"): void {
  const stack = plainStack();
  new CloudRunService(stack, id, { image: IMAGE, ...props } as CloudRunServiceProps);
  synth(stack);
}

function job(props: Loose<CloudRunJobProps>, id = "report"): void {
  const stack = plainStack();
  new CloudRunJob(stack, id, { image: IMAGE, ...props } as CloudRunJobProps);
  synth(stack);
}

function pool(props: Loose<WorkerPoolProps>, id = "pool"): void {
  const stack = plainStack();
  new WorkerPool(stack, id, { image: IMAGE, ...props } as WorkerPoolProps);
  synth(stack);
}

function envFile(yaml: string): void {
  parseEnvironment(yaml, ENV_FILE);
}

/** A valid minimal environment file plus `extra` lines. */
const ENV_OK = "project: acme-test\nregion: us-central1\ntier: dev\n";

/** The shipped dev environment with `extra` YAML appended, through the full EnvironmentStack. */
function devStack(extra: string): void {
  const env = parseEnvironment(`${DEV_YAML}\n${extra}`, "environments/dev.yaml");
  synth(new EnvironmentStack(Testing.app(), env));
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

interface Expected {
  /** Stable error code (ConfigError and validation messages). */
  readonly code?: string;
  /** The prop (or key path of an environment file) named in the message. */
  readonly prop: string;
  /** The offending value, rendered as the message shows it (strings quoted). */
  readonly value: string;
}

interface Case {
  readonly name: string;
  readonly build: () => void;
  /** One problem, or several that must all appear in the one message a single synth throws. */
  readonly expect: Expected | readonly Expected[];
}

const long = (n: number) => `a${"b".repeat(n - 1)}`;

const names: Case[] = [
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
    name: "job name with an underscore",
    build: () => job({ name: "nightly_report" }),
    expect: { code: "CR_NAME", prop: "name", value: '"nightly_report"' },
  },
  {
    name: "worker pool name over 49 characters",
    build: () => pool({ name: long(50) }),
    expect: { code: "CR_NAME", prop: "name", value: `"${long(50)}"` },
  },
  {
    name: "artifact repository name with uppercase and underscore",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { name: "Bad_Name" });
      synth(stack);
    },
    expect: { code: "CR_NAME", prop: "name", value: '"Bad_Name"' },
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
];

const limits: Case[] = [
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
];

const enums: Case[] = [
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
  {
    name: 'imageManagedBy "ci"',
    build: () => job({ imageManagedBy: "ci" }),
    expect: { code: "CR_IMAGE_MANAGED_BY", prop: "imageManagedBy", value: '"ci"' },
  },
  {
    name: 'vpc.egress "everything"',
    build: () => pool({ vpc: { network: "default", egress: "everything" } }),
    expect: { code: "CR_VPC_EGRESS", prop: "vpc.egress", value: '"everything"' },
  },
];

const env: Case[] = [
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
    name: "CLOUD_RUN_TASK_INDEX in env of a job",
    build: () => job({ env: { CLOUD_RUN_TASK_INDEX: "0" } }),
    expect: {
      code: "CR_ENV_RESERVED",
      prop: "env.CLOUD_RUN_TASK_INDEX",
      value: '"CLOUD_RUN_TASK_INDEX"',
    },
  },
  {
    name: 'env var named "1BAD"',
    build: () => service({ env: { "1BAD": "x" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.1BAD", value: '"1BAD"' },
  },
  {
    name: "env var in the X_GOOGLE_ namespace",
    build: () => pool({ env: { X_GOOGLE_TRACE: "1" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.X_GOOGLE_TRACE", value: '"X_GOOGLE_TRACE"' },
  },
  {
    name: 'secret version "v1!"',
    build: () => service({ secrets: { DB_PASSWORD: { secret: "db-pass", version: "v1!" } } }),
    expect: { code: "CR_SECRET_VERSION", prop: "secrets.DB_PASSWORD.version", value: '"v1!"' },
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
  {
    name: "the same name in env and secrets",
    build: () => service({ env: { DB: "x" }, secrets: { DB: { secret: "db" } } }),
    expect: { code: "CR_ENV_DUPLICATE", prop: "secrets.DB", value: '"DB"' },
  },
];

const cpuMemory: Case[] = [
  {
    name: 'cpu "3"',
    build: () => service({ cpu: "3" }),
    expect: { code: "CR_CPU", prop: "cpu", value: "3" },
  },
  {
    name: "cpu that is not a quantity",
    build: () => job({ cpu: "lots" }),
    expect: { code: "CR_QUANTITY", prop: "cpu", value: '"lots"' },
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
];

const gpu: Case[] = [
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
  {
    name: "nvidia-l4 GPU with 8Gi of memory",
    build: () => pool({ gpu: {}, cpu: 4, memory: "8Gi" }),
    expect: { code: "CR_GPU_MEMORY", prop: "memory", value: '"8Gi"' },
  },
  {
    name: "GPU job with zonal redundancy",
    build: () => job({ gpu: { zonalRedundancy: true }, cpu: 4, memory: "16Gi" }),
    expect: { code: "CR_JOB_GPU_ZONAL", prop: "gpu.zonalRedundancy", value: "true" },
  },
];

const traffic: Case[] = [
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
];

const volumes: Case[] = [
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
    name: 'mount path "/proc/x"',
    build: () => service({ volumes: { data: { type: "in-memory", mountPath: "/proc/x" } } }),
    expect: { code: "CR_MOUNT_PATH", prop: "volumes.data.mountPath", value: '"/proc/x"' },
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
    name: "in-memory volume size that is not a quantity",
    build: () => pool({ volumes: { scratch: { type: "in-memory", sizeLimit: "lots" } } }),
    expect: { code: "CR_QUANTITY", prop: "volumes.scratch.sizeLimit", value: '"lots"' },
  },
  {
    name: "secret volume file mode above 0o777",
    build: () =>
      service({ volumes: { certs: { type: "secret", secret: "tls", defaultMode: 0o1000 } } }),
    expect: { code: "CR_SECRET_MODE", prop: "volumes.certs.defaultMode", value: "512" },
  },
];

const labels: Case[] = [
  {
    name: 'label key "Team"',
    build: () => service({ labels: { Team: "platform" } }),
    expect: { code: "CR_LABEL_KEY", prop: "labels.Team", value: '"Team"' },
  },
  {
    name: "label in the run.googleapis.com namespace",
    build: () => job({ labels: { "run.googleapis.com/owner": "me" } }),
    expect: {
      code: "CR_LABEL_RESERVED",
      prop: "labels.run.googleapis.com/owner",
      value: '"run.googleapis.com/owner"',
    },
  },
  {
    name: "label value with spaces and capitals",
    build: () => pool({ labels: { team: "Platform Team" } }),
    expect: { code: "CR_LABEL_VALUE", prop: "labels.team", value: '"Platform Team"' },
  },
  {
    name: "label key on an artifact repository",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { labels: { Owner: "x" } });
      synth(stack);
    },
    expect: { code: "CR_LABEL_KEY", prop: "labels.Owner", value: '"Owner"' },
  },
];

const images: Case[] = [
  {
    name: 'image "UPPER/Case:tag"',
    build: () => service({ image: "UPPER/Case:tag" }),
    expect: { code: "CR_IMAGE_REF", prop: "image", value: '"UPPER/Case:tag"' },
  },
  {
    name: 'image "repo@sha256:short"',
    build: () => job({ image: "repo@sha256:short" }),
    expect: { code: "CR_IMAGE_REF", prop: "image", value: '"repo@sha256:short"' },
  },
  {
    name: "sidecar image with a scheme",
    build: () => pool({ sidecars: { proxy: { image: "https://gcr.io/x/y" } } }),
    expect: { code: "CR_IMAGE_REF", prop: "sidecars.proxy.image", value: '"https://gcr.io/x/y"' },
  },
  {
    name: "Docker Hub remote repository asked for a gcr.io image",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "hub", { remote: "docker-hub" }).image("gcr.io/acme/app:1");
      synth(stack);
    },
    expect: {
      code: "CR_AR_IMAGE_NOT_DOCKER_HUB",
      prop: "image(ref)",
      value: '"gcr.io/acme/app:1"',
    },
  },
  {
    name: "artifact repository keepVersions 0",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", { keepVersions: 0 });
      synth(stack);
    },
    expect: { code: "CR_AR_KEEP_VERSIONS", prop: "keepVersions", value: "0" },
  },
];

const jobs: Case[] = [
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
];

const pools: Case[] = [
  {
    name: "worker pool instances -1",
    build: () => pool({ instances: -1 }),
    expect: { code: "CR_POOL_INSTANCES", prop: "instances", value: "-1" },
  },
  {
    name: "worker pool instances 1.5",
    build: () => pool({ instances: 1.5 }),
    expect: { code: "CR_POOL_INSTANCES", prop: "instances", value: "1.5" },
  },
];

const iam: Case[] = [
  {
    name: 'IamBinding member "bob@example.com" without a kind',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["bob@example.com"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members[0]", value: '"bob@example.com"' },
  },
  {
    name: 'IamBinding member "user:" with an empty email',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["group:ops@acme.example", "user:"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members[1]", value: '"user:"' },
  },
  {
    name: 'IamBinding role "run.invoker"',
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "run.invoker",
        members: ["user:bob@acme.example"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_ROLE", prop: "role", value: '"run.invoker"' },
  },
  {
    name: "IamBinding target that is not a project id",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "Acme Test" },
        role: "roles/viewer",
        members: ["user:bob@acme.example"],
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_TARGET", prop: "target", value: '{"project":"Acme Test"}' },
  },
  {
    name: "service invokers with a wrongly cased special member",
    build: () => service({ invokers: ["allusers"] }),
    expect: { code: "CR_IAM_MEMBER", prop: "member", value: '"allusers"' },
  },
  {
    name: "serviceAccount that is not an email",
    build: () => job({ serviceAccount: "runner" }),
    expect: { code: "CR_SERVICE_ACCOUNT", prop: "serviceAccount", value: '"runner"' },
  },
  {
    name: "grantRunBuilder with a build account that is not an email",
    build: () => {
      const stack = plainStack();
      grantRunBuilder(stack, { buildServiceAccount: "builder" });
      synth(stack);
    },
    expect: { code: "CR_IAM_SERVICE_ACCOUNT", prop: "buildServiceAccount", value: '"builder"' },
  },
  {
    name: "grantDeployers with a member without a kind",
    build: () => {
      const stack = plainStack();
      grantDeployers(stack, ["platform@acme.example"]);
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "member", value: '"platform@acme.example"' },
  },
];

const checks: Case[] = [
  {
    name: "Checks.suppress with a reason under 10 characters",
    build: () => {
      const stack = plainStack();
      Checks.apply(stack);
      const api = new CloudRunService(stack, "api", { image: IMAGE });
      Checks.suppress(api, "CHECK_INGRESS_ALL", "ok");
      synth(stack);
    },
    expect: { code: "CHECK_SUPPRESSION", prop: "reason for CHECK_INGRESS_ALL", value: '"ok"' },
  },
  {
    name: "Checks.suppress of a rule that does not exist",
    build: () => {
      const stack = plainStack();
      Checks.apply(stack);
      const api = new CloudRunService(stack, "api", { image: IMAGE });
      Checks.suppress(api, "CR_NO_SUCH_RULE", "reviewed by the platform team");
      synth(stack);
    },
    expect: { code: "CHECK_SUPPRESSION", prop: "ruleId", value: '"CR_NO_SUCH_RULE"' },
  },
];

/** Environment files: messages are `ENV_INVALID: FILE has N problems:\n  - KEY.PATH: …VALUE…`. */
const environmentFiles: Case[] = [
  {
    name: "environment file without project",
    build: () => envFile("region: us-central1\ntier: dev\n"),
    expect: { prop: "project", value: "missing" },
  },
  {
    name: 'environment file with tier "qa"',
    build: () => envFile("project: acme-test\nregion: us-central1\ntier: qa\n"),
    expect: { prop: "tier", value: '"qa"' },
  },
  {
    name: "environment file with region 42",
    build: () => envFile("project: acme-test\nregion: 42\ntier: dev\n"),
    expect: { prop: "region", value: "number 42" },
  },
  {
    name: "environment file with an unknown key (a typo must not be ignored)",
    build: () => envFile(`${ENV_OK}allowPublik: true\n`),
    expect: { prop: "allowPublik", value: "unknown key" },
  },
  {
    name: "environment file with a YAML syntax error",
    build: () => envFile(`${ENV_OK}labels: { team: platform\n`),
    expect: { prop: "line 5, column 1", value: "YAML syntax" },
  },
  {
    name: "environment file with a deployer that has no member prefix",
    build: () => envFile(`${ENV_OK}deployers: [platform@acme.example]\n`),
    expect: { prop: "deployers[0]", value: '"platform@acme.example"' },
  },
  {
    name: "environment file with an unknown override key",
    build: () => envFile(`${ENV_OK}overrides:\n  api:\n    maxInstance: 3\n`),
    expect: { prop: "overrides.api.maxInstance", value: "unknown key" },
  },
  {
    name: "environment file with an override out of range",
    build: () => envFile(`${ENV_OK}overrides:\n  report:\n    maxRetries: 12\n`),
    expect: { prop: "overrides.report.maxRetries", value: "number 12" },
  },
  {
    name: "environment file with override minInstances above maxInstances",
    build: () => envFile(`${ENV_OK}overrides:\n  api:\n    minInstances: 4\n    maxInstances: 2\n`),
    expect: { prop: "overrides.api.minInstances", value: "4 is above maxInstances 2" },
  },
  {
    name: "staging environment file without state",
    build: () => envFile("project: acme-test\nregion: us-central1\ntier: staging\n"),
    expect: { prop: "state", value: "tier staging needs a GCS backend" },
  },
  {
    name: "environment file with the same key twice",
    build: () => envFile(`${ENV_OK}tier: prod\n`),
    expect: { prop: "line 4, column 1", value: "YAML syntax" },
  },
  {
    name: "environment file that is not a mapping",
    build: () => envFile("- project: acme-test\n"),
    expect: { prop: "(top level)", value: "a list" },
  },
  {
    name: "environment file that cannot be read",
    build: () => loadEnvironment(path.join(FIXTURES, "missing.yaml")),
    expect: { prop: "(file)", value: "cannot be read" },
  },
  {
    name: "environment file fixture with a bad image key",
    build: () => loadEnvironment(path.join(FIXTURES, "bad-image-key.yaml")),
    expect: { prop: "images.API", value: 'key "API"' },
  },
];

/**
 * Values that look harmless but would vanish from the output (or from the plan): each must fail
 * rather than synthesize without it.
 */
const notDropped: Case[] = [
  {
    name: "env var with an empty name",
    build: () => service({ env: { "": "x" } }),
    expect: { code: "CR_ENV_NAME", prop: "env.", value: '""' },
  },
  {
    name: "secret env var with an empty secret name",
    build: () => job({ secrets: { DB_PASSWORD: { secret: "" } } }),
    expect: { code: "CR_SECRET_REF", prop: "secrets.DB_PASSWORD.secret", value: '""' },
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
    name: "sidecar startup probe on a worker pool (the provider has no field for it)",
    build: () =>
      pool({ sidecars: { proxy: { image: IMAGE, startupProbe: { tcpSocket: { port: 9000 } } } } }),
    expect: { code: "CR_POOL_PROBE", prop: "sidecars.proxy.startupProbe", value: '"set"' },
  },
  {
    name: "startAfter naming a container that does not exist",
    build: () => service({ startAfter: ["db"], sidecars: { proxy: { image: IMAGE } } }),
    expect: { code: "CR_START_AFTER", prop: "startAfter", value: '"db"' },
  },
  {
    name: "NFS volume without a VPC to reach the server",
    build: () => job({ volumes: { share: { type: "nfs", server: "10.0.0.2", path: "/share" } } }),
    expect: { code: "CR_NFS_VPC", prop: "volumes.share", value: '"10.0.0.2"' },
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
    name: "authoritative IamBinding with no members",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: [],
        authoritative: true,
      });
      synth(stack);
    },
    expect: { code: "CR_IAM_NO_MEMBERS", prop: "members", value: "[]" },
  },
  {
    name: "override key for the wrong kind of workload (tasks on a service)",
    build: () => devStack("overrides:\n  api:\n    tasks: 3\n"),
    expect: { prop: "overrides.api.tasks", value: 'does not apply to the service "api"' },
  },
  {
    name: "override for a workload the catalog does not have",
    build: () => devStack("overrides:\n  billing:\n    cpu: 2\n"),
    expect: { prop: "overrides.billing", value: 'no workload "billing"' },
  },
  {
    name: "image for a workload the catalog does not have",
    build: () => {
      const env = parseEnvironment(DEV_YAML, "environments/dev.yaml");
      const images = { ...env.images, billing: IMAGE };
      synth(new EnvironmentStack(Testing.app(), { ...env, images }));
    },
    expect: { prop: "images.billing", value: 'no workload of the catalog uses an image "billing"' },
  },
  {
    name: "volume of an unknown type (it would be written with no source)",
    build: () => service({ volumes: { scratch: { type: "ramdisk", mountPath: "/scratch" } } }),
    expect: { code: "CR_VOLUME_TYPE", prop: "volumes.scratch.type", value: '"ramdisk"' },
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
  {
    name: "a port on a worker pool",
    build: () => pool({ port: 9000 }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "port", value: "9000" },
  },
  {
    name: "a startup probe on a worker pool's main container",
    build: () => pool({ startupProbe: { tcpSocket: { port: 8080 } } }),
    expect: {
      code: "CR_UNKNOWN_PROP",
      prop: "startupProbe",
      value: '{"tcpSocket":{"port":8080}}',
    },
  },
  {
    name: "a port on a sidecar (only the ingress container has one)",
    build: () => service({ sidecars: { proxy: { image: IMAGE, port: 9000 } } }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "sidecars.proxy.port", value: "9000" },
  },
];

/** Values of the wrong type, as a JavaScript caller or a parsed config could pass them. */
const untyped: Case[] = [
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
    name: "IamBinding members that is a string, not a list",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: "user:bob@acme.example",
      } as unknown as ConstructorParameters<typeof IamBinding>[2]);
      synth(stack);
    },
    expect: { code: "CR_IAM_MEMBER", prop: "members", value: '"user:bob@acme.example"' },
  },
  {
    name: "secret env var given as a string instead of { secret }",
    build: () => service({ secrets: { DB_PASSWORD: "db-pass" } }),
    expect: { code: "CR_SECRET_REF", prop: "secrets.DB_PASSWORD.secret", value: "not set" },
  },
  {
    name: "job args with a number",
    build: () => job({ args: ["--limit", 10] }),
    expect: { code: "CR_ARGS", prop: "args[1]", value: "10" },
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
  {
    name: "schedule without cron",
    build: () => job({ schedule: { timeZone: "Etc/UTC" } }),
    expect: { code: "CR_JOB_CRON", prop: "schedule.cron", value: "not set" },
  },
];

/**
 * JavaScript callers and parsed files (issue 14): no compile-time types, so nulls inside lists
 * and maps, strings where lists or booleans belong and numbers Terraform cannot hold must fail
 * cleanly (once each, before any other rule reads them), never with a TypeError or as garbage.
 */
const javascript: Case[] = [
  {
    name: "minInstances 1e21",
    build: () => service({ minInstances: 1e21 }),
    expect: { code: "CR_PROP_TYPE", prop: "minInstances", value: "1e+21" },
  },
  {
    name: "worker pool instances 1e21",
    build: () => pool({ instances: 1e21 }),
    expect: { code: "CR_PROP_TYPE", prop: "instances", value: "1e+21" },
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
    name: "env value that is a number",
    build: () => job({ env: { RETRIES: 3 } }),
    expect: { code: "CR_PROP_TYPE", prop: "env.RETRIES", value: "3" },
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
    name: "deletionProtection given as a string",
    build: () => job({ deletionProtection: "no" }),
    expect: { code: "CR_PROP_TYPE", prop: "deletionProtection", value: '"no"' },
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
    name: "job taskTimeout that is an object",
    build: () => job({ taskTimeout: { minutes: 5 } }),
    expect: { code: "CR_PROP_TYPE", prop: "taskTimeout", value: '{"minutes":5}' },
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
    name: "region that is not a region id",
    build: () => job({ region: "US Central" }),
    expect: { code: "CR_REGION", prop: "region", value: '"US Central"' },
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
    name: "IamBinding authoritative given as a string",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", {
        target: { project: "acme-test" },
        role: "roles/viewer",
        members: ["user:a@acme.example"],
        authoritative: "yes" as unknown as boolean,
      });
    },
    expect: { code: "CR_PROP_TYPE", prop: "authoritative", value: '"yes"' },
  },
  {
    name: "IamBinding props that are null",
    build: () => {
      const stack = plainStack();
      new IamBinding(stack, "b", null as unknown as ConstructorParameters<typeof IamBinding>[2]);
    },
    expect: { code: "CR_PROP_TYPE", prop: "props", value: "null" },
  },
  {
    name: "grantRun with null",
    build: () => {
      const stack = plainStack();
      new CloudRunJob(stack, "report", { image: IMAGE }).grantRun(null as unknown as string);
    },
    expect: { code: "CR_PROP_TYPE", prop: "member", value: "null" },
  },
  {
    name: "grantDeployers with a string instead of a list",
    build: () => {
      const stack = plainStack();
      grantDeployers(stack, "group:deployers@acme.example" as unknown as string[]);
    },
    expect: { code: "CR_NOT_A_LIST", prop: "members", value: '"group:deployers@acme.example"' },
  },
  {
    name: "grantRunBuilder with a numeric build service account",
    build: () => {
      const stack = plainStack();
      grantRunBuilder(stack, { buildServiceAccount: 42 as unknown as string });
    },
    expect: { code: "CR_PROP_TYPE", prop: "options.buildServiceAccount", value: "42" },
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
  {
    name: "ArtifactRepository.image with a number",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", {}).image(7 as unknown as string);
    },
    expect: { code: "CR_PROP_TYPE", prop: "image(ref)", value: "7" },
  },
  {
    name: "ArtifactRepository keepVersions 1e21 and a null label",
    build: () => {
      const stack = plainStack();
      new ArtifactRepository(stack, "repo", {
        keepVersions: 1e21,
        labels: { team: null as unknown as string },
      });
    },
    expect: [
      { code: "CR_PROP_TYPE", prop: "keepVersions", value: "1e+21" },
      { code: "CR_PROP_TYPE", prop: "labels.team", value: "null" },
    ],
  },
];

/** Several problems in one construct (or one stack, or one file): all in the one message. */
const combined: Case[] = [
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
    name: "cross-prop problems of a job (parallelism, GPU timeout, GPU CPU), listed by one synth",
    build: () =>
      job({ tasks: 2, parallelism: 4, gpu: {}, cpu: 2, memory: "16Gi", taskTimeout: "2h" }),
    expect: [
      { code: "CR_JOB_PARALLELISM", prop: "parallelism", value: "4" },
      { code: "CR_JOB_TASK_TIMEOUT", prop: "taskTimeout", value: '"2h"' },
      { code: "CR_GPU_CPU", prop: "cpu", value: "2" },
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
  {
    name: "three problems of one environment file",
    build: () => envFile("project: acme-test\nregion: 42\ntier: qa\ncolour: blue\n"),
    expect: [
      { prop: "region", value: "number 42" },
      { prop: "tier", value: '"qa"' },
      { prop: "colour", value: "unknown key" },
    ],
  },
];

// Issue 17: customer-managed encryption keys, session affinity, Serverless VPC Access connectors.
const KMS_KEY = "projects/acme-kms/locations/us-central1/keyRings/run/cryptoKeys/api";
const parity: Case[] = [
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
    name: "encryptionKey that is not a string",
    build: () => job({ encryptionKey: 42 }),
    expect: { code: "CR_ENCRYPTION_KEY", prop: "encryptionKey", value: "42" },
  },
  {
    name: "encryptionKey in another region than the workload",
    build: () => pool({ encryptionKey: KMS_KEY.replace("us-central1", "europe-west1") }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REGION",
      prop: "encryptionKey",
      value: JSON.stringify(KMS_KEY.replace("us-central1", "europe-west1")),
    },
  },
  {
    name: 'encryptionKeyRevocationAction "revoke"',
    build: () => pool({ encryptionKey: KMS_KEY, encryptionKeyRevocationAction: "revoke" }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REVOCATION",
      prop: "encryptionKeyRevocationAction",
      value: '"revoke"',
    },
  },
  {
    name: 'encryptionKeyShutdownDuration "30m"',
    build: () =>
      pool({
        encryptionKey: KMS_KEY,
        encryptionKeyRevocationAction: "shut-down",
        encryptionKeyShutdownDuration: "30m",
      }),
    expect: {
      code: "CR_ENCRYPTION_KEY_REVOCATION",
      prop: "encryptionKeyShutdownDuration",
      value: '"30m"',
    },
  },
  {
    name: 'sessionAffinity "yes"',
    build: () => service({ sessionAffinity: "yes" }),
    expect: { code: "CR_SESSION_AFFINITY", prop: "sessionAffinity", value: '"yes"' },
  },
  {
    name: "sessionAffinity on a job",
    build: () => job({ sessionAffinity: true }),
    expect: { code: "CR_UNKNOWN_PROP", prop: "sessionAffinity", value: "true" },
  },
  {
    name: "vpc.connector together with vpc.subnetwork",
    build: () => service({ vpc: { connector: "run-egress", subnetwork: "run" } }),
    expect: { code: "CR_VPC", prop: "vpc.connector", value: '"run-egress"' },
  },
  {
    name: "vpc.connector with an uppercase name",
    build: () => job({ vpc: { connector: "Run-Egress" } }),
    expect: { code: "CR_VPC_CONNECTOR", prop: "vpc.connector", value: '"Run-Egress"' },
  },
  {
    name: "vpc.connector on a worker pool",
    build: () => pool({ vpc: { connector: "run-egress" } }),
    expect: { code: "CR_VPC_CONNECTOR", prop: "vpc.connector", value: '"run-egress"' },
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

const CORPUS: Case[] = [
  ...names,
  ...limits,
  ...enums,
  ...env,
  ...cpuMemory,
  ...gpu,
  ...traffic,
  ...volumes,
  ...labels,
  ...images,
  ...jobs,
  ...pools,
  ...iam,
  ...checks,
  ...environmentFiles,
  ...notDropped,
  ...untyped,
  ...javascript,
  ...combined,
  ...parity,
];

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

const VALIDATION = /^Validation failed with the following errors/;

type Kind = "config" | "environment-file" | "validation";

/** What kind of reported error `e` is; fails the test (with the stack) for anything else. */
function reportedKind(e: unknown): Kind {
  if (e instanceof ConfigError) return "config";
  if (e instanceof EnvironmentFileError) return "environment-file";
  if (
    e instanceof Error &&
    e.constructor === Error &&
    VALIDATION.test(e.message) &&
    !e.message.includes("\n    at ")
  )
    return "validation";
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  throw new Error(`expected a reported configuration error, got:\n${detail}`);
}

function caught(build: () => void): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The line of `message` that reports `x`, in the shape of the error's kind. */
function lineFor(kind: Kind, x: Expected): RegExp {
  if (kind === "environment-file")
    return new RegExp(`^  - ${escape(x.prop)}: .*${escape(x.value)}`, "m");
  const code = x.code ? escape(x.code) : "[A-Z][A-Z0-9_]+";
  return new RegExp(`${code}: (\\[[^\\]]+\\] )?${escape(x.prop)} is ${escape(x.value)}; `, "m");
}

describe("bad-input contract", () => {
  test("the corpus holds at least 40 invalid configurations", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  test.each(CORPUS.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const error = caught(c.build);
    // (1) it throws
    expect(error).toBeDefined();
    // (2) a reported configuration error, never a bare TypeError/RangeError/ReferenceError
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(ReferenceError);
    const kind = reportedKind(error);
    const message = (error as Error).message;
    // (3) + (4) every expected problem, with its prop and value, in this one message
    for (const x of [c.expect].flat()) expect(message).toMatch(lineFor(kind, x));
    // construct paths (ConfigError, validation) or the file (environment files) are named
    if (kind === "environment-file") expect(message).toMatch(/^ENV_INVALID: \S+\.yaml has /);
    else expect(message).toMatch(/\[(test|dev)(\/[^\]]+)?\] /);
  });

  test("a valid configuration of each construct synthesizes (the builders are not the failure)", () => {
    expect(() => service({})).not.toThrow();
    expect(() => job({})).not.toThrow();
    // A prop spread in as undefined is not a value that could be dropped.
    expect(() => job({ timeout: undefined })).not.toThrow();
    expect(() => pool({})).not.toThrow();
    expect(() => envFile(ENV_OK)).not.toThrow();
    expect(() => devStack("")).not.toThrow();
  });
});
