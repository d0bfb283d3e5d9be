/**
 * The kinds of workload the constructs create, declared once: registries, outputs, IAM targets,
 * container rules and the checks all read this union.
 */
export type WorkloadKind = "service" | "job" | "worker-pool";
