/**
 * What an `IamBinding` can grant on (iam-binding.ts): the target types, apart so that the binding
 * and the target resolution (iam-targets.ts) both read them without an import cycle.
 */
import type { Construct } from "constructs";
import type { WorkloadKind } from "../core/kinds";

/** What a Cloud Run workload construct exposes so IAM can be granted on it. */
export interface WorkloadIamTarget {
  readonly kind: WorkloadKind;
  /** Stable key for de-duplication: the workload's construct path. */
  readonly key: string;
  /** The workload's name (a reference to the resource, so grants wait for it). */
  readonly name: string;
  readonly location: string;
  /** @default - the provider's project (the workload named none) */
  readonly project?: string | undefined;
  /** The workload construct: grants on it are created below it. */
  readonly scope: Construct;
}

/** A construct that can be the target of an `IamBinding` (services, jobs, worker pools). */
export interface IGrantable {
  readonly iamTarget: WorkloadIamTarget;
}

/** A project: `{ project: "acme-dev" }`. */
export interface ProjectIamTarget {
  readonly project: string;
}

/** A service account, by email (or `projects/P/serviceAccounts/EMAIL`). */
export interface ServiceAccountIamTarget {
  readonly serviceAccount: string;
}

/** A Secret Manager secret, by name (or `projects/P/secrets/NAME`). */
export interface SecretIamTarget {
  readonly secret: string;
  /** @default - the provider's project */
  readonly project?: string | undefined;
}

/** Where a Cloud Run resource named by string lives. */
export interface RegionalIamTarget {
  /** @default - the stack's region (environment, then Google provider) */
  readonly location?: string | undefined;
  /** @default - the provider's project */
  readonly project?: string | undefined;
}

/** A Cloud Run service by name (or `projects/P/locations/L/services/NAME`), when the construct is not at hand. */
export interface ServiceIamTarget extends RegionalIamTarget {
  readonly service: string;
}

/** A Cloud Run job by name (or `projects/P/locations/L/jobs/NAME`). */
export interface JobIamTarget extends RegionalIamTarget {
  readonly job: string;
}

/** A Cloud Run worker pool by name (or `projects/P/locations/L/workerPools/NAME`). */
export interface WorkerPoolIamTarget extends RegionalIamTarget {
  readonly workerPool: string;
}

/** A Pub/Sub subscription by name (or `projects/P/subscriptions/NAME`): pull consumers need `roles/pubsub.subscriber` on it. */
export interface SubscriptionIamTarget {
  readonly subscription: string;
  /** @default - the provider's project */
  readonly project?: string | undefined;
}

/** Where an `IamBinding` grants its role. */
export type IamTarget =
  | IGrantable
  | ProjectIamTarget
  | ServiceAccountIamTarget
  | SecretIamTarget
  | ServiceIamTarget
  | JobIamTarget
  | WorkerPoolIamTarget
  | SubscriptionIamTarget;
