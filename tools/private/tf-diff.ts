/**
 * Compares synthesized cdk.tf.json files: a pure function over two maps of stack name → parsed
 * JSON, so review's logic is tested without git or synth.
 */
import {
  ChangeSet,
  OutputChange,
  compareCodePoints,
  sortedByCodePoint,
  ResourceChange,
  deepEqual,
  diffValues,
  isObject,
  leaves,
  stripMetadata,
} from "./changes";
import { forceNewPaths } from "./force-new";

/** What review shows for the value of a sensitive output. */
export const SENSITIVE_OUTPUT = "(sensitive)";

/** A parsed cdk.tf.json (only the parts compared here are typed). */
export type TfJson = Record<string, unknown>;

/** Stack name → parsed cdk.tf.json. */
export type Stacks = Readonly<Record<string, TfJson>>;

type Entries = Map<string, { type: string; mode: "managed" | "data"; value: unknown }>;

/** Resources, data sources and provider/backend settings of one file, keyed by address. */
function entries(json: TfJson | undefined, withSettings: boolean): Entries {
  const out: Entries = new Map();
  if (!json) return out;
  for (const [section, mode, prefix] of [
    ["resource", "managed", ""],
    ["data", "data", "data."],
  ] as const) {
    const byType = json[section];
    if (!isObject(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) continue;
      for (const [name, value] of Object.entries(byName))
        out.set(`${prefix}${type}.${name}`, { type, mode, value: stripMetadata(value) });
    }
  }
  const providers = json.provider;
  if (!withSettings) return out;
  if (isObject(providers))
    for (const [name, value] of Object.entries(providers))
      out.set(`provider.${name}`, { type: "provider", mode: "managed", value });
  const terraform = json.terraform;
  if (isObject(terraform) && terraform.backend !== undefined)
    out.set("terraform.backend", { type: "backend", mode: "managed", value: terraform.backend });
  return out;
}

/** Output name → its definition (`value`, `sensitive`, `description`…). */
function outputs(json: TfJson | undefined): Record<string, Record<string, unknown>> {
  const o = json?.output;
  if (!isObject(o)) return {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(stripMetadata(o) as Record<string, unknown>))
    out[name] = isObject(def) ? def : { value: def };
  return out;
}

/**
 * Added, changed and removed outputs, shown by their `value` (an expression such as
 * `${google_cloud_run_v2_service.api.uri}`, or a literal); a `sensitive` output on either side
 * reads `(sensitive)`.
 */
function compareOutputs(base: TfJson | undefined, head: TfJson | undefined): OutputChange[] {
  const before = outputs(base);
  const after = outputs(head);
  const names = sortedByCodePoint(new Set([...Object.keys(before), ...Object.keys(after)]));
  const out: OutputChange[] = [];
  for (const name of names) {
    const b = before[name];
    const a = after[name];
    if (deepEqual(a, b)) continue;
    const action = b === undefined ? "create" : a === undefined ? "delete" : "update";
    const hidden = b?.sensitive === true || a?.sensitive === true;
    const shown = (d: Record<string, unknown> | undefined) =>
      d === undefined ? undefined : hidden ? SENSITIVE_OUTPUT : d.value;
    let [was, now] = [shown(b), shown(a)];
    if (hidden && action === "update") now = deepEqual(b.value, a.value) ? now : `${now}, changed`;
    // Only the description or the sensitive flag changed: show the whole definition.
    if (!hidden && action === "update" && deepEqual(was, now)) [was, now] = [b, a];
    out.push({ name, action, before: was, after: now });
  }
  return out;
}

/**
 * A removed and an added resource of the same type with the same `name` (or identical
 * arguments) are one resource whose address changed: Terraform replaces it unless a `moved`
 * block says otherwise.
 */
function findMoves(removed: Entries, added: Entries): Map<string, string> {
  const moves = new Map<string, string>(); // new address → old address
  const taken = new Set<string>();
  for (const [newAddr, a] of added) {
    for (const [oldAddr, r] of removed) {
      if (taken.has(oldAddr) || r.type !== a.type || r.mode !== a.mode) continue;
      const av = a.value as Record<string, unknown>;
      const rv = r.value as Record<string, unknown>;
      const sameName =
        isObject(av) && isObject(rv) && av.name !== undefined && deepEqual(av.name, rv.name);
      if (sameName || deepEqual(av, rv)) {
        moves.set(newAddr, oldAddr);
        taken.add(oldAddr);
        break;
      }
    }
  }
  return moves;
}

/** Resource-level changes of one stack; `undefined` on a side = the stack is absent there. */
export function compareStack(
  name: string,
  base: TfJson | undefined,
  head: TfJson | undefined,
): ChangeSet {
  // Provider and backend settings are compared only while the stack exists on both sides.
  const bothSides = base !== undefined && head !== undefined;
  const before = entries(base, bothSides);
  const after = entries(head, bothSides);
  const removed: Entries = new Map([...before].filter(([k]) => !after.has(k)));
  const added: Entries = new Map([...after].filter(([k]) => !before.has(k)));
  const moves = findMoves(removed, added);
  const movedOld = new Set(moves.values());
  const resources: ResourceChange[] = [];

  for (const [address, b] of before) {
    const a = after.get(address);
    if (a) {
      const attributes = diffValues(b.value, a.value);
      if (attributes.length === 0) continue;
      const replacePaths = forceNewPaths(
        a.type,
        attributes.map((c) => c.path),
      );
      resources.push({
        address,
        type: a.type,
        mode: a.mode,
        action: replacePaths.length > 0 ? "replace" : "update",
        before: b.value,
        after: a.value,
        attributes,
        ...(replacePaths.length > 0 ? { replacePaths } : {}),
      });
    } else if (!movedOld.has(address)) {
      resources.push({
        address,
        type: b.type,
        mode: b.mode,
        action: "delete",
        before: b.value,
        attributes: leaves(b.value).map((l) => ({
          path: l.path,
          before: l.after,
          after: undefined,
        })),
      });
    }
  }
  for (const [address, a] of added) {
    const old = moves.get(address);
    if (old) {
      const b = before.get(old)!;
      resources.push({
        address,
        type: a.type,
        mode: a.mode,
        action: "replace",
        before: b.value,
        after: a.value,
        attributes: diffValues(b.value, a.value),
        movedFrom: old,
      });
    } else {
      resources.push({
        address,
        type: a.type,
        mode: a.mode,
        action: "create",
        after: a.value,
        attributes: leaves(a.value),
      });
    }
  }
  resources.sort((x, y) => compareCodePoints(x.address, y.address));
  const outputChanges = compareOutputs(base, head);
  const status =
    base === undefined
      ? "added"
      : head === undefined
        ? "removed"
        : resources.length + outputChanges.length > 0
          ? "changed"
          : "unchanged";
  return { name, status, resources, outputs: outputChanges };
}

/** Every stack of base and head, sorted by name. */
export function compareStacks(base: Stacks, head: Stacks): ChangeSet[] {
  const names = sortedByCodePoint(new Set([...Object.keys(base), ...Object.keys(head)]));
  return names.map((n) => compareStack(n, base[n], head[n]));
}
