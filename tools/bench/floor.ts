/**
 * The floor baseline: the resources our app synthesized (read back from its cdk.tf.json), emitted
 * again with the raw provider classes and no constructs, and the same program in the classic
 * set-up (provider barrel imports, run with ts-node type-checking). Pure functions.
 *
 * The floor program is data-driven: `floor.json` holds each stack's providers, backend and
 * elements (config in the classes' camelCase shape, references as markers), and a short loop
 * creates them, so the floor pays for the provider classes, tokens and synth, and nothing else.
 */

/** A reference `${address.attribute}` inside a config string, kept as a marker. */
export interface RefMarker {
  readonly $ref: readonly [address: string, attribute: string];
}
/** A string made of literals and references. */
export interface TemplateMarker {
  readonly $tpl: readonly (string | RefMarker)[];
}

export interface FloorElement {
  /** `resource`, `data` or `output`. */
  readonly kind: "resource" | "data" | "output";
  /** Terraform type (`google_cloud_run_v2_service`); empty for outputs. */
  readonly type: string;
  /** Logical id: the construct id the floor uses at the top of the stack. */
  readonly id: string;
  /** Terraform address, as references name it (`data.google_project.project`). */
  readonly address: string;
  readonly config: unknown;
  readonly dependsOn: readonly string[];
}

export interface FloorProvider {
  readonly type: string;
  readonly config: Record<string, unknown>;
  /** Map-valued attributes, written raw with addOverride (cdktf would rewrite provider map keys). */
  readonly overrides: Record<string, unknown>;
}

export interface FloorStack {
  readonly name: string;
  readonly providers: readonly FloorProvider[];
  readonly backend?: { readonly type: string; readonly config: Record<string, unknown> };
  /** `terraform.required_version`, when the stack writes one (the constructs do). */
  readonly requiredVersion?: string;
  /** In dependency order: every reference and depends_on points to an earlier element. */
  readonly elements: readonly FloorElement[];
}

/** Attributes whose value is a map: their keys are data, not field names, and stay as written. */
export const MAP_ATTRIBUTES: ReadonlySet<string> = new Set([
  "labels",
  "annotations",
  "default_labels",
  "headers",
  "triggers",
  "limits",
  "node_selector",
  "terraform_labels",
  "effective_labels",
  "effective_annotations",
]);

const META = new Set(["//", "depends_on"]);

export function camelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function pascalCase(key: string): string {
  const c = camelCase(key);
  return c.charAt(0).toUpperCase() + c.slice(1);
}

const REF = /\$\{((?:data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}/g;

/** A config string → itself, a reference marker, or a template of literals and references. */
export function convertString(value: string): string | RefMarker | TemplateMarker {
  const parts: (string | RefMarker)[] = [];
  let last = 0;
  for (const m of value.matchAll(REF)) {
    // A reference inside a larger expression (`${foo(bar.x.y)}`) is not matched: REF needs `${`.
    if (m.index! > last) parts.push(value.slice(last, m.index));
    parts.push({ $ref: [m[1], m[2]] });
    last = m.index! + m[0].length;
  }
  if (parts.length === 0) return value;
  if (last < value.length) parts.push(value.slice(last));
  return parts.length === 1 && typeof parts[0] !== "string" ? parts[0] : { $tpl: parts };
}

/** Terraform JSON config → the provider class's config shape (camelCase keys, map keys kept). */
export function convertConfig(value: unknown, rawKeys = false): unknown {
  if (typeof value === "string") return convertString(value);
  if (Array.isArray(value)) return value.map((v) => convertConfig(v, false));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue;
      if (k === "lifecycle" && !rawKeys) {
        out.lifecycle = camelKeysOnly(v);
        continue;
      }
      out[rawKeys ? k : camelCase(k)] = convertConfig(v, !rawKeys && MAP_ATTRIBUTES.has(k));
    }
    return out;
  }
  return value;
}

/** lifecycle: keys camelCased, values (attribute names) as written. */
function camelKeysOnly(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelCase(k), v]));
}

/** Addresses a converted value refers to. */
export function referencedAddresses(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencedAddresses(v, into);
  else if (value && typeof value === "object") {
    if ("$ref" in value) into.add((value as RefMarker).$ref[0]);
    else for (const v of Object.values(value)) referencedAddresses(v, into);
  }
  return into;
}

type Json = Record<string, unknown>;

/** One synthesized stack (cdk.tf.json) → the floor's plan for it. */
export function floorStack(name: string, json: Json): FloorStack {
  const elements: FloorElement[] = [];
  const add = (kind: "resource" | "data", blocks: unknown) => {
    for (const [type, byId] of Object.entries((blocks ?? {}) as Record<string, Json>)) {
      for (const [id, body] of Object.entries(byId)) {
        const raw = body as Json;
        const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !META.has(k)));
        const address = kind === "data" ? `data.${type}.${id}` : `${type}.${id}`;
        elements.push({
          kind,
          type,
          id,
          address,
          config: convertConfig(rest),
          dependsOn: ((raw.depends_on as string[] | undefined) ?? []).map(stripInterpolation),
        });
      }
    }
  };
  add("data", json.data);
  add("resource", json.resource);
  for (const [id, body] of Object.entries((json.output ?? {}) as Record<string, Json>)) {
    const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !META.has(k)));
    elements.push({
      kind: "output",
      type: "",
      id,
      address: `output.${id}`,
      config: convertConfig(rest),
      dependsOn: [],
    });
  }

  const providers: FloorProvider[] = [];
  for (const [type, list] of Object.entries((json.provider ?? {}) as Record<string, Json[]>)) {
    for (const cfg of list) {
      const config: Record<string, unknown> = {};
      const overrides: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(cfg)) {
        if (MAP_ATTRIBUTES.has(k)) overrides[k] = v;
        else config[camelCase(k)] = convertConfig(v);
      }
      providers.push({ type, config, overrides });
    }
  }
  const backends = ((json.terraform as Json | undefined)?.backend ?? {}) as Record<string, Json>;
  const [backendType] = Object.keys(backends);
  const requiredVersion = (json.terraform as Json | undefined)?.required_version;
  return {
    name,
    providers,
    requiredVersion: typeof requiredVersion === "string" ? requiredVersion : undefined,
    backend: backendType
      ? { type: backendType, config: convertConfig(backends[backendType]) as Json }
      : undefined,
    elements: dependencyOrder(elements),
  };
}

function stripInterpolation(s: string): string {
  return s.replace(/^\$\{(.*)\}$/, "$1");
}

/** Orders elements so that what an element refers to (or depends on) comes before it. */
export function dependencyOrder(elements: readonly FloorElement[]): FloorElement[] {
  const byAddress = new Map(elements.map((e) => [e.address, e]));
  const out: FloorElement[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (e: FloorElement) => {
    const s = state.get(e.address);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`reference cycle through ${e.address}`);
    state.set(e.address, "visiting");
    for (const a of [...referencedAddresses(e.config), ...e.dependsOn]) {
      const dep = byAddress.get(a);
      if (dep) visit(dep);
    }
    state.set(e.address, "done");
    out.push(e);
  };
  for (const e of elements) visit(e);
  return out;
}

/** Where a Terraform type's class lives and what it is called. */
export interface ClassRef {
  /** Package (`@cdktf/provider-google`). */
  readonly pkg: string;
  /** Module under lib/ (`cloud-run-v2-service`). */
  readonly module: string;
  /** Exported class (`CloudRunV2Service`). */
  readonly className: string;
  /** The barrel's namespace for the module (`cloudRunV2Service`). */
  readonly namespace: string;
}

const PROVIDER_PACKAGES: Record<string, { pkg: string; className: string }> = {
  google: { pkg: "@cdktf/provider-google", className: "GoogleProvider" },
  time: { pkg: "@cdktf/provider-time", className: "TimeProvider" },
};

/** The provider class of a provider block (`google` → GoogleProvider). */
export function providerClass(type: string): ClassRef {
  const p = PROVIDER_PACKAGES[type];
  if (!p) throw new Error(`bench: no provider package known for provider "${type}"`);
  return { pkg: p.pkg, module: "provider", className: p.className, namespace: "provider" };
}

/** The class of a resource or data source type, following the cdktf provider naming. */
export function elementClass(kind: "resource" | "data", type: string): ClassRef {
  const provider = type.split("_")[0];
  const p = PROVIDER_PACKAGES[provider];
  if (!p) throw new Error(`bench: no provider package known for type "${type}"`);
  // google_x → lib/x (class X); data google_x → lib/data-google-x (DataGoogleX).
  const name = kind === "data" ? `data_${type}` : type.slice(provider.length + 1);
  return {
    pkg: p.pkg,
    module: name.replace(/_/g, "-"),
    className: pascalCase(name),
    namespace: camelCase(name),
  };
}

export interface FloorProgramOptions {
  readonly stacks: readonly FloorStack[];
  /** `deep`: one import per module (the floor); `barrel`: the package barrels (classic). */
  readonly imports: "deep" | "barrel";
  /** File name of the plan, next to the program. */
  readonly planFile: string;
}

/** Every class the stacks need, de-duplicated, by local name. */
export function classesOf(stacks: readonly FloorStack[]): Map<string, ClassRef> {
  const out = new Map<string, ClassRef>();
  for (const s of stacks) {
    for (const p of s.providers) out.set(p.type, providerClass(p.type));
    for (const e of s.elements)
      if (e.kind !== "output") out.set(`${e.kind}:${e.type}`, elementClass(e.kind, e.type));
  }
  return out;
}

/** The floor (or classic) program. It reads the plan and creates every element with its class. */
export function renderFloorProgram(options: FloorProgramOptions): string {
  const classes = classesOf(options.stacks);
  const imports: string[] = [];
  const entries: string[] = [];
  if (options.imports === "deep") {
    for (const [key, c] of classes) {
      const local = `${c.className}_${imports.length}`;
      imports.push(
        `import { ${c.className} as ${local} } from ${JSON.stringify(`${c.pkg}/lib/${c.module}`)};`,
      );
      entries.push(`  ${JSON.stringify(key)}: ${local},`);
    }
  } else {
    const pkgs = [...new Set([...classes.values()].map((c) => c.pkg))];
    pkgs.forEach((pkg, i) => imports.push(`import * as barrel${i} from ${JSON.stringify(pkg)};`));
    for (const [key, c] of classes) {
      const local = `barrel${pkgs.indexOf(c.pkg)}.${c.namespace}.${c.className}`;
      entries.push(`  ${JSON.stringify(key)}: ${local},`);
    }
  }
  return `// Generated by tools/bench.ts: the ${options.imports === "deep" ? "floor (raw provider classes, deep imports)" : "classic set-up (provider barrels)"}.
import * as fs from "fs";
import * as path from "path";
import { App, GcsBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
${imports.join("\n")}

const marks: Record<string, number> = ((globalThis as any).__benchMarks ??= {});
marks.loaded = performance.now();

const CLASSES: Record<string, any> = {
${entries.join("\n")}
};
const BACKENDS: Record<string, any> = { gcs: GcsBackend, local: LocalBackend };

const plan = JSON.parse(fs.readFileSync(path.join(__dirname, ${JSON.stringify(options.planFile)}), "utf8"));
const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? "cdktf.out" });
for (const s of plan.stacks) {
  const stack = new TerraformStack(app, s.name);
  for (const p of s.providers) {
    const provider = new CLASSES[p.type](stack, p.type, p.config);
    for (const [k, v] of Object.entries(p.overrides)) provider.addOverride(k, v);
  }
  if (s.backend) new BACKENDS[s.backend.type](stack, s.backend.config);
  if (s.requiredVersion) stack.addOverride("terraform.required_version", s.requiredVersion);
  const made = new Map<string, any>();
  const value = (v: any): any => {
    if (typeof v !== "object" || v === null) return v;
    if (Array.isArray(v)) return v.map(value);
    if (v.$ref) return made.get(v.$ref[0]).getStringAttribute(v.$ref[1]);
    if (v.$tpl) return v.$tpl.map(value).join("");
    const out: Record<string, any> = {};
    for (const k of Object.keys(v)) out[k] = value(v[k]);
    return out;
  };
  for (const e of s.elements) {
    const config = value(e.config);
    if (e.dependsOn.length > 0) config.dependsOn = e.dependsOn.map((a: string) => made.get(a));
    if (e.kind === "output") new TerraformOutput(stack, e.id, config);
    else made.set(e.address, new CLASSES[e.kind + ":" + e.type](stack, e.id, config));
  }
}
marks.built = performance.now();
app.synth();
marks.synthesized = performance.now();
`;
}

/**
 * Recursively drops cdktf's `//` metadata and sorts keys, for comparing two syntheses.
 * `depends_on` entries are compared without `${…}`: cdktf writes `"x.y"` for a `dependsOn`
 * config and `"${x.y}"` when a resource's `fqn` is assigned to `dependsOn` directly.
 */
export function normalizeSynth(value: unknown, key = ""): unknown {
  if (Array.isArray(value))
    return key === "depends_on"
      ? value.map((v) => (typeof v === "string" ? stripInterpolation(v) : v))
      : value.map((v) => normalizeSynth(v));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => k !== "//")
        .sort()
        .map((k) => [k, normalizeSynth((value as Json)[k], k)]),
    );
  }
  return value;
}

/** The first path where two syntheses differ (after normalizeSynth), or undefined. */
export function firstDifference(a: unknown, b: unknown, path = ""): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object")
    return `${path || "(root)"}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const keys = new Set([...Object.keys(a as Json), ...Object.keys(b as Json)]);
  for (const k of keys) {
    const d = firstDifference((a as Json)[k], (b as Json)[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** Resource counts by type, for the report ("what the floor emits"). */
export function resourceCounts(json: Json): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Json>))
    out[type] = Object.keys(byId).length;
  return out;
}
