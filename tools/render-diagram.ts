/**
 * Renders the Mermaid diagram of a review (the ```mermaid block of `npm run review`'s Markdown) to
 * a PNG with mermaid-cli in a system Chromium, for a CI artifact or a document.
 *
 * Usage: npm run -s render-diagram -- review.md review.png
 */
import * as fs from "fs";
import { EXIT, ToolError, UsageError, parseCli, progress, runTool } from "./private/cli";
import {
  CHROMIUM_VARIABLE,
  extractMermaid,
  findChromium,
  noChromiumMessage,
  pngSize,
  renderMermaidPng,
} from "./private/render-png";

const TOOL = "render-diagram";

export const HELP = `Usage: npm run -s render-diagram -- <review.md> <out.png>

Takes the first \`\`\`mermaid block of <review.md> (the diagram \`npm run review\` writes) and renders
it to <out.png> with mermaid-cli (mmdc) in a Chromium the machine has: ${CHROMIUM_VARIABLE}
when set, else /usr/bin/chromium, chromium-browser, google-chrome or google-chrome-stable.
Puppeteer downloads no browser of its own in this project. Debian/Ubuntu: apt-get install chromium.
The browser runs with --no-sandbox (CI runs as root).

Exit codes:
  0   rendered (the PNG's size on stderr)
  1   error: no mermaid block (a review without changes, or --no-diagram), no Chromium, or
      mermaid-cli failed
  64  bad usage
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCli(argv, {}, true);
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2)
    throw new UsageError(
      `expected <review.md> <out.png>, got ${positionals.length} argument${positionals.length === 1 ? "" : "s"}`,
    );
  const [input, out] = positionals;
  if (!out.toLowerCase().endsWith(".png"))
    throw new UsageError(`the output file must end in .png; got "${out}"`);
  let markdown: string;
  try {
    markdown = fs.readFileSync(input, "utf8");
  } catch (e) {
    throw new ToolError(`cannot read ${input}: ${(e as Error).message}`);
  }
  const source = extractMermaid(markdown);
  if (!source)
    throw new ToolError(
      `${input} has no \`\`\`mermaid block: a review without changes has no diagram, and --no-diagram leaves it out.`,
    );
  const chromium = findChromium();
  if (!chromium) throw new ToolError(noChromiumMessage());
  progress(TOOL, `rendering the diagram of ${input} with ${chromium}`);
  await renderMermaidPng(source, out, { chromium });
  const { width, height } = pngSize(fs.readFileSync(out));
  progress(TOOL, `wrote ${out} (${width}×${height} px)`);
  return EXIT.ok;
}

if (require.main === module) runTool(TOOL, main);
