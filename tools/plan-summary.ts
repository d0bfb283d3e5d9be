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
import { COMMENT_LIMIT, code, renderReport } from "./private/markdown";
import { Plan, parsePlan, planChangeSet } from "./private/plan-json";
import { detectRisks } from "./private/risks";

const TOOL = "plan-summary";

export const HELP = `Usage: npm run -s plan-summary -- <plan.json> [<plan.json> …] [--out summary.md] [--full]

Reads \`terraform show -json <planfile>\` output (JSON output format 1.x; other majors are
refused) and prints GitHub Markdown: counts per plan and action (create, update, replace with
the paths that force it, delete, read; no-op hidden), risks first (the same Cloud Run flags as
review), a collapsible diff per resource, output changes, and drift (changes made outside
Terraform, from resource_drift) in a section of its own. Each file is one row, named after the
file (dev.json → dev). Sensitive values (and outputs) read "(sensitive)"; a sensitivity mark
that does not fit its value hides the value. The output stays under 65,536 characters (what
a pull-request comment holds): the summary and the risks first, then as many details as fit,
with a note saying what was cut.

Options:
  --out <file>   write the Markdown to <file> instead of stdout
  --full         everything, however long (for a job summary or a file)
  -h, --help     this text

Exit codes:
  0   no changes (drift alone is not a change)
  2   changes
  1   error (unreadable file, not plan JSON or not shaped like it, unknown format_version major)
  64  bad usage
`;

/** The plan's name in the report: the file name without .json / .plan. */
export function planName(file: string): string {
  return path.basename(file).replace(/(\.tfplan)?(\.plan)?\.json$/, "");
}

/** The summary of parsed plans; pure, for tests. `full`: no length limit. */
export function buildSummary(
  plans: ReadonlyArray<{ name: string; plan: Plan }>,
  options: { full?: boolean } = {},
): {
  markdown: string;
  changed: boolean;
} {
  const sets = plans.map((p) => planChangeSet(p.name, p.plan));
  const drift: ResourceChange[] = [];
  for (const p of plans)
    for (const d of p.plan.drift)
      drift.push(plans.length > 1 ? { ...d, address: `${p.name}: ${d.address}` } : d);
  const versions = [
    ...new Set(plans.map((p) => p.plan.terraformVersion).filter((v): v is string => Boolean(v))),
  ];
  const markdown = renderReport({
    title: "Terraform plan summary",
    intro: [
      `From \`terraform show -json\`${versions.length ? ` (Terraform ${versions.map((v) => code(v)).join(", ")})` : ""}.`,
    ],
    scopeLabel: "plan",
    sets,
    risks: detectRisks(sets),
    drift,
    limit: options.full ? undefined : COMMENT_LIMIT,
    fullHint: "run plan-summary with `--full`",
  });
  return { markdown, changed: sets.some((s) => s.status === "changed") };
}

function main(argv: string[]): number {
  const { values, positionals } = parseCli(
    argv,
    { out: { type: "string" }, full: { type: "boolean" } },
    true,
  );
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
  const { markdown, changed } = buildSummary(plans, { full: values.full });
  writeProduct(markdown, values.out);
  progress(TOOL, changed ? "changes found" : "no changes");
  return changed ? EXIT.changes : EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
