/**
 * Stack outputs for every workload: the service URL, the identity's email and the Cloud Run name,
 * so `cdktf output <stack>` (and `terraform output`) answer "where is it, who does it run as"
 * without reading the state.
 *
 * Written by the library, not by `EnvironmentStack`: the constructs work in any `TerraformStack`
 * (DESIGN §2, "Each stack outputs every service URL and every workload's service account and
 * name"), and `registerWorkload` (registry.ts) already sees each workload of a stack once, in
 * creation order. Outputs live at the stack's top level with a static id, so their names do not
 * carry cdktf's construct-path hash.
 *
 * Names come from the Cloud Run name, `-` → `_` (Cloud Run names hold only `a-z`, `0-9` and `-`,
 * so two distinct names never map to the same id): `api_url`, `api_service_account`, `api_name`;
 * `orders-worker` → `orders_worker_service_account`, `orders_worker_name`. The suffixes cannot
 * collide with each other (`_url`, `_name`, `_service_account` end differently).
 *
 * Collisions: a stack may hold two workloads with the same name (a service and a job `report`,
 * or the same service in two regions or projects), or an output the user created with that id.
 * The first workload registered keeps the plain name; a later one gets its kind inserted
 * (`report_job_name`), then a number (`report_job_2_name`), and a warning on the later workload
 * names the outputs it got. Adding a workload never renames the outputs of one that was there
 * before.
 */
import { IConstruct } from "constructs";
import { Annotations, TerraformOutput, TerraformResource, TerraformStack } from "cdktf";
import type { WorkloadKind } from "./kinds";

/** What a workload's outputs are made from (a subset of registry.ts's `WorkloadInfo`). */
export interface OutputSource {
  readonly kind: WorkloadKind | "function";
  /** The workload construct; its `Resource` child is the Cloud Run resource. */
  readonly construct: IConstruct;
  /** Cloud Run name (literal). */
  readonly name: string;
  /** Email of the identity it runs as. */
  readonly serviceAccountEmail: string;
  /**
   * The URL to output, when it is not the `uri` of the `Resource` child (functions: `url`).
   * @default - the `uri` of the `Resource` child; none for jobs and worker pools
   */
  readonly url?: string | undefined;
}

const KIND_WORD: Record<OutputSource["kind"], string> = {
  service: "service",
  job: "job",
  "worker-pool": "worker_pool",
  function: "function",
};

const KIND_NOUN: Record<OutputSource["kind"], string> = {
  service: "service",
  job: "job",
  "worker-pool": "worker pool",
  function: "function",
};

/** Output-name bases taken in each stack. */
const TAKEN = new WeakMap<TerraformStack, Set<string>>();

/** The output names a workload gets. */
export interface WorkloadOutputNames {
  /** @default - none: the workload has no URL (jobs, worker pools) */
  readonly url?: string | undefined;
  readonly serviceAccount: string;
  readonly name: string;
}

/** The base of a workload's output names: its Cloud Run name with `-` → `_`. */
export function outputBase(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * Adds the workload's outputs to its stack: `<base>_url` (services), `<base>_service_account`
 * and `<base>_name`. Returns the names used.
 */
export function addWorkloadOutputs(info: OutputSource): WorkloadOutputNames {
  const stack = TerraformStack.of(info.construct);
  let taken = TAKEN.get(stack);
  if (!taken) TAKEN.set(stack, (taken = new Set()));

  const plain = outputBase(info.name);
  const candidates = [plain, `${plain}_${KIND_WORD[info.kind]}`];
  let base = candidates.find((c) => free(stack, taken, c));
  for (let n = 2; !base; n++) {
    const numbered = `${plain}_${KIND_WORD[info.kind]}_${n}`;
    if (free(stack, taken, numbered)) base = numbered;
  }
  taken.add(base);

  const resource = info.construct.node.tryFindChild("Resource") as TerraformResource | undefined;
  const noun = `Cloud Run ${KIND_NOUN[info.kind]} ${info.name}`;
  const url =
    info.url ?? (info.kind === "service" ? resource?.getStringAttribute("uri") : undefined);
  const names: WorkloadOutputNames = {
    url: url !== undefined ? `${base}_url` : undefined,
    serviceAccount: `${base}_service_account`,
    name: `${base}_name`,
  };
  if (names.url && url !== undefined) output(stack, names.url, url, `URL of the ${noun}`);
  output(
    stack,
    names.serviceAccount,
    info.serviceAccountEmail,
    `Email of the service account the ${noun} runs as`,
  );
  output(
    stack,
    names.name,
    resource ? resource.getStringAttribute("name") : info.name,
    `Name of the ${noun}`,
  );

  if (base !== plain) {
    Annotations.of(info.construct).addWarning(
      `[${info.construct.node.path}] outputs of this ${KIND_NOUN[info.kind]} are named ${base}_* because ${plain}_* are taken by another workload (or output) of the stack. Give the workloads distinct names to get ${plain}_*.`,
    );
  }
  return names;
}

/** A base is free when none of its three output ids is used in the stack yet. */
function free(stack: TerraformStack, taken: Set<string>, base: string): boolean {
  if (taken.has(base)) return false;
  return ["url", "service_account", "name"].every(
    (suffix) => !stack.node.tryFindChild(`${base}_${suffix}`),
  );
}

function output(scope: IConstruct, id: string, value: string, description: string): void {
  new TerraformOutput(scope, id, { value, description, staticId: true });
}
