/**
 * render-diagram (issue 16 item 5): the review's Mermaid block to PNG with mermaid-cli in a system
 * Chromium. The render itself is skipped, with a note, on a machine without Chromium.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { buildReview } from "../../tools/review";
import {
  CHROMIUM_VARIABLE,
  extractMermaid,
  findChromium,
  noChromiumMessage,
  pngSize,
} from "../../tools/private/render-png";
import { Stacks } from "../../tools/private/tf-diff";
import { readStacks } from "../../tools/private/worktree";
import { loadEnvironments, parseEnvironment } from "../../stacks/environment";
import { EnvironmentStack } from "../../stacks/environment-stack";

const ROOT = path.resolve(__dirname, "..", "..");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const TOOL = path.join(ROOT, "tools", "render-diagram.ts");

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-diagram-test-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tool(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [TSX, TOOL, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("extractMermaid", () => {
  test("returns the first mermaid block of the Markdown", () => {
    const md =
      "# r\n\n```ts\nx\n```\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```mermaid\nz\n```\n";
    expect(extractMermaid(md)).toBe("flowchart LR\n  a --> b\n");
  });

  test("ends a longer fence only at a fence as long", () => {
    const md = "````mermaid\nflowchart LR\n```\n  a --> b\n````\n";
    expect(extractMermaid(md)).toBe("flowchart LR\n```\n  a --> b\n");
  });

  test("is undefined without a block, or with an unclosed one", () => {
    expect(extractMermaid("## Infrastructure review\n\nNo changes.\n")).toBeUndefined();
    expect(extractMermaid("```mermaid\nflowchart LR\n")).toBeUndefined();
  });
});

describe("findChromium", () => {
  test("takes PUPPETEER_EXECUTABLE_PATH when it names an executable", () => {
    expect(findChromium({ [CHROMIUM_VARIABLE]: process.execPath }, [])).toBe(process.execPath);
  });

  test("refuses a PUPPETEER_EXECUTABLE_PATH that is not an executable file, naming it", () => {
    expect(() => findChromium({ [CHROMIUM_VARIABLE]: path.join(dir, "none") })).toThrow(
      `${CHROMIUM_VARIABLE} is "${path.join(dir, "none")}", which is not an executable file`,
    );
  });

  test("is the first candidate that exists, else undefined", () => {
    expect(findChromium({}, [path.join(dir, "none"), process.execPath])).toBe(process.execPath);
    expect(findChromium({}, [path.join(dir, "none")])).toBeUndefined();
  });

  test("the message without a browser says what to install and which variable to set", () => {
    expect(noChromiumMessage(["/usr/bin/chromium"])).toBe(
      "no Chromium found (looked at /usr/bin/chromium); install one (Debian/Ubuntu: apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome binary.",
    );
  });
});

describe("pngSize", () => {
  test("refuses data without the PNG signature", () => {
    expect(() => pngSize(Buffer.from("flowchart LR\n  a --> b\n".repeat(3)))).toThrow(
      "not a PNG: the 8-byte signature is missing",
    );
  });
});

describe("the render-diagram command", () => {
  test("exits 1 naming the reason when the review has no diagram", () => {
    const md = path.join(dir, "unchanged.md");
    fs.writeFileSync(md, "## Infrastructure review\n\nNo changes.\n");
    const r = tool([md, path.join(dir, "unchanged.png")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `render-diagram: ${md} has no \`\`\`mermaid block: a review without changes has no diagram, and --no-diagram leaves it out.\n`,
    );
    expect(fs.existsSync(path.join(dir, "unchanged.png"))).toBe(false);
  });

  test("exits 1 naming PUPPETEER_EXECUTABLE_PATH when it points at no browser", () => {
    const md = path.join(dir, "diagram.md");
    fs.writeFileSync(md, "```mermaid\nflowchart LR\n  a --> b\n```\n");
    const r = tool([md, path.join(dir, "x.png")], { [CHROMIUM_VARIABLE]: path.join(dir, "none") });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^render-diagram: PUPPETEER_EXECUTABLE_PATH is ".*none", which is/);
  });

  test("exits 64 for bad usage", () => {
    const r = tool(["review.md"]);
    expect(r.status).toBe(64);
    expect(r.stderr).toBe(
      "render-diagram: expected <review.md> <out.png>, got 1 argument\nRun with --help for usage.\n",
    );
  });
});

/** The browser, or why there is none (PUPPETEER_EXECUTABLE_PATH naming none is tested above). */
let chromium: string | undefined;
let noBrowser: string | undefined;
try {
  chromium = findChromium();
  if (!chromium) noBrowser = noChromiumMessage();
} catch (e) {
  noBrowser = (e as Error).message;
}
if (noBrowser) console.log(`render-diagram.test.ts: the PNG render test is skipped: ${noBrowser}`);
const withChromium = chromium ? describe : describe.skip;

withChromium("a one-line prod change, rendered to PNG in Chromium (issue 16: must show)", () => {
  test("is a PNG of a real size", () => {
    const envDir = path.join(ROOT, "environments");
    const synthAll = (prodText?: string): Stacks => {
      const app = Testing.app();
      for (const env of loadEnvironments(envDir))
        new EnvironmentStack(
          app,
          env.name === "prod" && prodText ? parseEnvironment(prodText, env.file) : env,
        );
      app.synth();
      const stacks = readStacks(app.outdir);
      fs.rmSync(app.outdir, { recursive: true, force: true });
      return stacks;
    };
    const prod = fs.readFileSync(path.join(envDir, "prod.yaml"), "utf8");
    const edited = prod.replace(/^( {2}orders: .*@sha256:)[0-9a-f]{64}$/m, `$1${"b".repeat(64)}`);
    expect(edited).not.toBe(prod);
    const { markdown } = buildReview(synthAll(), synthAll(edited), {
      base: "main",
      head: "working tree",
    });
    const md = path.join(dir, "review.md");
    const png = path.join(dir, "review.png");
    fs.writeFileSync(md, markdown);

    const r = tool([md, png]);
    expect(r.stderr).toMatch(/wrote .*review\.png \(\d+×\d+ px\)\n$/);
    expect(r.status).toBe(0);
    const data = fs.readFileSync(png);
    const { width, height } = pngSize(data);
    // The prod subgraph with its changed workload and the one-line dev and staging stacks, at
    // scale 2: a few hundred pixels each way at least, and tens of kilobytes of image data.
    expect(width).toBeGreaterThan(400);
    expect(height).toBeGreaterThan(400);
    expect(data.length).toBeGreaterThan(10_000);
    expect(r.stderr).toContain(`(${width}×${height} px)`);
  });
});
