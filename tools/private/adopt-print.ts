/**
 * Prints an adopted workload: (a) the catalog entry in TypeScript (the constructs' public props,
 * in the shape of `stacks/workloads.ts`: `scope`, `env`, `catalog` in scope), (b) the YAML to add
 * to the environment file, (c) the import lines (cdktf `importFrom`, Terraform import blocks),
 * then what could not be expressed, what changes, and what was ignored.
 */
import { stringify } from "yaml";
import { AdoptedWorkload, Expr } from "./adopt-map";
import { Leftover } from "./adopt-reader";

const CLASS = { service: "CloudRunService", job: "CloudRunJob" } as const;
const NOUN = { service: "Cloud Run service", job: "Cloud Run job" } as const;
const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await scope env catalog".split(
    " ",
  ),
);

/** A TypeScript variable for a workload name: `nightly-report` → `nightlyReport`. */
export function variableName(name: string): string {
  const v = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return RESERVED.has(v) ? `${v}Workload` : v;
}

/** (a) The catalog entry. */
export function entryCode(w: AdoptedWorkload): string {
  const props = {
    image: new Expr(`catalog.image(${JSON.stringify(w.name)})`),
    ...w.props,
  } as Record<string, unknown>;
  if (w.props.sidecars) {
    const sidecars = w.props.sidecars as Record<string, Record<string, unknown>>;
    props.sidecars = Object.fromEntries(
      Object.entries(sidecars).map(([name, s]) => [
        name,
        { image: new Expr(`catalog.image(${JSON.stringify(w.sidecarImageKeys[name])})`), ...s },
      ]),
    );
  }
  if (!w.images[w.name]) delete props.image;
  const v = variableName(w.name);
  return [
    `const ${v} = catalog.add(${JSON.stringify(w.name)}, () =>`,
    `  new ${CLASS[w.kind]}(`,
    `    scope,`,
    `    ${JSON.stringify(w.name)},`,
    `    catalog.apply(${JSON.stringify(w.kind)}, ${JSON.stringify(w.name)}, ${literal(props, 4)} satisfies ${CLASS[w.kind]}Props),`,
    `  ),`,
    `);`,
    "",
  ].join("\n");
}

/** (c) The import lines, for the environment whose project the export came from. */
export function importCode(w: AdoptedWorkload): string {
  const v = variableName(w.name);
  const lines = [`${v}.resource.importFrom(${JSON.stringify(w.importId)});`];
  if (w.serviceAccountImportId)
    lines.push(
      `${v}.serviceAccountResource?.importFrom(${JSON.stringify(w.serviceAccountImportId)});`,
    );
  for (const g of w.grants) {
    const grant =
      g.role === "roles/run.invoker"
        ? `${v}.${w.kind === "service" ? "grantInvoke" : "grantRun"}(${JSON.stringify(g.member)})`
        : `IamBinding.grant(${v}, ${JSON.stringify(g.role)}, ${JSON.stringify(g.member)})`;
    lines.push(`${grant}.importFrom(${JSON.stringify(g.importId)});`);
  }
  return [
    // catalog.add returns undefined where the environment turns the workload off.
    `if (env.project === ${JSON.stringify(w.project)} && ${v}) {`,
    ...lines.map((l) => `  ${l}`),
    `}`,
    "",
  ].join("\n");
}

/** (b) What to add to the environment file. */
export function environmentYaml(workloads: readonly AdoptedWorkload[]): string {
  const images: Record<string, string> = {};
  const overrides: Record<string, unknown> = {};
  for (const w of workloads) {
    Object.assign(images, w.images);
    if (Object.keys(w.overrides).length > 0) overrides[w.name] = w.overrides;
  }
  const doc: Record<string, unknown> = { images };
  if (Object.keys(overrides).length > 0) doc.overrides = overrides;
  return stringify(doc, { lineWidth: 0 });
}

/** The whole Markdown product for several exports of one environment. */
export function report(
  workloads: readonly AdoptedWorkload[],
  environment: { readonly file?: string; readonly project: string },
): string {
  const out: string[] = [];
  const declarations = workloads.map(
    (w) => `\`${JSON.stringify(w.name)}: ${JSON.stringify(Object.keys(w.images))}\``,
  );
  out.push(
    `# Adopting ${workloads.map((w) => `${w.name} (${NOUN[w.kind]})`).join(", ")} into project ${environment.project}`,
    "",
    "## (a) Catalog entries",
    "",
    `Paste into \`defineWorkloads(scope, env)\` in \`stacks/workloads.ts\` (import ${[...new Set(workloads.map((w) => `\`${CLASS[w.kind]}\`, \`${CLASS[w.kind]}Props\``))].join(", ")}${workloads.some((w) => w.grants.some((g) => g.role !== "roles/run.invoker")) ? ", `IamBinding`" : ""} from \`@cdktf-cloud-run/constructs\`) and declare ${declarations.join(", ")} (each workload and the images it takes) in \`new Catalog(env, {...})\`.`,
    "",
    "```ts",
    workloads.map(entryCode).join("\n").trimEnd(),
    "```",
    "",
    `## (b) Environment file${environment.file ? `: ${environment.file}` : ""}`,
    "",
    "Merge into the file's `images:` and `overrides:` (per-environment values: give the other environments theirs, or they get the library's defaults).",
    "",
    "```yaml",
    environmentYaml(workloads).trimEnd(),
    "```",
    "",
    "## (c) Import blocks",
    "",
    `Paste after the entries. \`importFrom\` writes Terraform \`import\` blocks (Terraform ≥ 1.5; cdktf checks \`terraform version\` at synth while they are there), so the first apply in ${environment.project} takes over what runs instead of creating it. Review that plan: it should import, and change only what the notes below say. Delete these lines after that apply.`,
    "",
    "```ts",
    workloads.map(importCode).join("\n").trimEnd(),
    "```",
    "",
  );
  for (const w of workloads) {
    out.push(`## ${w.name}: notes (${w.file})`, "");
    for (const n of w.notes) out.push(`- ${n}`);
    if (w.notes.length === 0) out.push("- nothing changes on adoption.");
    out.push("");
    table(
      out,
      "Not expressible (left out: set by hand in Terraform, or keep with gcloud)",
      w.notExpressible,
    );
    table(out, "Ignored (set by Cloud Run or gcloud, not configuration)", w.ignored);
  }
  return out.join("\n");
}

function table(out: string[], title: string, rows: readonly Leftover[]): void {
  out.push(`### ${title}`, "");
  if (rows.length === 0) {
    out.push("None.", "");
    return;
  }
  out.push("| field | value | why |", "| --- | --- | --- |");
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  for (const r of rows)
    out.push(`| \`${cell(r.field)}\` | \`${cell(r.value)}\` | ${cell(r.why)} |`);
  out.push("");
}

/** A TypeScript literal; `Expr` values are printed as code, undefined values left out. */
export function literal(value: unknown, indent: number): string {
  const pad = " ".repeat(indent);
  if (value instanceof Expr) return value.code;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, indent + 2));
    const flat = `[${items.join(", ")}]`;
    if (flat.length <= 80 && !flat.includes("\n")) return flat;
    return `[\n${items.map((i) => `${pad}  ${i},`).join("\n")}\n${pad}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([k, v]) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
      return `${pad}  ${key}: ${literal(v, indent + 2)},`;
    });
    return `{\n${lines.join("\n")}\n${pad}}`;
  }
  return "undefined";
}
