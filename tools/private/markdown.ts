/**
 * GitHub-flavoured Markdown for review and plan-summary: a summary table of counts per stack and
 * action, the risks first, output changes, then one collapsible <details> per resource, drift,
 * and a diagram. Every name, address, path and value from the input is escaped for where it goes
 * (a code span, a table cell, HTML, prose), so a hostile address cannot add markup. A PR comment
 * holds at most 65,536 characters: with `limit`, the details are cut to fit, with a note.
 */
import { ACTIONS, Action, ChangeSet, ResourceChange, countByAction } from "./changes";
import { Risk } from "./risks";

/** GitHub's limit on an issue or pull-request comment body. */
export const COMMENT_LIMIT = 65536;

export interface ReportInput {
  readonly title: string;
  /** Lines under the title (what was compared); Markdown, already escaped. */
  readonly intro?: readonly string[];
  /** Column header of the summary table's first column: "stack" or "plan". */
  readonly scopeLabel: string;
  readonly sets: readonly ChangeSet[];
  readonly risks: readonly Risk[];
  /** Changes made outside Terraform (plan-summary's resource_drift). */
  readonly drift?: readonly ResourceChange[];
  /** Mermaid source, shown in a ```mermaid block. */
  readonly diagram?: string;
  /** The diagram's heading. */
  readonly diagramTitle?: string;
  /** A line under the diagram (its legend). */
  readonly diagramNote?: string;
  /** At most this many characters (undefined: everything). */
  readonly limit?: number;
  /** How to get everything, for the note when details are cut (e.g. "run with `--full`"). */
  readonly fullHint?: string;
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

/** Text for HTML (a <summary> line): `& < > " '` as entities. */
export function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** Prose: Markdown's special characters backslash-escaped, line breaks as spaces. */
export function prose(text: string): string {
  return text.replace(/\r\n?|\n/g, " ").replace(/[\\`*_[\]<>|~&#]/g, "\\$&");
}

/**
 * An inline code span holding `text` literally: a fence longer than any backtick run inside,
 * line breaks shown as `\n`, and (in a table cell) `|` escaped, which GitHub reads as `|`.
 */
export function code(text: string, inTable = false): string {
  let body = text.replace(/\r\n?|\n/g, "\\n");
  if (inTable) body = body.replace(/\|/g, "\\|");
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || body === "" ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A value as a code span: JSON, cut when long, `—` when absent. */
export function cell(value: unknown, inTable = true): string {
  if (value === undefined) return "—";
  let text = JSON.stringify(value) ?? String(value);
  if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE - 1)}…`;
  return code(text, inTable);
}

function summaryTable(input: ReportInput): string[] {
  const shown = ACTIONS.filter(
    (a) =>
      !["read", "forget"].includes(a) ||
      input.sets.some((s) => s.resources.some((r) => r.action === a)),
  );
  const lines = [
    `| ${input.scopeLabel} | ${shown.map((a) => HEADER[a]).join(" | ")} | outputs |`,
    `| --- | ${shown.map(() => "---:").join(" | ")} | ---: |`,
  ];
  for (const set of input.sets) {
    const counts = countByAction(set.resources);
    const note = set.status === "added" ? " (new)" : set.status === "removed" ? " (deleted)" : "";
    lines.push(
      `| ${prose(set.name)}${note} | ${shown.map((a) => counts[a]).join(" | ")} | ${set.outputs.length} |`,
    );
  }
  return lines;
}

function riskLine(r: Risk, scopeLabel: string): string {
  return `- **${r.code}** ${scopeLabel} ${code(r.scope)}${r.address ? ` ${code(r.address)}` : ""}: ${prose(r.message)}`;
}

/** One collapsible block per resource, with its attribute table. */
export function resourceDetails(change: ResourceChange): string[] {
  const extra = change.movedFrom
    ? ` (was <code>${html(change.movedFrom)}</code>)`
    : change.replacePaths?.length
      ? ` (forced by ${change.replacePaths.map((p) => `<code>${html(p)}</code>`).join(", ")})`
      : "";
  const lines = [
    "<details>",
    `<summary><code>${html(SYMBOL[change.action])}</code> ${change.action} <code>${html(change.address)}</code>${extra}</summary>`,
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
      lines.push(
        `| ${code(r.path || "(value)", true)}${mark} | ${cell(r.before)} | ${cell(r.after)} |`,
      );
    }
    if (rows.length > MAX_ROWS) lines.push(`| … ${rows.length - MAX_ROWS} more | | |`);
  }
  lines.push("", "</details>");
  return lines;
}

/** A chunk of the details part: its lines, and how many resources it shows. */
interface Chunk {
  readonly lines: readonly string[];
  readonly resources: number;
}

function setChunks(set: ChangeSet): Chunk[] {
  if (set.resources.length + set.outputs.length === 0) return [];
  const status =
    set.status === "added" ? " (new stack)" : set.status === "removed" ? " (stack deleted)" : "";
  const head = ["", `### ${prose(set.name)}${status}`, ""];
  if (set.outputs.length > 0) {
    head.push("Outputs:", "");
    for (const o of set.outputs)
      head.push(
        `- ${code(SYMBOL[o.action])} ${code(o.name)}: ${cell(o.before, false)} → ${cell(o.after, false)}`,
      );
    head.push("");
  }
  const chunks: Chunk[] = [{ lines: head, resources: 0 }];
  for (const r of set.resources) chunks.push({ lines: resourceDetails(r), resources: 1 });
  return chunks;
}

function length(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) n += l.length + 1;
  return n;
}

/**
 * The whole report; ends with a newline. With `limit`, the summary and the risks come first
 * (risks cut only when they alone exceed it), then as many details as fit, then a note.
 */
export function renderReport(input: ReportInput): string {
  const limit = input.limit ?? Infinity;
  const total = input.sets.reduce((n, s) => n + s.resources.length + s.outputs.length, 0);
  const out: string[] = [`## ${input.title}`, ""];
  for (const l of input.intro ?? []) out.push(l);
  if (input.intro?.length) out.push("");
  if (total === 0) out.push("**No changes.**", "");
  for (const l of summaryTable(input)) out.push(l);
  out.push("", `### Risks (${input.risks.length})`, "");
  if (input.risks.length === 0) out.push("No risks found.");

  const hint = input.fullHint ?? "run with `--full`";
  // Room kept for the closing note.
  const reserve = 400;
  let used = length(out);
  let risksShown = 0;
  for (const r of input.risks) {
    const line = riskLine(r, input.scopeLabel);
    if (used + line.length + 1 + reserve > limit) break;
    out.push(line);
    used += line.length + 1;
    risksShown++;
  }
  if (risksShown < input.risks.length)
    out.push(
      "",
      `> **Cut:** ${input.risks.length - risksShown} more risks and every detail are not shown (a comment holds at most ${limit.toLocaleString("en-US")} characters); ${hint} for everything.`,
    );

  const diagram = input.diagram
    ? [
        "",
        `### ${input.diagramTitle ?? "Diagram"}`,
        "",
        "```mermaid",
        input.diagram,
        "```",
        ...(input.diagramNote ? ["", input.diagramNote] : []),
      ]
    : [];
  const chunks: Chunk[] = [];
  for (const set of input.sets) for (const c of setChunks(set)) chunks.push(c);
  const drift = input.drift ?? [];
  if (drift.length > 0) {
    chunks.push({
      lines: ["", `### Drift: changed outside Terraform (${drift.length})`, ""],
      resources: 0,
    });
    for (const d of drift) chunks.push({ lines: resourceDetails(d), resources: 1 });
  }

  if (risksShown === input.risks.length) {
    used = length(out);
    const diagramFits = used + length(diagram) + reserve <= limit;
    const budget = limit - reserve - (diagramFits ? length(diagram) : 0);
    const all = chunks.reduce((n, c) => n + c.resources, 0);
    let shown = 0;
    let cut = false;
    for (const c of chunks) {
      const size = length(c.lines);
      if (used + size > budget) {
        cut = true;
        break;
      }
      for (const l of c.lines) out.push(l);
      used += size;
      shown += c.resources;
    }
    if (cut)
      out.push(
        "",
        `> **Cut:** the details of ${shown} of ${all} resource changes are shown (a comment holds at most ${limit.toLocaleString("en-US")} characters); ${hint} for everything.`,
      );
    if (diagramFits) for (const l of diagram) out.push(l);
    else if (diagram.length > 0)
      out.push("", `> The diagram is left out for length; ${hint} to include it.`);
  }
  const text = `${out.join("\n")}\n`;
  if (text.length <= limit) return text;
  // The summary table alone is too long (thousands of stacks or plans): cut it at a line.
  const note = `\n> **Cut:** the report is cut at ${limit.toLocaleString("en-US")} characters; ${hint} for everything.\n`;
  const cut = text.lastIndexOf("\n", limit - note.length);
  return `${text.slice(0, Math.max(0, cut))}\n${note}`;
}
