/**
 * GitHub-flavoured Markdown for review and plan-summary: a summary table of counts per stack and
 * action, the risks first, then one collapsible <details> per resource, drift, and a diagram.
 */
import { ACTIONS, Action, ChangeSet, ResourceChange, countByAction } from "./changes";
import { Risk } from "./risks";

export interface ReportInput {
  readonly title: string;
  /** Lines under the title (what was compared). */
  readonly intro?: readonly string[];
  /** Column header of the summary table's first column: "stack" or "plan". */
  readonly scopeLabel: string;
  readonly sets: readonly ChangeSet[];
  readonly risks: readonly Risk[];
  /** Changes made outside Terraform (plan-summary's resource_drift). */
  readonly drift?: readonly ResourceChange[];
  /** Mermaid source, shown in a ```mermaid block. */
  readonly diagram?: string;
}

const SYMBOL: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  read: "<=",
  forget: "⊘",
};

const HEADER: Record<Action, string> = {
  create: "add",
  update: "change",
  replace: "replace",
  delete: "destroy",
  read: "read",
  forget: "forget",
};

const MAX_ROWS = 60;
const MAX_VALUE = 160;

/** A value for a table cell: JSON, cut when long, `—` when absent, safe inside a code span. */
export function cell(value: unknown): string {
  if (value === undefined) return "—";
  let text = JSON.stringify(value) ?? String(value);
  if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE - 1)}…`;
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

function summaryTable(input: ReportInput): string[] {
  const all = input.sets.flatMap((s) => s.resources);
  const shown = ACTIONS.filter(
    (a) => !["read", "forget"].includes(a) || all.some((r) => r.action === a),
  );
  const lines = [
    `| ${input.scopeLabel} | ${shown.map((a) => HEADER[a]).join(" | ")} | outputs |`,
    `| --- | ${shown.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const set of input.sets) {
    const counts = countByAction(set.resources);
    const note = set.status === "added" ? " (new)" : set.status === "removed" ? " (deleted)" : "";
    lines.push(
      `| ${set.name}${note} | ${shown.map((a) => counts[a]).join(" | ")} | ${set.outputs.length} |`,
    );
  }
  return lines;
}

function riskLines(risks: readonly Risk[], scopeLabel: string): string[] {
  if (risks.length === 0) return ["No risks found."];
  return risks.map(
    (r) =>
      `- **${r.code}** ${scopeLabel} \`${r.scope}\`${r.address ? ` \`${r.address}\`` : ""}: ${r.message}`,
  );
}

/** One collapsible block per resource, with its attribute table. */
export function resourceDetails(change: ResourceChange): string[] {
  const extra = change.movedFrom
    ? ` (was <code>${change.movedFrom}</code>)`
    : change.replacePaths?.length
      ? ` (forced by ${change.replacePaths.map((p) => `<code>${p}</code>`).join(", ")})`
      : "";
  const lines = [
    "<details>",
    `<summary><code>${SYMBOL[change.action]}</code> ${change.action} <code>${change.address}</code>${extra}</summary>`,
    "",
  ];
  const rows = change.attributes;
  if (rows.length === 0) {
    lines.push(change.action === "create" ? "No arguments." : "No attribute changes.");
  } else {
    const forced = new Set(change.replacePaths ?? []);
    lines.push("| attribute | before | after |", "| --- | --- | --- |");
    for (const r of rows.slice(0, MAX_ROWS)) {
      const mark = forced.has(r.path) ? " (forces replacement)" : "";
      lines.push(`| \`${r.path || "(value)"}\`${mark} | ${cell(r.before)} | ${cell(r.after)} |`);
    }
    if (rows.length > MAX_ROWS) lines.push(`| … ${rows.length - MAX_ROWS} more | | |`);
  }
  lines.push("", "</details>");
  return lines;
}

function setSection(set: ChangeSet): string[] {
  if (set.resources.length + set.outputs.length === 0) return [];
  const status =
    set.status === "added" ? " (new stack)" : set.status === "removed" ? " (stack deleted)" : "";
  const lines = ["", `### ${set.name}${status}`, ""];
  for (const r of set.resources) lines.push(...resourceDetails(r));
  if (set.outputs.length > 0) {
    lines.push("", "Outputs:", "");
    for (const o of set.outputs)
      lines.push(`- \`${SYMBOL[o.action]}\` \`${o.name}\`: ${cell(o.before)} → ${cell(o.after)}`);
  }
  return lines;
}

/** The whole report; ends with a newline. */
export function renderReport(input: ReportInput): string {
  const total = input.sets.reduce((n, s) => n + s.resources.length + s.outputs.length, 0);
  const lines = [`## ${input.title}`, "", ...(input.intro ?? [])];
  if (input.intro?.length) lines.push("");
  if (total === 0) lines.push("**No changes.**", "");
  lines.push(...summaryTable(input), "");
  lines.push(`### Risks (${input.risks.length})`, "", ...riskLines(input.risks, input.scopeLabel));
  for (const set of input.sets) lines.push(...setSection(set));
  if (input.drift && input.drift.length > 0) {
    lines.push("", `### Drift: changed outside Terraform (${input.drift.length})`, "");
    for (const d of input.drift) lines.push(...resourceDetails(d));
  }
  if (input.diagram) {
    lines.push("", "### Workloads, identities and grants", "", "```mermaid", input.diagram, "```");
  }
  return `${lines.join("\n")}\n`;
}
