import { Construct } from "constructs";
import { Environment } from "./environment";

/**
 * The platform's workload catalog: the services, jobs and worker pools every environment runs,
 * written with `lib/`, taking images and overrides from the environment file.
 */
export function defineWorkloads(_scope: Construct, _env: Environment): void {
  // Filled by the CloudRunService, CloudRunJob and WorkerPool constructs.
}
