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
  MAX_DEPTH,
  deepEqual,
  depthOf,
  diffValues,
  formatPath,
  isObject,
  leaves,
  sortedByCodePoint,
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
  replace_paths?: Array<Array<string | number>> | null;
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

/** A sensitivity mark read against the value it marks: all, nothing, or per element / key. */
type Marks =
  | boolean
  | { readonly list: readonly unknown[] }
  | { readonly map: Readonly<Record<string, unknown>> };

/**
 * Reads a mark failing closed: `true`, a mark of the wrong shape for its value (a list of marks
 * for an object, a string…), or a list of marks shorter than the value, hides the value.
 * Terraform writes a mark per list element and omits object keys that are not sensitive.
 */
function readMarks(value: unknown, marks: unknown): Marks {
  if (value === undefined || value === null) return false;
  if (marks === undefined || marks === false) return false;
  if (Array.isArray(marks)) return Array.isArray(value) ? { list: marks } : true;
  if (isObject(marks)) {
    if (!isObject(value)) return true;
    // Terraform omits keys that are not sensitive: `{}` marks nothing.
    for (const _ in marks) return { map: marks };
    return false;
  }
  return true;
}

function childMark(marks: Marks, key: string | number): unknown {
  if (typeof marks === "boolean") return marks;
  if ("list" in marks)
    return typeof key === "number" && key < marks.list.length ? marks.list[key] : true;
  return marks.map[key as string] ?? false;
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
  const b = readMarks(before, beforeMarks);
  const a = readMarks(after, afterMarks);
  if (b === true || a === true) {
    const changed = deepEqual(before, after) ? SENSITIVE : `${SENSITIVE}, changed`;
    return [
      before === undefined ? undefined : SENSITIVE,
      after === undefined ? undefined : changed,
    ];
  }
  if (b === false && a === false) return [before, after];
  const at = (v: unknown, k: string | number): unknown =>
    Array.isArray(v) && typeof k === "number" ? v[k] : isObject(v) ? v[k as string] : undefined;
  const pair = (k: string | number) =>
    hideSensitive(at(before, k), at(after, k), childMark(b, k), childMark(a, k));
  const rebuild = (v: unknown, side: 0 | 1): unknown => {
    if (Array.isArray(v)) return v.map((_, i) => pair(i)[side]);
    if (isObject(v)) return Object.fromEntries(Object.keys(v).map((k) => [k, pair(k)[side]]));
    return v;
  };
  return [rebuild(before, 0), rebuild(after, 1)];
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

/** `null`, `an object`, `a list`, `the number 3`, `the string "x"`: for shape errors. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "a list";
  if (isObject(value)) return "an object";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

function shapeError(where: string, value: unknown, expected: string): ToolError {
  return new ToolError(
    `${where} is ${describeJson(value)}, expected ${expected}; is the file \`terraform show -json <planfile>\` output?`,
  );
}

/** A list member of plan JSON; `null` or absent reads as an empty list. */
function listAt(plan: Record<string, unknown>, key: string, file: string): unknown[] {
  const v = plan[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw shapeError(`${file}: ${key}`, v, "a list");
  return v;
}

function checkChange(raw: unknown, where: string): PlanChange {
  if (!isObject(raw)) throw shapeError(where, raw, "an object");
  const change = raw as PlanChange;
  if (!Array.isArray(change.actions) || change.actions.some((a) => typeof a !== "string"))
    throw shapeError(`${where}.actions`, change.actions, "a list of action names");
  const rp = change.replace_paths;
  if (
    rp !== undefined &&
    rp !== null &&
    !(
      Array.isArray(rp) &&
      rp.every(
        (p) => Array.isArray(p) && p.every((k) => typeof k === "string" || typeof k === "number"),
      )
    )
  )
    throw shapeError(`${where}.replace_paths`, rp, "a list of attribute paths");
  if (depthOf(change) > MAX_DEPTH)
    throw new ToolError(
      `${where} is nested more than ${MAX_DEPTH} levels deep; plan-summary does not read it`,
    );
  return change;
}

function resourceChange(raw: unknown, where: string): ResourceChange | undefined {
  if (!isObject(raw)) throw shapeError(where, raw, "an object");
  const rc = raw as PlanResourceChange;
  for (const key of ["address", "type"] as const)
    if (typeof rc[key] !== "string" || rc[key] === "")
      throw shapeError(`${where}.${key}`, rc[key], "a non-empty string");
  if (rc.mode !== "managed" && rc.mode !== "data")
    throw shapeError(`${where}.mode`, rc.mode, '"managed" or "data"');
  const address = rc.address as string;
  const change = checkChange(rc.change, `${where} (${address}).change`);
  const action = actionOf(change.actions, `${where} ${address}`);
  if (!action) return undefined;
  const { before, after } = values(change);
  const replacePaths = (change.replace_paths ?? []).map((p) => formatPath(p));
  const attributes =
    action === "create" || action === "read"
      ? leaves(after)
      : action === "delete" || action === "forget"
        ? leaves(before).map((l) => ({ path: l.path, before: l.after, after: undefined }))
        : diffValues(before, after);
  return {
    address,
    type: rc.type as string,
    mode: rc.mode,
    action,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    attributes,
    ...(replacePaths.length > 0 ? { replacePaths } : {}),
  };
}

function resourceChanges(plan: Record<string, unknown>, key: string, file: string) {
  const out: ResourceChange[] = [];
  const list = listAt(plan, key, file);
  for (let i = 0; i < list.length; i++) {
    const c = resourceChange(list[i], `${file}: ${key}[${i}]`);
    if (c) out.push(c);
  }
  return out;
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

  const resources = resourceChanges(plan, "resource_changes", file);
  const drift = resourceChanges(plan, "resource_drift", file);
  const outputs: OutputChange[] = [];
  const oc = plan.output_changes;
  if (oc !== undefined && oc !== null && !isObject(oc))
    throw shapeError(`${file}: output_changes`, oc, "an object of outputs by name");
  if (isObject(oc)) {
    for (const name of sortedByCodePoint(Object.keys(oc))) {
      const change = checkChange(oc[name], `${file}: output_changes[${JSON.stringify(name)}]`);
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
