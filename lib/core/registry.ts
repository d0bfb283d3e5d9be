/**
 * A per-stack list of the Cloud Run workloads (services, jobs, worker pools) created so far, so
 * stack-wide grants (the deployers' `roles/iam.serviceAccountUser` on each workload identity) and
 * checks can find them without walking the tree.
 */
import { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { addWorkloadOutputs } from "./outputs";
import type { WorkloadKind } from "./kinds";

export interface WorkloadInfo {
  readonly kind: WorkloadKind;
  /** The workload construct. */
  readonly construct: IConstruct;
  /** Cloud Run name of the workload (literal). */
  readonly name: string;
  /** Email of the identity it runs as (a token when the account is created in this stack). */
  readonly serviceAccountEmail: string;
  /** True when this library created a dedicated account for it. */
  readonly dedicatedServiceAccount: boolean;
  /** @default - the provider's project (the workload named none) */
  readonly project?: string | undefined;
}

const WORKLOADS = new WeakMap<TerraformStack, WorkloadInfo[]>();

/**
 * Records a workload of its stack and adds the stack outputs for it (URL, service account,
 * name: see outputs.ts). Called once per workload, after its resource exists.
 */
export function registerWorkload(info: WorkloadInfo): void {
  listOf(WORKLOADS, info.construct).push(info);
  addWorkloadOutputs(info);
}

/** The stack's list in `lists`, created on first use. */
function listOf<T>(lists: WeakMap<TerraformStack, T[]>, scope: IConstruct): T[] {
  const stack = TerraformStack.of(scope);
  let list = lists.get(stack);
  if (!list) lists.set(stack, (list = []));
  return list;
}

/** The workloads registered in the stack that holds `scope`, in creation order. */
export function workloadsOf(scope: IConstruct): readonly WorkloadInfo[] {
  return WORKLOADS.get(TerraformStack.of(scope)) ?? [];
}

export interface IdentityInfo {
  /** The construct that created the identity (grants to it live below it). */
  readonly construct: IConstruct;
  /** Email of the service account (a token when created in this stack). */
  readonly email: string;
}

const IDENTITIES = new WeakMap<TerraformStack, IdentityInfo[]>();

/**
 * Records an identity other than a workload's own that deployers must be able to act as
 * (`roles/iam.serviceAccountUser`): a Cloud Scheduler trigger's account, an Eventarc trigger's.
 */
export function registerIdentity(info: IdentityInfo): void {
  listOf(IDENTITIES, info.construct).push(info);
}

/** Every identity deployers act as: each workload's, then the triggers', in creation order. */
export function identitiesOf(scope: IConstruct): readonly IdentityInfo[] {
  const stack = TerraformStack.of(scope);
  return [
    ...workloadsOf(scope).map((w) => ({ construct: w.construct, email: w.serviceAccountEmail })),
    ...(IDENTITIES.get(stack) ?? []),
  ];
}
