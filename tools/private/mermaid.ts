/**
 * A Mermaid flowchart of synthesized stacks: workloads → the service accounts they run as → the
 * roles those accounts are granted (from `*_iam_member` resources), one subgraph per stack.
 */
import { isObject, valueAt } from "./changes";
import { WORKLOAD_TYPES } from "./force-new";
import { Stacks, TfJson } from "./tf-diff";

const SA_TYPE = "google_service_account";
const SA_PATHS = ["template.service_account", "template.template.service_account"];
const KIND: Record<string, string> = {
  google_cloud_run_v2_service: "service",
  google_cloud_run_v2_job: "job",
  google_cloud_run_v2_worker_pool: "worker pool",
};
/** `${google_service_account.api.email}` (or `.member`, `.name`, `.id`). */
const SA_REF = /\$\{google_service_account\.([A-Za-z0-9_-]+)\.(?:email|member|name|id)\}/;
/** Any `${type.name.attr}` reference, to name a grant's target. */
const ANY_REF = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}/;

function id(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

function quote(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

function byType(json: TfJson, type: string): Array<[string, Record<string, unknown>]> {
  const resources = json.resource;
  const all = isObject(resources) ? resources[type] : undefined;
  return isObject(all)
    ? Object.entries(all).filter((e): e is [string, Record<string, unknown>] => isObject(e[1]))
    : [];
}

/** The SA key of a reference or literal: a logical name, or an email. */
function accountKey(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const ref = SA_REF.exec(value);
  if (ref) return ref[1];
  const email = value.replace(/^serviceAccount:/, "");
  return email.includes("@") && !email.includes("${") ? email : undefined;
}

/** What a grant is on: the project, or the resource its target argument references. */
function grantTarget(type: string, grant: Record<string, unknown>): string {
  if (type === "google_project_iam_member") return "project";
  const kind = type.replace(/^google_/, "").replace(/_iam_member$/, "");
  for (const key of ["name", "service", "job", "secret_id", "repository", "bucket", "topic"]) {
    const v = grant[key];
    if (typeof v !== "string") continue;
    const ref = ANY_REF.exec(v);
    return `${kind} ${ref ? ref[2] : v.split("/").pop()}`;
  }
  return kind;
}

function stackLines(stack: string, json: TfJson): string[] {
  const lines: string[] = [];
  const accounts = new Map<string, string>(); // key → node id
  const account = (key: string, label: string): string => {
    let node = accounts.get(key);
    if (!node) {
      node = id(stack, "sa", key);
      accounts.set(key, node);
      lines.push(`    ${node}([${quote(label)}])`);
    }
    return node;
  };
  for (const [name, sa] of byType(json, SA_TYPE))
    account(name, `SA ${String(sa.account_id ?? name)}`);

  for (const type of WORKLOAD_TYPES) {
    for (const [name, w] of byType(json, type)) {
      const node = id(stack, "w", type, name);
      lines.push(`    ${node}[${quote(`${KIND[type]} ${String(w.name ?? name)}`)}]`);
      const ref = SA_PATHS.map((p) => valueAt(w, p)).find((v) => v !== undefined);
      const key = accountKey(ref);
      const target = key
        ? account(key, accounts.has(key) ? key : `SA ${key}`)
        : account("(default)", "default compute SA");
      lines.push(`    ${node} -->|runs as| ${target}`);
    }
  }

  const resources = isObject(json.resource) ? Object.keys(json.resource) : [];
  let n = 0;
  for (const type of resources.filter((t) => t.endsWith("_iam_member")).sort()) {
    for (const [, grant] of byType(json, type)) {
      const key = accountKey(grant.member);
      const node = key ? accounts.get(key) : undefined;
      if (!node || typeof grant.role !== "string") continue;
      const role = id(stack, "role", String(n++));
      lines.push(`    ${role}[${quote(`${grant.role} on ${grantTarget(type, grant)}`)}]`);
      lines.push(`    ${node} --> ${role}`);
    }
  }
  return lines;
}

/** The flowchart source, or undefined when no stack has a workload or service account. */
export function workloadDiagram(stacks: Stacks): string | undefined {
  const body: string[] = [];
  for (const name of Object.keys(stacks).sort()) {
    const lines = stackLines(name, stacks[name]);
    if (lines.length === 0) continue;
    body.push(`  subgraph ${id("stack", name)}[${quote(name)}]`, ...lines, "  end");
  }
  return body.length > 0 ? ["flowchart LR", ...body].join("\n") : undefined;
}
