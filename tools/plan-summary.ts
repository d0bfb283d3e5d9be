/**
 * Markdown from real plans: reads `terraform show -json` output (one file per stack) and reports
 * resource changes by action, drift, output changes and the same risk flags as review.
 *
 * Usage: npm run -s plan-summary -- plan.json [more.json …] [--out summary.md]
 */
import * as fs from "fs";
import * as path from "path";
import {
  EXIT,
  ToolError,
  UsageError,
  parseCli,
  progress,
  runTool,
  writeProduct,
} from "./private/cli";
import { ResourceChange } from "./private/changes";
import { renderReport } from "./private/markdown";
import { Plan, parsePlan, planChangeSet } from "./private/plan-json";
import { detectRisks } from "./private/risks";

const TOOL = "plan-summary";

export const HELP = `Usage: npm run -s plan-summary -- <plan.json> [<plan.json> …] [--out summary.md]

Reads \`terraform show -json <planfile>\` output (JSON output format 1.x; other majors are
refused) and prints GitHub Markdown: counts per plan and action (create, update, replace with
the paths that force it, delete, read; no-op hidden), risks first (the same Cloud Run flags as
review), a collapsible diff per resource, output changes, and drift (changes made outside
Terraform, from resource_drift) in a section of its own. Each file is one row, named after the
file (dev.json → dev).

Options:
  --out <file>   write the Markdown to <file> instead of stdout
  -h, --help     this text

Exit codes:
  0   no changes (drift alone is not a change)
  2   changes
  1   error (unreadable file, not plan JSON, unknown format_version major)
  64  bad usage
`;

/** The plan's name in the report: the file name without .json / .plan. */
export function planName(file: string): string {
  return path.basename(file).replace(/(\.tfplan)?(\.plan)?\.json$/, "");
}

/** The summary of parsed plans; pure, for tests. */
export function buildSummary(plans: ReadonlyArray<{ name: string; plan: Plan }>): {
  markdown: string;
  changed: boolean;
} {
  const sets = plans.map((p) => planChangeSet(p.name, p.plan));
  const drift: ResourceChange[] = plans.flatMap((p) =>
    p.plan.drift.map((d) => (plans.length > 1 ? { ...d, address: `${p.name}: ${d.address}` } : d)),
  );
  const versions = [...new Set(plans.map((p) => p.plan.terraformVersion).filter(Boolean))];
  const markdown = renderReport({
    title: "Terraform plan summary",
    intro: [
      `From \`terraform show -json\`${versions.length ? ` (Terraform ${versions.join(", ")})` : ""}.`,
    ],
    scopeLabel: "plan",
    sets,
    risks: detectRisks(sets),
    drift,
  });
  return { markdown, changed: sets.some((s) => s.status === "changed") };
}

function main(argv: string[]): number {
  const { values, positionals } = parseCli(argv, { out: { type: "string" } }, true);
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError("give at least one plan JSON file");
  const plans = positionals.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new ToolError(`cannot read ${file}: ${(e as Error).message}`);
    }
    progress(TOOL, `reading ${file}`);
    return { name: planName(file), plan: parsePlan(text, file) };
  });
  const { markdown, changed } = buildSummary(plans);
  writeProduct(markdown, values.out);
  progress(TOOL, changed ? "changes found" : "no changes");
  return changed ? EXIT.changes : EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
