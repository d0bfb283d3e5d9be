/**
 * Reads `terraform show -json <planfile>` output (JSON output format 1.x) into the shared change
 * model: resource_changes by action, resource_drift, output_changes. Unknown values read
 * "(known after apply)", sensitive ones "(sensitive)".
 */
import {
  Action,
  ChangeSet,
  OutputChange,
  ResourceChange,
  deepEqual,
  diffValues,
  formatPath,
  isObject,
  leaves,
} from "./changes";
import { ToolError } from "./cli";

export const UNKNOWN = "(known after apply)";
export const SENSITIVE = "(sensitive)";

/** The `change` object of a resource or output change in plan JSON. */
interface PlanChange {
  actions?: unknown;
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: unknown;
}

interface PlanResourceChange {
  address?: unknown;
  mode?: unknown;
  type?: unknown;
  change?: PlanChange;
}

export interface Plan {
  readonly formatVersion: string;
  readonly terraformVersion?: string;
  readonly resources: readonly ResourceChange[];
  readonly drift: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
}

/** Terraform's action lists → one action; `undefined` for no-op. */
export function actionOf(actions: unknown, where: string): Action | undefined {
  const list = Array.isArray(actions) ? actions.map(String) : [];
  const key = list.join(",");
  switch (key) {
    case "no-op":
      return undefined;
    case "create":
    case "update":
    case "delete":
    case "read":
    case "forget":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      throw new ToolError(
        `${where}: actions ${JSON.stringify(actions)} are not a known Terraform action list ` +
          '(no-op, create, read, update, delete, forget, ["delete","create"], ["create","delete"])',
      );
  }
}

/** Replaces the parts of `value` marked `true` in `marks` by `sentinel`. */
export function mask(value: unknown, marks: unknown, sentinel: string): unknown {
  if (marks === true) return sentinel;
  if (Array.isArray(marks)) {
    const list = Array.isArray(value) ? value : [];
    const n = Math.max(list.length, marks.length);
    return Array.from({ length: n }, (_, i) => mask(list[i], marks[i], sentinel));
  }
  if (isObject(marks)) {
    const obj = isObject(value) ? { ...value } : {};
    for (const [k, m] of Object.entries(marks)) {
      const masked = mask(obj[k], m, sentinel);
      if (masked !== undefined) obj[k] = masked;
    }
    return isObject(value) || Object.keys(obj).length > 0 ? obj : value;
  }
  return value;
}

/**
 * Hides sensitive values on both sides at once, so a changed secret still shows as a changed
 * row: `(sensitive)` → `(sensitive, changed)`.
 */
export function hideSensitive(
  before: unknown,
  after: unknown,
  beforeMarks: unknown,
  afterMarks: unknown,
): [unknown, unknown] {
  if (beforeMarks === true || afterMarks === true) {
    const changed = deepEqual(before, after) ? SENSITIVE : `${SENSITIVE}, changed`;
    return [
      before === undefined ? undefined : SENSITIVE,
      after === undefined ? undefined : changed,
    ];
  }
  const at = (v: unknown, k: string | number): unknown =>
    Array.isArray(v) && typeof k === "number" ? v[k] : isObject(v) ? v[k as string] : undefined;
  const rebuild = (v: unknown, pick: (k: string | number) => unknown): unknown => {
    if (Array.isArray(v)) return v.map((_, i) => pick(i));
    if (isObject(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, pick(k)]));
    return v;
  };
  if (
    !isObject(beforeMarks) &&
    !Array.isArray(beforeMarks) &&
    !isObject(afterMarks) &&
    !Array.isArray(afterMarks)
  )
    return [before, after];
  const pair = (k: string | number) =>
    hideSensitive(at(before, k), at(after, k), at(beforeMarks, k), at(afterMarks, k));
  return [rebuild(before, (k) => pair(k)[0]), rebuild(after, (k) => pair(k)[1])];
}

function values(change: PlanChange): { before: unknown; after: unknown } {
  const [before, after] = hideSensitive(
    change.before ?? undefined,
    change.after ?? undefined,
    change.before_sensitive,
    change.after_sensitive,
  );
  return { before, after: mask(after, change.after_unknown, UNKNOWN) };
}

function resourceChange(rc: PlanResourceChange, where: string): ResourceChange | undefined {
  const change = rc.change ?? {};
  const action = actionOf(change.actions, `${where} ${String(rc.address)}`);
  if (!action) return undefined;
  const { before, after } = values(change);
  const replacePaths = Array.isArray(change.replace_paths)
    ? change.replace_paths.filter(Array.isArray).map((p) => formatPath(p as (string | number)[]))
    : [];
  const attributes =
    action === "create" || action === "read"
      ? leaves(after)
      : action === "delete" || action === "forget"
        ? leaves(before).map((l) => ({ path: l.path, before: l.after, after: undefined }))
        : diffValues(before, after);
  return {
    address: String(rc.address),
    type: String(rc.type),
    mode: rc.mode === "data" ? "data" : "managed",
    action,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    attributes,
    ...(replacePaths.length > 0 ? { replacePaths } : {}),
  };
}

function list(plan: Record<string, unknown>, key: string): PlanResourceChange[] {
  const v = plan[key];
  return Array.isArray(v) ? (v.filter(isObject) as PlanResourceChange[]) : [];
}

/** Parses plan JSON text; a ToolError for anything that is not format 1.x plan output. */
export function parsePlan(text: string, file: string): Plan {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new ToolError(
      `${file} is not JSON (${(e as Error).message}); write it with \`terraform show -json plan.out > ${file}\``,
    );
  }
  if (!isObject(plan)) throw new ToolError(`${file} is not a JSON object`);
  const version = plan.format_version;
  if (typeof version !== "string")
    throw new ToolError(
      `${file} has no format_version; is it \`terraform show -json <planfile>\` output?`,
    );
  const major = version.split(".")[0];
  if (major !== "1")
    throw new ToolError(
      `${file} has format_version "${version}"; plan-summary reads the JSON output format 1.x only (major ${major} is unknown). Use a Terraform or OpenTofu release that writes format 1.x.`,
    );
  if (plan.resource_changes === undefined && plan.planned_values === undefined)
    throw new ToolError(
      `${file} holds no plan (no resource_changes): run terraform show -json on a saved plan file`,
    );

  const resources = list(plan, "resource_changes")
    .map((rc) => resourceChange(rc, file))
    .filter((c): c is ResourceChange => c !== undefined);
  const drift = list(plan, "resource_drift")
    .map((rc) => resourceChange(rc, `${file} resource_drift`))
    .filter((c): c is ResourceChange => c !== undefined);
  const outputs: OutputChange[] = [];
  const oc = plan.output_changes;
  if (isObject(oc)) {
    for (const [name, raw] of Object.entries(oc).sort(([a], [b]) => a.localeCompare(b))) {
      const change = (isObject(raw) ? raw : {}) as PlanChange;
      const action = actionOf(change.actions, `${file} output ${name}`);
      if (!action) continue;
      const { before, after } = values(change);
      outputs.push({ name, action, before, after });
    }
  }
  return {
    formatVersion: version,
    terraformVersion:
      typeof plan.terraform_version === "string" ? plan.terraform_version : undefined,
    resources,
    drift,
    outputs,
  };
}

/** A plan as a change set named `name`. */
export function planChangeSet(name: string, plan: Plan): ChangeSet {
  return {
    name,
    status: plan.resources.length + plan.outputs.length > 0 ? "changed" : "unchanged",
    resources: plan.resources,
    outputs: plan.outputs,
  };
}
