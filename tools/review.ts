/**
 * Pull-request review without credentials: synthesizes a base git ref (in a temporary worktree)
 * and the working tree, and writes Markdown with what changes per stack, the risks first.
 *
 * Usage: npm run -s review -- --base <git-ref> [--out review.md] [--app "<synth command>"]
 */
import { EXIT, UsageError, parseCli, progress, runTool, writeProduct } from "./private/cli";
import { COMMENT_LIMIT, code, renderReport } from "./private/markdown";
import { DIAGRAM_LEGEND, workloadDiagram } from "./private/mermaid";
import { detectRisks } from "./private/risks";
import { Stacks, compareStacks } from "./private/tf-diff";
import {
  headOnlyVariables,
  repoRoot,
  resolveCommit,
  synthesize,
  withWorktree,
} from "./private/worktree";

const TOOL = "review";

export const HELP = `Usage: npm run -s review -- --base <git-ref> [--out review.md] [--app "<command>"] [--full] [--no-diagram]

Synthesizes <git-ref> in a temporary git worktree and the working tree, compares every stack's
cdk.tf.json resource by resource, and prints GitHub Markdown: counts per stack and action, risks
first (a service made public, deletion protection off, IAM removed or made authoritative, an API
removed, a digest replaced by a tag, a workload, a stack or a replaced resource), output changes,
a collapsible diff per resource, and a Mermaid diagram of the workloads that change. At most
65,536 characters (what a pull-request comment holds) unless --full.
Needs no terraform binary and no credentials, but it RUNS the code of both trees (the synth):
in CI, give the job that reviews a pull request no credentials.
The base synth does not inherit ENVIRONMENTS_DIR, SYNTH_HCL_OUTPUT, TSX_TSCONFIG_PATH or any
CDKTF_* variable. The temporary worktree and folders are removed on exit, Ctrl-C, SIGTERM and
SIGHUP.

Options:
  --base <ref>   git ref to compare against (e.g. origin/main); required
  --out <file>   write the Markdown to <file> instead of stdout
  --app <cmd>    synth command run in each tree (default: cdktf.json "app",
                 else "node --import tsx main.ts"); CDKTF_OUTDIR points it at a temp folder
  --full         everything, however long
  --no-diagram   leave the Mermaid diagram out
  -h, --help     this text

Exit codes:
  0   no changes
  2   changes (the Markdown lists them)
  1   error (unknown ref, synth failed)
  64  bad usage
  129, 130, 143  interrupted by SIGHUP, SIGINT, SIGTERM (after cleaning up)
`;

export interface ReviewLabels {
  readonly base: string;
  readonly head: string;
}

/** The review of two synthesized trees; pure, for tests. */
export function buildReview(
  base: Stacks,
  head: Stacks,
  labels: ReviewLabels,
  options: { full?: boolean; diagram?: boolean } = {},
): { markdown: string; changed: boolean } {
  const sets = compareStacks(base, head);
  const changed = sets.some((s) => s.status !== "unchanged");
  const markdown = renderReport({
    title: "Infrastructure review",
    intro: [
      `Synthesized ${code(labels.base)} (base) and ${code(labels.head)} (head); no plan, no credentials.`,
    ],
    scopeLabel: "stack",
    sets,
    risks: detectRisks(sets),
    diagram: options.diagram === false ? undefined : workloadDiagram(base, head, sets),
    diagramTitle: "What changes: workloads, identities, roles and calls",
    diagramNote: DIAGRAM_LEGEND,
    limit: options.full ? undefined : COMMENT_LIMIT,
    fullHint: "run review with `--full`",
  });
  return { markdown, changed };
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseCli(argv, {
    base: { type: "string" },
    out: { type: "string" },
    app: { type: "string" },
    full: { type: "boolean" },
    "no-diagram": { type: "boolean" },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (!values.base) throw new UsageError("--base <git-ref> is required");
  const root = repoRoot(process.cwd());
  const commit = resolveCommit(root, values.base);
  const short = commit.slice(0, 7);

  progress(TOOL, `synthesizing base ${values.base} (${short}) in a temporary worktree`);
  const base = await withWorktree(root, commit, (dir) =>
    synthesize(dir, `base ${values.base}`, values.app, "base"),
  );
  progress(TOOL, "synthesizing the working tree");
  const inherited = headOnlyVariables();
  if (inherited.length > 0)
    progress(TOOL, `the working tree's synth sees ${inherited.join(", ")}; the base's does not`);
  const head = await synthesize(root, "the working tree", values.app, "head");

  const { markdown, changed } = buildReview(
    base,
    head,
    {
      base: commit.startsWith(values.base) ? short : `${values.base} (${short})`,
      head: "working tree",
    },
    { full: values.full, diagram: !values["no-diagram"] },
  );
  writeProduct(markdown, values.out);
  progress(TOOL, changed ? "changes found" : "no changes");
  if (values.out) progress(TOOL, `wrote ${values.out}`);
  return changed ? EXIT.changes : EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
