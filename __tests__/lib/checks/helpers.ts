/** Raw provider resources that pass every rule, and a plain stack with the checks applied. */
import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import {
  CloudRunV2Service,
  CloudRunV2ServiceConfig,
} from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { CloudRunV2Job, CloudRunV2JobConfig } from "@cdktf/provider-google/lib/cloud-run-v2-job";
import {
  CloudRunV2WorkerPool,
  CloudRunV2WorkerPoolConfig,
} from "@cdktf/provider-google/lib/cloud-run-v2-worker-pool";
import { Checks, Finding } from "../../../lib/checks";
import { Tier, setWorkloadDefaults } from "../../../lib/core/context";
import { plainStack } from "../../helpers";

export const DIGEST = `sha256:${"a1".repeat(32)}`;
export const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@${DIGEST}`;
export const SA = "api@acme-test.iam.gserviceaccount.com";

/** A plain stack with the checks applied, in an environment of `tier` (none by default). */
export function checkedStack(env: { tier?: Tier; allowPublic?: boolean } = {}): TerraformStack {
  const stack = plainStack();
  setWorkloadDefaults(stack, { tier: env.tier, allowPublic: env.allowPublic });
  Checks.apply(stack);
  return stack;
}

/** The unsuppressed findings of one rule. */
export function findingsOf(stack: TerraformStack, ruleId: string): Finding[] {
  return Checks.findings(stack).filter((f) => f.ruleId === ruleId);
}

/** A service that passes every rule in every tier; `config` replaces top-level keys. */
export function service(
  scope: Construct,
  id: string,
  config: Partial<CloudRunV2ServiceConfig> = {},
): CloudRunV2Service {
  return new CloudRunV2Service(scope, id, {
    name: id,
    location: "us-central1",
    deletionProtection: true,
    ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
    binaryAuthorization: { useDefault: true },
    template: { serviceAccount: SA, containers: [{ image: IMAGE }] },
    ...config,
  });
}

/** A job that passes every rule in every tier. */
export function job(
  scope: Construct,
  id: string,
  config: Partial<CloudRunV2JobConfig> = {},
): CloudRunV2Job {
  return new CloudRunV2Job(scope, id, {
    name: id,
    location: "us-central1",
    deletionProtection: true,
    binaryAuthorization: { useDefault: true },
    template: { template: { serviceAccount: SA, containers: [{ image: IMAGE }] } },
    ...config,
  });
}

/** A worker pool that passes every rule in every tier. */
export function workerPool(
  scope: Construct,
  id: string,
  config: Partial<CloudRunV2WorkerPoolConfig> = {},
): CloudRunV2WorkerPool {
  return new CloudRunV2WorkerPool(scope, id, {
    name: id,
    location: "us-central1",
    deletionProtection: true,
    binaryAuthorization: { useDefault: true },
    template: { serviceAccount: SA, containers: [{ image: IMAGE }] },
    ...config,
  });
}
