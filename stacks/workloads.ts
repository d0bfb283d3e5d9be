import * as path from "path";
import { Construct } from "constructs";
import {
  ArtifactRepository,
  CloudRunFunction,
  CloudRunJob,
  CloudRunService,
  WorkerPool,
} from "@cdktf-cloud-run/constructs";
import { Catalog } from "./catalog";
import { Environment } from "./environment";

/**
 * The platform's workload catalog: the services, jobs and worker pools every environment runs,
 * written with `lib/`. Images come from the environment file's `images:` (what promotion moves),
 * per-environment values from its `overrides:`.
 */
export function defineWorkloads(scope: Construct, env: Environment): void {
  // Every workload of the catalog with the images it takes from the file's `images:`.
  const catalog = new Catalog(env, {
    api: ["api"],
    orders: ["orders", "otel-collector"],
    "nightly-report": ["nightly-report"],
    "orders-worker": ["orders-worker"],
    docs: ["docs"],
    "hello-fn": [],
  });
  const prod = env.tier === "prod";
  // Prod runs only images that pass the project's Binary Authorization policy.
  const binaryAuthorization = prod ? { useDefault: true } : undefined;

  // Internal service: database password from Secret Manager, Cloud SQL socket, and an
  // OpenTelemetry collector sidecar that starts first.
  const orders = catalog.add(
    "orders",
    () =>
      new CloudRunService(
        scope,
        "orders",
        catalog.apply("service", "orders", {
          image: catalog.image("orders"),
          binaryAuthorization,
          ingress: "internal" as const,
          maxInstances: 20,
          cpu: 2,
          memory: "1Gi",
          env: { DB_NAME: "orders", OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4317" },
          secrets: { DB_PASSWORD: { secret: "orders-db-password" } },
          volumes: {
            cloudsql: {
              type: "cloud-sql" as const,
              instances: [`${env.project}:${env.region}:orders`],
              mountPath: "/cloudsql",
            },
          },
          startAfter: ["otel-collector"],
          sidecars: {
            "otel-collector": {
              image: catalog.image("otel-collector"),
              cpu: "0.5",
              memory: "256Mi",
              startupProbe: { tcpSocket: { port: 13133 } },
            },
          },
        }),
      ),
  );
  // Public HTTP API (allowUnauthenticated follows the environment's allowPublic). It calls
  // orders, whose ingress is internal: ORDERS_URL is orders' `uri` attribute (the URL Cloud Run
  // assigns, known after apply; the reference also orders api after orders), and api sends all
  // its traffic through the VPC (Direct VPC egress), so Cloud Run counts its calls to orders as
  // internal (https://cloud.google.com/run/docs/securing/ingress). The subnet needs Private
  // Google Access, and internet-bound calls from api a Cloud NAT gateway. With orders turned off
  // in an environment (enabled: false), api gets no ORDERS_URL.
  const api = catalog.add(
    "api",
    () =>
      new CloudRunService(
        scope,
        "api",
        catalog.apply("service", "api", {
          image: catalog.image("api"),
          binaryAuthorization,
          allowUnauthenticated: env.allowPublic,
          minInstances: 0,
          maxInstances: 10,
          cpuBoost: true,
          env: {
            LOG_LEVEL: prod ? "info" : "debug",
            ...(orders ? { ORDERS_URL: orders.uri } : {}),
          },
          vpc: { network: "default", subnetwork: "default", egress: "all-traffic" as const },
          startupProbe: { httpGet: { path: "/healthz" }, periodSeconds: 5, failureThreshold: 12 },
          livenessProbe: { httpGet: { path: "/healthz" }, periodSeconds: 30 },
        }),
      ),
  );
  if (api && orders) orders.grantInvoke(api.serviceAccountMember);

  // Nightly report: a scheduled job.
  catalog.add(
    "nightly-report",
    () =>
      new CloudRunJob(
        scope,
        "nightly-report",
        catalog.apply("job", "nightly-report", {
          image: catalog.image("nightly-report"),
          binaryAuthorization,
          schedule: { cron: "0 3 * * *", timeZone: "Europe/Berlin" },
          tasks: 10,
          parallelism: 5,
          maxRetries: 1,
          taskTimeout: "30m",
          memory: "1Gi",
          secrets: { DB_PASSWORD: { secret: "orders-db-password" } },
        }),
      ),
  );

  // Pull consumer: a worker pool reading the orders subscription.
  const worker = catalog.add(
    "orders-worker",
    () =>
      new WorkerPool(
        scope,
        "orders-worker",
        catalog.apply("worker-pool", "orders-worker", {
          image: catalog.image("orders-worker"),
          binaryAuthorization,
          instances: 1,
          env: { SUBSCRIPTION: "orders-worker" },
        }),
      ),
  );
  worker?.grantSubscribe("orders-worker");

  // Docs site: the nginx image from Docker Hub, pulled through an Artifact Registry remote
  // repository (never from docker.io directly).
  const dockerHub = new ArtifactRepository(scope, "docker-hub", {
    name: "docker-hub",
    remote: "docker-hub",
  });
  catalog.add(
    "docs",
    () =>
      new CloudRunService(
        scope,
        "docs",
        catalog.apply("service", "docs", {
          image: dockerHub.image(catalog.image("docs")),
          binaryAuthorization,
          allowUnauthenticated: env.allowPublic,
          port: 80,
          maxInstances: 3,
        }),
      ),
  );

  // A function deployed from source: Terraform uploads functions/hello (content-hashed) and
  // the function resource builds it with Cloud Build on the Node.js 22 runtime, which Google
  // keeps patched (automatic updates). Overrides are a service's (scaling, resources, env).
  catalog.add(
    "hello-fn",
    () =>
      new CloudRunFunction(
        scope,
        "hello-fn",
        catalog.apply("service", "hello-fn", {
          source: { directory: path.join(__dirname, "..", "functions", "hello") },
          functionTarget: "hello",
          runtime: "nodejs22",
          automaticUpdates: true,
          allowUnauthenticated: env.allowPublic,
          maxInstances: 2,
        }),
      ),
  );

  catalog.finish();
}
