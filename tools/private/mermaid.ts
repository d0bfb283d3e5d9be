/**
 * The review's Mermaid picture of what changes: one subgraph per stack that changes (a stack
 * without changes is one line), holding the workloads that change, coloured by action (add,
 * change, replace, destroy), each labelled with its kind, Cloud Run name, identity and roles,
 * and the edges between workloads: `api → orders: invoke` (a roles/run.invoker grant on a
 * workload to another workload's identity) and `scheduler → nightly-report: run` (a Cloud
 * Scheduler job calling a job's :run endpoint). A workload that does not change is drawn grey
 * when an edge of a changing one reaches it. Names are the user's (workload names, account ids,
 * roles), never the construct ids with their hash suffixes.
 */
import { Action, ChangeSet, isObject, sortedByCodePoint, valueAt } from "./changes";
import { WORKLOAD_TYPES } from "./force-new";
import { Stacks, TfJson } from "./tf-diff";

/** The colour classes, one per action, and `unchanged` for context nodes. */
export type DiagramClass = "add" | "change" | "replace" | "destroy" | "unchanged";

const CLASS_OF: Record<Action, DiagramClass> = {
  create: "add",
  update: "change",
  replace: "replace",
  delete: "destroy",
  read: "change",
  forget: "destroy",
};

/** Stronger wins when a workload's resources change in several ways. */
const RANK: Record<DiagramClass, number> = {
  unchanged: 0,
  change: 1,
  add: 2,
  replace: 3,
  destroy: 4,
};

const CLASS_DEFS = [
  "  classDef add fill:#e6ffed,stroke:#22863a,color:#165c26",
  "  classDef change fill:#fff5b1,stroke:#b08800,color:#735c0f",
  "  classDef replace fill:#ffd8b5,stroke:#d15704,color:#8a3a02",
  "  classDef destroy fill:#ffeef0,stroke:#cb2431,color:#86181d,stroke-dasharray:4 2",
  "  classDef unchanged fill:#f6f8fa,stroke:#959da5,color:#586069",
];

/** What the legend under the diagram says. */
export const DIAGRAM_LEGEND =
  "Green: added; yellow: changed; orange: replaced; red, dashed: destroyed; grey: unchanged, drawn for an edge. Dotted edges are removed, thick ones added.";

const KIND: Record<string, string> = {
  google_cloud_run_v2_service: "service",
  google_cloud_run_v2_job: "job",
  google_cloud_run_v2_worker_pool: "worker pool",
};
const SA_PATHS = ["template.service_account", "template.template.service_account"];
const REF = /\$\{(?:data\.)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_.[\]"-]+)?\}/g;
/** cdktf's construct-id hash suffix: `orders_46FA7C19`. */
const HASH_SUFFIX = /_[0-9A-F]{8}$/;
const MAX_ROLES = 6;

/** Text inside a quoted Mermaid label: markup characters as Mermaid entity codes. */
export function label(text: string): string {
  return text
    .replace(/\r\n?|\n/g, " ")
    .replace(/[#"<>`&]/g, (c) => `#${c.codePointAt(0)};`)
    .slice(0, 200);
}

interface Resource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly value: Record<string, unknown>;
  /** The construct path (cdktf's "//" metadata), e.g. `dev/api/Resource`. */
  readonly path?: string;
}

interface Workload {
  readonly address: string;
  readonly kind: string;
  readonly name: string;
  /** Construct path of the workload's construct (`dev/api`), for ownership by path. */
  readonly scope?: string;
  /** Address of the service account it runs as, or an email. */
  readonly identity?: string;
}

/** Everything about one side of a stack that the diagram needs. */
interface Side {
  readonly resources: Map<string, Resource>;
  readonly workloads: Map<string, Workload>;
  /** Service-account address → account id. */
  readonly accounts: Map<string, string>;
}

function readSide(json: TfJson | undefined): Side {
  const resources = new Map<string, Resource>();
  const byType = json?.resource;
  if (isObject(byType))
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, value] of Object.entries(byName)) {
        if (!isObject(value)) continue;
        const path = valueAt(value["//"], "metadata.path");
        resources.set(`${type}.${name}`, {
          address: `${type}.${name}`,
          type,
          name,
          value,
          ...(typeof path === "string" ? { path } : {}),
        });
      }
    }
  const accounts = new Map<string, string>();
  const workloads = new Map<string, Workload>();
  for (const r of resources.values()) {
    if (r.type === "google_service_account")
      accounts.set(r.address, str(r.value.account_id) ?? readable(r.name));
    if (!(WORKLOAD_TYPES as readonly string[]).includes(r.type)) continue;
    const sa = SA_PATHS.map((p) => valueAt(r.value, p)).find((v) => v !== undefined);
    workloads.set(r.address, {
      address: r.address,
      kind: KIND[r.type],
      name: str(r.value.name) ?? readable(r.name),
      // `dev/api/Resource` → `dev/api`; a resource directly in the stack (`dev/api`) has no scope.
      ...(r.path && r.path.split("/").length >= 3
        ? { scope: r.path.split("/").slice(0, -1).join("/") }
        : {}),
      ...(typeof sa === "string" ? { identity: refs(sa)[0] ?? sa } : {}),
    });
  }
  return { resources, workloads, accounts };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && !v.includes("${") ? v : undefined;
}

/** A construct id without cdktf's hash suffix. */
function readable(id: string): string {
  return id.replace(HASH_SUFFIX, "");
}

/** The resource addresses a string refers to (`${type.name.attr}`). */
function refs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(REF)) out.push(`${m[1]}.${m[2]}`);
  return out;
}

/** Every reference anywhere in a value. */
function allRefs(value: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") for (const r of refs(v)) out.push(r);
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) if (k !== "//") stack.push(x);
  }
  return out;
}

/** The workload a resource belongs to: itself, its construct path, its member, a reference. */
function ownerOf(side: Side, address: string, depth = 0): string | undefined {
  if (side.workloads.has(address)) return address;
  const r = side.resources.get(address);
  if (!r) return undefined;
  let best: Workload | undefined;
  for (const w of side.workloads.values())
    if (
      w.scope &&
      r.path?.startsWith(`${w.scope}/`) &&
      w.scope.length > (best?.scope?.length ?? -1)
    )
      best = w;
  if (best) return best.address;
  for (const ref of refs(String(r.value.member ?? ""))) {
    const w = runsAs(side, ref);
    if (w) return w;
  }
  // A grant on a workload named literally (`name: "api"`).
  if (r.type.endsWith("_iam_member"))
    for (const key of ["name", "service", "job"]) {
      const v = str(r.value[key]);
      const w = v && [...side.workloads.values()].find((x) => x.name === v.split("/").pop());
      if (w) return w.address;
    }
  if (depth > 0) return runsAs(side, address);
  for (const ref of allRefs(r.value)) {
    const w = ownerOf(side, ref, depth + 1);
    if (w) return w;
  }
  return undefined;
}

/** The workload running as the service account at `address`. */
function runsAs(side: Side, address: string): string | undefined {
  for (const w of side.workloads.values()) if (w.identity === address) return w.address;
  return undefined;
}

/** A grant's target, readably: `project`, `secret orders-db-password`, `service orders`. */
function grantTarget(side: Side, r: Resource): string {
  if (r.type === "google_project_iam_member") return "project";
  const kind = r.type
    .replace(/^google_/, "")
    .replace(/_iam_member$/, "")
    .replace(/^cloud_run_v2_/, "")
    .replace(/^secret_manager_/, "")
    .replace(/_/g, " ");
  for (const key of ["name", "service", "job", "secret_id", "subscription", "topic", "bucket"]) {
    const v = r.value[key];
    if (typeof v !== "string") continue;
    const ref = refs(v)[0];
    if (ref) {
      const w = side.workloads.get(ref);
      return `${kind} ${w ? w.name : (str(side.resources.get(ref)?.value.name) ?? readable(ref.split(".")[1]))}`;
    }
    return `${kind} ${v.split("/").pop()}`;
  }
  return kind;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** The resource that makes the edge (a grant, a scheduler job). */
  readonly via: string;
}

/** Invoker grants between workloads, and schedulers calling workloads. */
function edges(side: Side): Edge[] {
  const out: Edge[] = [];
  for (const r of side.resources.values()) {
    if (
      r.type.endsWith("_iam_member") &&
      /^roles\/run\.(invoker|servicesInvoker)$/.test(String(r.value.role))
    ) {
      const target = ["name", "service", "job"]
        .map((k) => r.value[k])
        .flatMap((v) => (typeof v === "string" ? refs(v) : []))
        .find((ref) => side.workloads.has(ref));
      const caller = refs(String(r.value.member ?? ""))
        .map((ref) => runsAs(side, ref))
        .find((w) => w !== undefined);
      if (target && caller && target !== caller)
        out.push({ from: caller, to: target, label: "invoke", via: r.address });
    }
    if (r.type === "google_cloud_scheduler_job") {
      const uri = valueAt(r.value, "http_target.uri");
      const target =
        typeof uri === "string" ? refs(uri).find((x) => side.workloads.has(x)) : undefined;
      if (target) {
        const run = typeof uri === "string" && uri.endsWith(":run");
        out.push({ from: r.address, to: target, label: run ? "run" : "call", via: r.address });
      }
    }
  }
  return out;
}

/** `service api<br/>runs as api-run<br/>roles/… on project`. */
function workloadLabel(side: Side, w: Workload): string {
  const lines = [`${w.kind} ${w.name}`];
  const id = w.identity;
  lines.push(
    id === undefined
      ? "runs as the default compute account"
      : `runs as ${side.accounts.get(id) ?? id.replace(/^serviceAccount:/, "").split("@")[0]}`,
  );
  const roles: string[] = [];
  for (const r of side.resources.values()) {
    if (!r.type.endsWith("_iam_member") || typeof r.value.role !== "string") continue;
    if (!id || !refs(String(r.value.member ?? "")).includes(id)) continue;
    const target = grantTarget(side, r);
    // Invoker grants on other workloads are edges, not roles.
    if (
      /^roles\/run\.(invoker|servicesInvoker)$/.test(r.value.role) &&
      /^(service|job|worker pool) /.test(target)
    )
      continue;
    roles.push(`${r.value.role} on ${target}`);
  }
  const sorted = sortedByCodePoint(roles);
  for (const role of sorted.slice(0, MAX_ROLES)) lines.push(role);
  if (sorted.length > MAX_ROLES) lines.push(`… ${sorted.length - MAX_ROLES} more roles`);
  return lines.map(label).join("<br/>");
}

/** Mermaid ids: letters, digits, underscores; unique within the diagram. */
function idMaker(): (key: string, ...parts: string[]) => string {
  const taken = new Map<string, string>();
  const used = new Set<string>();
  return (key, ...parts) => {
    const known = taken.get(key);
    if (known) return known;
    const base = parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    taken.set(key, id);
    return id;
  };
}

function raise(map: Map<string, DiagramClass>, key: string, cls: DiagramClass): void {
  const now = map.get(key);
  if (now === undefined || RANK[cls] > RANK[now]) map.set(key, cls);
}

/**
 * The diagram of what changes between `base` and `head` (`sets` from compareStacks), or
 * undefined when nothing changes.
 */
export function workloadDiagram(
  base: Stacks,
  head: Stacks,
  sets: readonly ChangeSet[],
): string | undefined {
  if (!sets.some((s) => s.status !== "unchanged")) return undefined;
  const id = idMaker();
  const body: string[] = [];
  const links: Array<"added" | "removed" | "kept"> = [];
  for (const set of sets) {
    const stackId = id(`stack ${set.name}`, "stack", set.name);
    if (set.status === "unchanged") {
      body.push(`  ${stackId}["${label(set.name)}: no changes"]:::unchanged`);
      continue;
    }
    const before = readSide(base[set.name]);
    const after = readSide(head[set.name]);
    // Workload address → class, from the resources that change.
    const changed = new Map<string, DiagramClass>();
    let others = 0;
    let othersClass: DiagramClass = "unchanged";
    for (const c of set.resources) {
      const side = c.action === "delete" ? before : after;
      const owner =
        ownerOf(side, c.address) ?? ownerOf(c.action === "delete" ? after : before, c.address);
      if (!owner) {
        others++;
        if (RANK[CLASS_OF[c.action]] > RANK[othersClass]) othersClass = CLASS_OF[c.action];
        continue;
      }
      raise(changed, owner, owner === c.address ? CLASS_OF[c.action] : "change");
    }
    const nodes = new Map<string, { side: Side; cls: DiagramClass }>();
    for (const [w, cls] of changed) {
      const side = after.workloads.has(w) ? after : before;
      nodes.set(w, { side, cls });
    }
    // Edges of changed workloads, from both sides; their other ends join as context.
    const all = new Map<string, Edge & { state: "added" | "removed" | "kept" }>();
    for (const e of edges(before))
      all.set(`${e.from}|${e.to}|${e.label}`, { ...e, state: "removed" });
    for (const e of edges(after)) {
      const key = `${e.from}|${e.to}|${e.label}`;
      all.set(key, { ...e, state: all.has(key) ? "kept" : "added" });
    }
    const shownEdges = [...all.values()].filter((e) => changed.has(e.from) || changed.has(e.to));
    body.push(`  subgraph ${stackId}["${label(set.name)}"]`);
    const scheduler = (e: Edge, side: Side) => {
      const r = side.resources.get(e.from)!;
      const when = [str(r.value.schedule), str(r.value.time_zone)].filter(Boolean).join(" ");
      return `scheduler${when ? `<br/>${label(when)}` : ""}`;
    };
    const lines: string[] = [];
    const drawn = new Set<string>();
    // Readable ids: dev_service_api, dev_scheduler_nightly_report_Scheduler.
    const nodeId = (address: string) => {
      const w = after.workloads.get(address) ?? before.workloads.get(address);
      const parts = w
        ? [w.kind, w.name]
        : [
            address.split(".")[0].replace(/^google_cloud_scheduler_job$/, "scheduler"),
            readable(address.split(".")[1] ?? ""),
          ];
      return id(`${set.name} ${address}`, set.name, ...parts);
    };
    const node = (address: string, cls: DiagramClass, text: string) => {
      if (drawn.has(address)) return;
      drawn.add(address);
      lines.push(`    ${nodeId(address)}["${text}"]:::${cls}`);
    };
    for (const w of sortedByCodePoint(nodes.keys())) {
      const { side, cls } = nodes.get(w)!;
      node(w, cls, workloadLabel(side, side.workloads.get(w)!));
    }
    const edgeLines: string[] = [];
    for (const e of shownEdges) {
      const side = e.state === "removed" ? before : after;
      for (const end of [e.from, e.to]) {
        if (drawn.has(end)) continue;
        const w = side.workloads.get(end);
        if (w) {
          node(end, "unchanged", label(`${w.kind} ${w.name}`));
          continue;
        }
        const via = set.resources.find((c) => c.address === end);
        node(
          end,
          via
            ? CLASS_OF[via.action]
            : e.state === "added"
              ? "add"
              : e.state === "removed"
                ? "destroy"
                : "unchanged",
          scheduler(e, side),
        );
      }
      const arrow = e.state === "added" ? "==>" : e.state === "removed" ? "-.->" : "-->";
      edgeLines.push(`    ${nodeId(e.from)} ${arrow}|${e.label}| ${nodeId(e.to)}`);
      links.push(e.state);
    }
    if (others > 0)
      lines.push(
        `    ${id(`${set.name} (other)`, set.name, "other")}["${others} other resource change${others === 1 ? "" : "s"}<br/>(APIs, project grants, settings: see the details)"]:::${othersClass}`,
      );
    body.push(...lines, ...edgeLines, "  end");
    if (set.status === "added") body.push(`  class ${stackId} add`);
    if (set.status === "removed") body.push(`  class ${stackId} destroy`);
  }
  const styles: string[] = [];
  links.forEach((state, i) => {
    if (state === "added") styles.push(`  linkStyle ${i} stroke:#22863a`);
    if (state === "removed") styles.push(`  linkStyle ${i} stroke:#cb2431`);
  });
  return ["flowchart LR", ...CLASS_DEFS, ...body, ...styles].join("\n");
}
