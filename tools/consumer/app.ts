/**
 * The consumer test's app (tools/consumer-test.sh): a small stack written as another repository
 * would, against the package's public API only. Synthesized twice — in this repository (sources,
 * through the workspace link) and in a fresh project with the packed tarball — and compared.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import {
  Checks,
  CloudRunJob,
  CloudRunService,
  IamBinding,
  ProjectApis,
  StackDefaults,
  WorkerPool,
} from "@cdktf-cloud-run/constructs";

const DIGEST = `@sha256:${"0123456789abcdef".repeat(4)}`;
const image = (name: string): string => `us-docker.pkg.dev/acme-ci/apps/${name}${DIGEST}`;
const binaryAuthorization = { useDefault: true };

const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
const stack = new TerraformStack(app, "consumer");
new GoogleProvider(stack, "google", { project: "acme-consumer", region: "europe-west1" });
new LocalBackend(stack, { path: "terraform.consumer.tfstate" });
StackDefaults.set(stack, { tier: "prod", allowPublic: false });
ProjectApis.of(stack);

const api = new CloudRunService(stack, "api", {
  image: image("api"),
  binaryAuthorization,
  minInstances: 1,
  maxInstances: 10,
  env: { LOG_LEVEL: "info" },
  ingress: "internal-and-cloud-load-balancing",
});
const report = new CloudRunJob(stack, "report", {
  image: image("report"),
  binaryAuthorization,
  taskTimeout: "10m",
  maxRetries: 1,
  schedule: { cron: "0 3 * * *", timeZone: "Europe/Berlin" },
});
new WorkerPool(stack, "consumer-pool", { image: image("pool"), binaryAuthorization });
api.grantInvoke(report.serviceAccountMember);
new IamBinding(stack, "ops-run-viewer", {
  target: { project: "acme-consumer" },
  role: "roles/run.viewer",
  members: ["group:ops@acme.example"],
});
Checks.apply(stack);
app.synth();
