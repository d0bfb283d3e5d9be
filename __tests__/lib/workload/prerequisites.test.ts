/**
 * The prerequisites table (lib/workload/prerequisites.ts): one test of each row's effect on the
 * synthesized JSON (APIs, grants, depends_on), and the docs table checked against the code.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack } from "cdktf";
import {
  ArtifactRepository,
  CloudRunFunction,
  CloudRunJob,
  CloudRunService,
  StackDefaults,
  WorkerPool,
} from "@cdktf-cloud-run/constructs";
import {
  Feature,
  PREREQUISITES,
  eventarcFeature,
  prerequisitesMarkdown,
} from "../../../lib/workload/prerequisites";
import { TfJson, plainStack, resources, synth } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;

function apis(json: TfJson): string[] {
  return Object.values(resources(json, "google_project_service"))
    .map((r) => String(r.service))
    .sort();
}

/** `TYPE.KEY` of every resource of `type` matching `where`. */
function addresses(
  json: TfJson,
  type: string,
  where: (r: Record<string, unknown>) => boolean = () => true,
): string[] {
  return Object.entries(resources(json, type))
    .filter(([, r]) => where(r))
    .map(([key]) => `${type}.${key}`);
}

function one(json: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(resources(json, type));
  expect(all).toHaveLength(1);
  return all[0];
}

const service = (json: TfJson) => one(json, "google_cloud_run_v2_service");
/** The member of the workload's own (dedicated) account. */
function identity(json: TfJson): string {
  const [key] = Object.keys(resources(json, "google_service_account")).filter(
    (k) => !k.includes("Event") && !k.includes("Scheduler"),
  );
  return `serviceAccount:\${google_service_account.${key}.email}`;
}

function serviceWith(props: Partial<ConstructorParameters<typeof CloudRunService>[2]>): TfJson {
  const stack = plainStack({ project: "acme-dev" });
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return synth(stack);
}

function withEvent(eventType: string): TfJson {
  const stack = plainStack({ project: "acme-dev" });
  const svc = new CloudRunService(stack, "api", { image: IMAGE });
  svc.onEvent("ev", { eventType });
  return synth(stack);
}

function triggerMember(json: TfJson): string {
  const key = Object.keys(resources(json, "google_service_account")).find((k) =>
    k.includes("Event"),
  );
  return `serviceAccount:\${google_service_account.${key}.email}`;
}

/** A function from an uploaded archive; `grantRunBuilder: false` as an environment would say. */
function functionStack(grantRunBuilder = true): TfJson {
  const stack = plainStack({ project: "acme-dev" });
  StackDefaults.set(stack, { build: { grantRunBuilder } });
  new CloudRunFunction(stack, "hello", {
    source: { archive: "gs://acme-src/hello.zip" },
    functionTarget: "hello",
    runtime: "nodejs22",
    buildServiceAccount: "builder@acme-dev.iam.gserviceaccount.com",
  });
  return synth(stack);
}

/** One test per row: the compiler keeps this list complete (a new row without a test fails to compile). */
const ROW_TESTS: Record<Feature, [string, () => void]> = {
  "cloud-run": [
    "every workload enables run and iam and waits for the APIs",
    () => {
      const json = serviceWith({});
      expect(apis(json)).toEqual(["iam.googleapis.com", "run.googleapis.com"]);
      expect(service(json).depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    },
  ],
  secret: [
    "a secret enables secretmanager, grants secretAccessor on it and the workload waits for the grant",
    () => {
      const json = serviceWith({ secrets: { DB: { secret: "db-pass" } } });
      expect(apis(json)).toContain("secretmanager.googleapis.com");
      const grants = addresses(json, "google_secret_manager_secret_iam_member", (r) => {
        return (
          r.secret_id === "db-pass" &&
          r.role === "roles/secretmanager.secretAccessor" &&
          r.member === identity(json)
        );
      });
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
    },
  ],
  "cloud-sql": [
    "a Cloud SQL volume enables sqladmin, grants cloudsql.client in the instance's project and waits for it",
    () => {
      const json = serviceWith({
        volumes: {
          sql: {
            type: "cloud-sql",
            instances: ["acme-db:us-central1:orders"],
            mountPath: "/cloudsql",
          },
        },
      });
      expect(apis(json)).toContain("sqladmin.googleapis.com");
      const grants = addresses(
        json,
        "google_project_iam_member",
        (r) =>
          r.project === "acme-db" &&
          r.role === "roles/cloudsql.client" &&
          r.member === identity(json),
      );
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
    },
  ],
  "gcs-volume-read-only": [
    "a read-only Cloud Storage volume grants objectViewer on the bucket and waits for it",
    () => {
      const json = serviceWith({
        volumes: { data: { type: "gcs", bucket: "acme-data", readOnly: true, mountPath: "/d" } },
      });
      const grants = addresses(
        json,
        "google_storage_bucket_iam_member",
        (r) =>
          r.bucket === "acme-data" &&
          r.role === "roles/storage.objectViewer" &&
          r.member === identity(json),
      );
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
    },
  ],
  "gcs-volume": [
    "a read-write Cloud Storage volume grants objectUser on the bucket and waits for it",
    () => {
      const json = serviceWith({
        volumes: { data: { type: "gcs", bucket: "acme-data", mountPath: "/d" } },
      });
      const grants = addresses(
        json,
        "google_storage_bucket_iam_member",
        (r) => r.bucket === "acme-data" && r.role === "roles/storage.objectUser",
      );
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
    },
  ],
  "nfs-volume": [
    "an NFS volume needs no API or grant beyond Cloud Run's",
    () => {
      const json = serviceWith({
        vpc: { network: "default" },
        volumes: { nfs: { type: "nfs", server: "10.0.0.2", path: "/share", mountPath: "/n" } },
      });
      expect(apis(json)).toEqual([
        "compute.googleapis.com",
        "iam.googleapis.com",
        "run.googleapis.com",
      ]);
      expect(Object.keys(json.resource ?? {}).filter((t) => t.endsWith("_iam_member"))).toEqual([]);
    },
  ],
  "direct-vpc-egress": [
    "Direct VPC egress enables compute",
    () => {
      expect(apis(serviceWith({ vpc: { network: "default" } }))).toContain(
        "compute.googleapis.com",
      );
      expect(apis(serviceWith({}))).not.toContain("compute.googleapis.com");
    },
  ],
  "vpc-connector": [
    "a Serverless VPC Access connector enables vpcaccess (and not compute)",
    () => {
      const json = serviceWith({ vpc: { connector: "run-egress" } });
      expect(apis(json)).toContain("vpcaccess.googleapis.com");
      expect(apis(json)).not.toContain("compute.googleapis.com");
      expect(apis(serviceWith({ vpc: { network: "default" } }))).not.toContain(
        "vpcaccess.googleapis.com",
      );
    },
  ],
  "image-same-stack-repository": [
    "an image from a repository of the stack waits for the repository (remote or standard, literal or image())",
    () => {
      const stack = plainStack({ project: "acme-dev" });
      const hub = new ArtifactRepository(stack, "hub", { remote: "docker-hub" });
      const apps = new ArtifactRepository(stack, "apps");
      new CloudRunService(stack, "docs", { image: hub.image("nginx:1.27") });
      new CloudRunService(stack, "api", {
        image: `us-central1-docker.pkg.dev/acme-dev/apps/api@sha256:${"c".repeat(64)}`,
      });
      void apps;
      const json = synth(stack);
      const repos = resources(json, "google_artifact_registry_repository");
      const address = (id: string) =>
        `google_artifact_registry_repository.${Object.keys(repos).find((k) => repos[k].repository_id === id)}`;
      const services = resources(json, "google_cloud_run_v2_service");
      const byName = (n: string) => Object.values(services).find((s) => s.name === n)!;
      expect(byName("docs").depends_on).toContain(address("hub"));
      expect(byName("docs").depends_on).not.toContain(address("apps"));
      expect(byName("api").depends_on).toContain(address("apps"));
      expect(apis(json)).toContain("artifactregistry.googleapis.com");
    },
  ],
  "image-other-project-repository": [
    "an image from a stack repository in another project grants the Cloud Run agent reader and waits for it",
    () => {
      const stack = plainStack({ project: "acme-ci" });
      const repo = new ArtifactRepository(stack, "apps", { region: "us" });
      new CloudRunService(stack, "api", { image: repo.image("api:1"), project: "acme-prod" });
      const json = synth(stack);
      const grants = addresses(
        json,
        "google_artifact_registry_repository_iam_member",
        (r) =>
          r.role === "roles/artifactregistry.reader" &&
          /^serviceAccount:service-\$\{data\.google_project\.[\w-]+\.number\}@serverless-robot-prod\.iam\.gserviceaccount\.com$/.test(
            String(r.member),
          ),
      );
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
    },
  ],
  "image-external-repository": [
    "an image from another project's repository outside the stack is detected and granted nothing here",
    () => {
      const input = {
        props: {},
        images: [IMAGE, "us-central1-docker.pkg.dev/acme-dev/apps/x:1"],
        project: "acme-dev",
        stackProject: "acme-dev",
        repositories: [],
      };
      expect(PREREQUISITES["image-external-repository"].detect(input)).toEqual([
        { target: "us/acme-ci/apps" },
      ]);
      const json = serviceWith({});
      expect(resources(json, "google_artifact_registry_repository_iam_member")).toEqual({});
    },
  ],
  scheduler: [
    "a schedule enables cloudscheduler, grants the scheduler's account run.invoker on the job, and the scheduler waits",
    () => {
      const stack = plainStack();
      new CloudRunJob(stack, "report", { image: IMAGE, schedule: { cron: "0 3 * * *" } });
      const json = synth(stack);
      expect(apis(json)).toContain("cloudscheduler.googleapis.com");
      const account = Object.keys(resources(json, "google_service_account")).find((k) =>
        k.includes("Scheduler"),
      );
      const grants = addresses(
        json,
        "google_cloud_run_v2_job_iam_member",
        (r) =>
          r.role === "roles/run.invoker" &&
          r.member === `serviceAccount:\${google_service_account.${account}.email}`,
      );
      expect(grants).toHaveLength(1);
      const scheduler = one(json, "google_cloud_scheduler_job");
      expect(scheduler.depends_on).toContain(grants[0]);
      expect(scheduler.depends_on).toContainEqual(expect.stringMatching(/^time_sleep\./));
    },
  ],
  "eventarc-storage": [
    "a Cloud Storage trigger grants the storage agent pubsub.publisher and waits for it",
    () => {
      const json = withEvent("google.cloud.storage.object.v1.finalized");
      const agent = Object.keys(
        json.data?.google_storage_project_service_account ?? {},
      ) as string[];
      expect(agent).toHaveLength(1);
      const grants = addresses(
        json,
        "google_project_iam_member",
        (r) =>
          r.role === "roles/pubsub.publisher" &&
          r.project === "acme-dev" &&
          r.member ===
            `serviceAccount:\${data.google_storage_project_service_account.${agent[0]}.email_address}`,
      );
      expect(grants).toHaveLength(1);
      const trigger = one(json, "google_eventarc_trigger");
      expect(trigger.depends_on).toContain(grants[0]);
      const receiver = addresses(
        json,
        "google_project_iam_member",
        (r) => r.role === "roles/eventarc.eventReceiver" && r.member === triggerMember(json),
      );
      expect(trigger.depends_on).toContain(receiver[0]);
      expect(apis(json)).toEqual(
        expect.arrayContaining([
          "eventarc.googleapis.com",
          "pubsub.googleapis.com",
          "storage.googleapis.com",
        ]),
      );
    },
  ],
  "eventarc-pubsub": [
    "a Pub/Sub trigger grants eventReceiver and run.invoker, no storage agent",
    () => {
      const json = withEvent("google.cloud.pubsub.topic.v1.messagePublished");
      const roles = Object.values(resources(json, "google_project_iam_member")).map((r) => r.role);
      expect(roles).toEqual(["roles/eventarc.eventReceiver"]);
      expect(json.data?.google_storage_project_service_account).toBeUndefined();
      const invoker = addresses(
        json,
        "google_cloud_run_v2_service_iam_member",
        (r) => r.role === "roles/run.invoker" && r.member === triggerMember(json),
      );
      expect(one(json, "google_eventarc_trigger").depends_on).toContain(invoker[0]);
    },
  ],
  "eventarc-audit-log": [
    "an audit-log trigger grants eventReceiver and run.invoker, no storage agent",
    () => {
      const json = withEvent("google.cloud.audit.log.v1.written");
      const roles = Object.values(resources(json, "google_project_iam_member")).map((r) => r.role);
      expect(roles).toEqual(["roles/eventarc.eventReceiver"]);
      expect(json.data?.google_storage_project_service_account).toBeUndefined();
    },
  ],
  "eventarc-direct": [
    "another direct event grants eventReceiver and run.invoker",
    () => {
      const json = withEvent("google.cloud.firestore.document.v1.written");
      const roles = Object.values(resources(json, "google_project_iam_member")).map((r) => r.role);
      expect(roles).toEqual(["roles/eventarc.eventReceiver"]);
      expect(
        addresses(
          json,
          "google_cloud_run_v2_service_iam_member",
          (r) => r.role === "roles/run.invoker",
        ),
      ).toHaveLength(1);
    },
  ],
  "pubsub-pull": [
    "grantSubscribe enables pubsub, grants subscriber on the subscription and the pool waits for it",
    () => {
      const stack = plainStack();
      const pool = new WorkerPool(stack, "pool", { image: IMAGE });
      pool.grantSubscribe("orders-pull");
      const json = synth(stack);
      expect(apis(json)).toContain("pubsub.googleapis.com");
      const grants = addresses(
        json,
        "google_pubsub_subscription_iam_member",
        (r) => r.subscription === "orders-pull" && r.role === "roles/pubsub.subscriber",
      );
      expect(grants).toHaveLength(1);
      expect(one(json, "google_cloud_run_v2_worker_pool").depends_on).toContain(grants[0]);
    },
  ],
  "binary-authorization": [
    "Binary Authorization enables its API",
    () => {
      expect(apis(serviceWith({ binaryAuthorization: { useDefault: true } }))).toContain(
        "binaryauthorization.googleapis.com",
      );
    },
  ],
  cmek: [
    "a customer-managed key enables cloudkms, grants the Cloud Run agent encrypterDecrypter on the key and the workload waits for it",
    () => {
      const key = "projects/acme-kms/locations/us-central1/keyRings/run/cryptoKeys/api";
      const json = serviceWith({ encryptionKey: key });
      expect(apis(json)).toContain("cloudkms.googleapis.com");
      const grants = addresses(
        json,
        "google_kms_crypto_key_iam_member",
        (r) =>
          r.crypto_key_id === key &&
          r.role === "roles/cloudkms.cryptoKeyEncrypterDecrypter" &&
          /^serviceAccount:service-\$\{data\.google_project\.[\w-]+\.number\}@serverless-robot-prod\.iam\.gserviceaccount\.com$/.test(
            String(r.member),
          ),
      );
      expect(grants).toHaveLength(1);
      expect(service(json).depends_on).toContain(grants[0]);
      // The agent exists once run.googleapis.com is enabled: the grant waits for the APIs.
      expect(one(json, "google_kms_crypto_key_iam_member").depends_on).toEqual([
        expect.stringMatching(/^time_sleep\./),
      ]);
      expect(apis(serviceWith({}))).not.toContain("cloudkms.googleapis.com");
    },
  ],
  function: [
    "a function enables the row's APIs and waits for them",
    () => {
      const json = functionStack();
      for (const api of PREREQUISITES.function.apis) expect(apis(json)).toContain(api);
      expect(one(json, "google_cloudfunctions2_function").depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/^time_sleep\./)]),
      );
    },
  ],
  "function-build": [
    "the build identity gets the row's project roles and the function waits for them; none where the environment says grantRunBuilder: false",
    () => {
      const member = "serviceAccount:builder@acme-dev.iam.gserviceaccount.com";
      const json = functionStack();
      const projectRoles: string[] = PREREQUISITES["function-build"].grants
        .filter((g) => g.on === "project")
        .map((g) => g.role);
      const grants = addresses(
        json,
        "google_project_iam_member",
        (r) => r.member === member && projectRoles.includes(String(r.role)),
      );
      expect(grants).toHaveLength(projectRoles.length);
      const fn = one(json, "google_cloudfunctions2_function");
      for (const g of grants) expect(fn.depends_on).toContain(g);
      // An archive given as gs://… is not the stack's bucket: no bucket grant for it.
      expect(resources(json, "google_storage_bucket_iam_member")).toEqual({});
      const off = functionStack(false);
      expect(addresses(off, "google_project_iam_member", (r) => r.member === member)).toEqual([]);
    },
  ],
  gpu: [
    "a GPU needs no API or grant beyond Cloud Run's",
    () => {
      const json = serviceWith({ gpu: { type: "nvidia-l4" }, cpu: 4, memory: "16Gi" });
      expect(apis(json)).toEqual(["iam.googleapis.com", "run.googleapis.com"]);
    },
  ],
};

describe("prerequisites table rows", () => {
  for (const [feature, [name, run]] of Object.entries(ROW_TESTS)) test(`${feature}: ${name}`, run);
});

describe("prerequisites table", () => {
  test("every row cites a Google doc page", () => {
    for (const row of Object.values(PREREQUISITES))
      expect(row.doc).toMatch(/^https:\/\/cloud\.google\.com\//);
  });

  test("every row is applied by a detector or names what applies it", () => {
    for (const row of Object.values(PREREQUISITES) as { detect?: unknown; appliedBy?: string }[])
      expect(row.detect !== undefined || row.appliedBy !== undefined).toBe(true);
  });

  test("the event type picks the Eventarc row", () => {
    expect(eventarcFeature("google.cloud.storage.object.v1.finalized")).toBe("eventarc-storage");
    expect(eventarcFeature("google.cloud.pubsub.topic.v1.messagePublished")).toBe(
      "eventarc-pubsub",
    );
    expect(eventarcFeature("google.cloud.audit.log.v1.written")).toBe("eventarc-audit-log");
    expect(eventarcFeature("google.cloud.firestore.document.v1.written")).toBe("eventarc-direct");
  });

  test("docs/prerequisites.md holds the table generated from the code", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../../docs/prerequisites.md"), "utf8");
    const between = /<!-- prerequisites:begin -->\n([\s\S]*?)\n<!-- prerequisites:end -->/.exec(
      doc,
    );
    expect(between?.[1]).toBe(prerequisitesMarkdown());
  });

  test("grants are shared, not duplicated, when two workloads use the same secret", () => {
    const stack: TerraformStack = plainStack();
    new CloudRunService(stack, "a", { image: IMAGE, secrets: { X: { secret: "s" } } });
    new CloudRunService(stack, "b", { image: IMAGE, secrets: { X: { secret: "s" } } });
    const json = synth(stack);
    expect(apis(json).filter((a) => a === "secretmanager.googleapis.com")).toHaveLength(1);
    expect(addresses(json, "google_secret_manager_secret_iam_member")).toHaveLength(2);
  });
});
