/**
 * Named error factories of `CloudRunJob` (core/errors.ts points here). Codes never change once
 * shipped. Message shape: see core/errors.ts.
 */
import { IConstruct } from "constructs";
import { errors, problem } from "../core/errors";

type Scope = IConstruct | string;

// --- job ---
export const jobErrors = {
  tasks: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_TASKS",
      scope,
      "tasks",
      value,
      "Cloud Run allows 1–10,000 tasks per job execution (a whole number)",
      "Set tasks between 1 and 10000",
    ),
  parallelism: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_PARALLELISM",
      scope,
      "parallelism",
      value,
      "parallelism is a whole number ≥ 0 (0 runs as many tasks at once as quota allows)",
      "Set parallelism to 0 or more",
    ),
  parallelismAboveTasks: (scope: Scope, value: number, tasks: number) =>
    problem(
      "CR_JOB_PARALLELISM",
      scope,
      "parallelism",
      value,
      `parallelism is 0 or at most tasks (${tasks})`,
      `Lower parallelism to ${tasks} or less, or raise tasks`,
    ),
  maxRetries: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_MAX_RETRIES",
      scope,
      "maxRetries",
      value,
      "Cloud Run allows 0–10 retries per task (a whole number)",
      "Set maxRetries between 0 and 10",
    ),
  taskTimeoutFormat: (scope: Scope, value: unknown) => errors.duration(scope, "taskTimeout", value),
  taskTimeout: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_TASK_TIMEOUT",
      scope,
      "taskTimeout",
      value,
      "Cloud Run allows a task timeout above 0 and up to 168h (604800s) per attempt",
      'Set taskTimeout between "1s" and "168h"',
    ),
  taskTimeoutGpu: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_TASK_TIMEOUT",
      scope,
      "taskTimeout",
      value,
      "with a GPU Cloud Run allows a task timeout of at most 1h (3600s) per attempt",
      'Lower taskTimeout to "1h" or less, or remove gpu',
    ),
  gpuZonalRedundancy: (scope: Scope, value: unknown) =>
    problem(
      "CR_JOB_GPU_ZONAL",
      scope,
      "gpu.zonalRedundancy",
      value,
      "Cloud Run jobs support only non-zonal GPU redundancy (gpu_zonal_redundancy_disabled is always written true)",
      "Remove gpu.zonalRedundancy or set it to false",
    ),
  cron: (scope: Scope, value: unknown, why: string) =>
    problem(
      "CR_JOB_CRON",
      scope,
      "schedule.cron",
      value,
      `${why}; Cloud Scheduler takes unix-cron: minute hour day-of-month month day-of-week`,
      'Fix schedule.cron, e.g. "0 3 * * *" for 03:00 every day',
    ),
  timeZone: (scope: Scope, value: unknown, why: string) =>
    problem(
      "CR_JOB_TIME_ZONE",
      scope,
      "schedule.timeZone",
      value,
      why,
      'Use an IANA name such as "Europe/Berlin", or omit timeZone for "Etc/UTC"',
    ),
};
