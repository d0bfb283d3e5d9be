/**
 * Named error factories of `WorkerPool` (core/errors.ts points here). Codes never change once
 * shipped. Message shape: see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { problem } from "../core/errors";

type Scope = IConstruct | string;

export const poolErrors = {
  instances: (scope: Scope, value: unknown) =>
    problem(
      "CR_POOL_INSTANCES",
      scope,
      "instances",
      value,
      "instances (the manual instance count) is a whole number ≥ 0; 0 pauses the pool",
      "Set instances to 0 or more",
    ),
  probe: (scope: Scope, prop: string) =>
    problem(
      "CR_POOL_PROBE",
      scope,
      prop,
      "set",
      "google_cloud_run_v2_worker_pool in Terraform provider 6.50 has no probe fields on containers (the Cloud Run API has startup and liveness probes for worker pools)",
      `Remove ${prop}`,
    ),
};
