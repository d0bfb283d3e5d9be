/**
 * Writes the rule table of docs/checks.md from the rule pack (`Checks.rules`: id, severity,
 * explanation, fix), between `<!-- rules:start -->` and `<!-- rules:end -->`; with --check it
 * writes nothing and exits 1 when the page is not current. The rest of the page is hand-written.
 *
 * Usage: npm run docs:checks [-- --check]
 * Exit codes: 0 written or current; 1 out of date (--check) or markers missing; 64 bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { Checks } from "@cdktf-cloud-run/constructs";
import type { Rule } from "@cdktf-cloud-run/constructs";
import { EXIT, ToolError, parseCli, progress, runTool } from "./private/cli";

const TOOL = "docs:checks";
export const PAGE = path.join(__dirname, "..", "docs", "checks.md");
export const START = "<!-- rules:start -->";
export const END = "<!-- rules:end -->";

const HELP = `Usage: npm run docs:checks [-- --check]

Writes the rule table of docs/checks.md from the rule pack (Checks.rules), between
${START} and ${END}. --check writes nothing and exits 1 when the page is not current.
`;

/** A table cell: one line, pipes escaped (the rule texts are plain sentences). */
function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

/** The Markdown table of `rules`, in the pack's order (Prettier leaves it as it is). */
export function renderRuleTable(rules: readonly Rule[]): string {
  const rows = rules.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${cell(r.explanation)} | ${cell(r.fix)} |`,
  );
  return ["| Rule | Severity | Why | Fix |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** `page` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function replaceRuleTable(page: string, table: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start)
    throw new ToolError(`docs/checks.md has no ${START} … ${END} section to write the rules into`);
  return `${page.slice(0, start + START.length)}\n\n${table}\n\n${page.slice(end)}`;
}

export function main(argv: string[]): number {
  const { values } = parseCli(argv, { check: { type: "boolean" } });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  const current = fs.readFileSync(PAGE, "utf8");
  const next = replaceRuleTable(current, renderRuleTable(Checks.rules));
  if (values.check) {
    if (current === next) return EXIT.ok;
    progress(TOOL, "docs/checks.md is not current; run npm run docs:checks");
    return EXIT.error;
  }
  if (current !== next) fs.writeFileSync(PAGE, next);
  progress(TOOL, current === next ? "docs/checks.md is current" : "wrote docs/checks.md");
  return EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
