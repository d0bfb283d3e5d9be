/**
 * The change model shared by review (two synthesized cdk.tf.json files) and plan-summary
 * (`terraform show -json`): resource changes with attribute-level diffs, and the JSON helpers
 * both need (walking values, attribute paths, diffing).
 */

/** What happens to one resource, in Terraform's words; `no-op` is never reported. */
export type Action = "create" | "update" | "replace" | "delete" | "read" | "forget";

/** The order actions are listed in summaries. */
export const ACTIONS: readonly Action[] = [
  "create",
  "update",
  "replace",
  "delete",
  "read",
  "forget",
];

/** One changed leaf: `template.containers[0].image` from before to after (undefined = absent). */
export interface AttributeChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ResourceChange {
  /** `type.name`, `data.type.name` or `module.x.type.name`. */
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly action: Action;
  /** Values before and after (absent for create / delete respectively). */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Changed leaves (for create: every leaf of after; for delete: every leaf of before). */
  readonly attributes: readonly AttributeChange[];
  /** Attribute paths that force the replacement (action `replace`). */
  readonly replacePaths?: readonly string[];
  /** For a replacement caused by a new address: the old address. */
  readonly movedFrom?: string;
}

export interface OutputChange {
  readonly name: string;
  readonly action: Action;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Changes of one stack (review) or of one plan (plan-summary). */
export interface ChangeSet {
  readonly name: string;
  /** `added` / `removed` for a stack that exists on one side only. */
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Code-point order, the same on every machine: not `localeCompare` (whose order follows the
 * locale, e.g. LC_ALL=tr_TR), not the default sort (UTF-16 code units put U+E000–U+FFFF after
 * astral characters).
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = a[Symbol.iterator]();
  const y = b[Symbol.iterator]();
  for (;;) {
    const p = x.next();
    const q = y.next();
    if (p.done) return q.done ? 0 : -1;
    if (q.done) return 1;
    const d = p.value.codePointAt(0)! - q.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** Sorted copy of `items` in code-point order. */
export function sortedByCodePoint(items: Iterable<string>): string[] {
  return [...items].sort(compareCodePoints);
}

/** How deep the value walkers below go; deeper values are refused rather than overflowing. */
export const MAX_DEPTH = 200;

/**
 * The nesting depth of a JSON value, measured without recursion; stops counting at `limit + 1`.
 */
export function depthOf(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isObject(v)) for (const k in v) stack.push([v[k], d + 1]);
  }
  return max;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes cdktf's `"//"` metadata keys at every depth. */
export function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = stripMetadata(v);
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** `["template", 0, "name"]` → `template[0].name` (plan JSON's replace_paths). */
export function formatPath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((p, k) => join(p, k), "");
}

function join(prefix: string, key: string | number): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  return prefix === "" ? key : `${prefix}.${key}`;
}

function isScalarList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => !isObject(v) && !Array.isArray(v));
}

/**
 * Leaf-level differences. Objects recurse by key, lists of blocks by index; a list of scalars
 * (members, args, depends_on) is one leaf, shown whole.
 */
export function diffValues(before: unknown, after: unknown, prefix = ""): AttributeChange[] {
  if (deepEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = sortedByCodePoint(new Set([...Object.keys(before), ...Object.keys(after)]));
    return keys.flatMap((k) => diffValues(before[k], after[k], join(prefix, k)));
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    !(isScalarList(before) && isScalarList(after))
  ) {
    const n = Math.max(before.length, after.length);
    const out: AttributeChange[] = [];
    for (let i = 0; i < n; i++)
      for (const c of diffValues(before[i], after[i], join(prefix, i))) out.push(c);
    return out;
  }
  if (before === undefined && (isObject(after) || Array.isArray(after)))
    return leaves(after, prefix).map((c) => ({ path: c.path, before: undefined, after: c.after }));
  if (after === undefined && (isObject(before) || Array.isArray(before)))
    return leaves(before, prefix).map((c) => ({ path: c.path, before: c.after, after: undefined }));
  return [{ path: prefix, before, after }];
}

/** Every leaf of a value as `{ path, after }` (scalar lists are leaves). */
export function leaves(value: unknown, prefix = ""): AttributeChange[] {
  if (isObject(value)) {
    const keys = sortedByCodePoint(Object.keys(value));
    if (keys.length === 0)
      return prefix === "" ? [] : [{ path: prefix, before: undefined, after: {} }];
    return keys.flatMap((k) => leaves(value[k], join(prefix, k)));
  }
  if (Array.isArray(value) && !isScalarList(value))
    return value.flatMap((v, i) => leaves(v, join(prefix, i)));
  return [{ path: prefix, before: undefined, after: value }];
}

/** `template.containers[0].depends_on[1]` → `template.containers.depends_on` (the constraints' convention). */
export function withoutIndices(path: string): string {
  return path.replace(/\[\d+\]/g, "");
}

/**
 * Every value at a dotted path, stepping through lists at any level, so the same path reads
 * cdk.tf.json (`template: {…}`) and plan JSON (`template: [{…}]`).
 */
export function valuesAt(value: unknown, path: string): unknown[] {
  const parts = path === "" ? [] : path.split(".");
  let current: unknown[] = [value];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const v of current.flatMap((c) => (Array.isArray(c) ? c : [c])))
      if (isObject(v) && v[part] !== undefined) next.push(v[part]);
    current = next;
  }
  return current.flatMap((c) => (Array.isArray(c) ? c : [c]));
}

/** The first value at a path, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  return valuesAt(value, path)[0];
}

/** Counts per action, for summary tables. */
export function countByAction(changes: readonly { action: Action }[]): Record<Action, number> {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const c of changes) counts[c.action]++;
  return counts;
}
