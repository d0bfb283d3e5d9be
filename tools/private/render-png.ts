/**
 * Renders the review's Mermaid diagram to PNG with mermaid-cli (`mmdc`) in a system Chromium.
 * Puppeteer's own browser download is switched off (package.json "puppeteer": skipDownload), so
 * the browser is always one the machine has: PUPPETEER_EXECUTABLE_PATH, else a Debian/Ubuntu
 * chromium or a Google Chrome on the usual paths.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ToolError } from "./cli";

/** The variable that names the browser; read by puppeteer too. */
export const CHROMIUM_VARIABLE = "PUPPETEER_EXECUTABLE_PATH";

/** Where Debian's `chromium`, Ubuntu's `chromium-browser` and Google Chrome install. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The browser to render with: `env.PUPPETEER_EXECUTABLE_PATH` when set (an error if it is not an
 * executable file), else the first of CHROMIUM_CANDIDATES that exists; undefined when none does.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = CHROMIUM_CANDIDATES,
): string | undefined {
  const named = env[CHROMIUM_VARIABLE];
  if (named) {
    if (!isExecutable(named))
      throw new ToolError(
        `${CHROMIUM_VARIABLE} is "${named}", which is not an executable file; set it to a Chromium or Chrome binary (e.g. /usr/bin/chromium), or unset it to search ${candidates.join(", ")}.`,
      );
    return named;
  }
  return candidates.find(isExecutable);
}

/** The message when no browser is found: what to install, which variable to set. */
export function noChromiumMessage(candidates: readonly string[] = CHROMIUM_CANDIDATES): string {
  return (
    `no Chromium found (looked at ${candidates.join(", ")}); install one ` +
    `(Debian/Ubuntu: apt-get install chromium) or set ${CHROMIUM_VARIABLE} to a Chromium or Chrome binary.`
  );
}

/**
 * The text of the first ```mermaid fenced block of a Markdown document (the review has one), or
 * undefined. The fence may be longer than three backticks; the block ends at a fence at least as
 * long.
 */
export function extractMermaid(markdown: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,})\s*mermaid\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const body: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(lines[j]);
      if (close && close[1].length >= fence.length) return body.join("\n") + "\n";
      body.push(lines[j]);
    }
    return undefined; // an unclosed fence is no diagram
  }
  return undefined;
}

export interface RenderOptions {
  /** The browser binary (findChromium). */
  readonly chromium: string;
  /** The mmdc script; default: this project's @mermaid-js/mermaid-cli. */
  readonly mmdc?: string;
  /** Page width in CSS pixels (mmdc -w); default 1200. */
  readonly width?: number;
  /** Device scale factor (mmdc -s); default 2, so labels stay sharp when GitHub scales down. */
  readonly scale?: number;
}

/** mermaid-cli's bin script, resolved from this project's node_modules. */
export function mmdcScript(): string {
  // The package's "exports" do not list package.json or src/cli.js: resolve its main file.
  const main = require.resolve("@mermaid-js/mermaid-cli");
  return path.join(path.dirname(main), "cli.js");
}

/**
 * Renders Mermaid `source` to the PNG file `out` with mmdc. The temporary folder for mmdc's input
 * and puppeteer configuration is removed afterwards; a failed render is a ToolError with mmdc's
 * output.
 */
export async function renderMermaidPng(
  source: string,
  out: string,
  options: RenderOptions,
): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-diagram-"));
  try {
    const input = path.join(dir, "diagram.mmd");
    const config = path.join(dir, "puppeteer.json");
    fs.writeFileSync(input, source);
    // --no-sandbox: Chromium refuses to start its sandbox as root (CI containers, this project's
    // CI) and Ubuntu 24.04 runners restrict the user namespaces it needs. The page renders only
    // the review's own escaped Mermaid text. headless: true is the new headless mode; mmdc's
    // default "shell" expects chrome-headless-shell, which a system Chromium is not.
    fs.writeFileSync(
      config,
      JSON.stringify({
        executablePath: options.chromium,
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
      }),
    );
    const args = [
      options.mmdc ?? mmdcScript(),
      "--quiet",
      "--input",
      input,
      "--output",
      path.resolve(out),
      "--puppeteerConfigFile",
      config,
      "--backgroundColor",
      "white",
      "--width",
      String(options.width ?? 1200),
      "--scale",
      String(options.scale ?? 2),
    ];
    const { code, output } = await run(process.execPath, args, dir);
    if (code !== 0)
      throw new ToolError(
        `mermaid-cli could not render the diagram with ${options.chromium} (exit ${code}):\n${output.trim()}`,
      );
    if (!fs.existsSync(out))
      throw new ToolError(`mermaid-cli exited 0 but wrote no ${out}:\n${output.trim()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      // Puppeteer's temporary profile goes to the same private folder, removed afterwards.
      env: { ...process.env, PUPPETEER_TMP_DIR: cwd },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

export interface PngInfo {
  readonly width: number;
  readonly height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk; an error when `data` is not a PNG. */
export function pngSize(data: Buffer): PngInfo {
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new Error("not a PNG: the 8-byte signature is missing");
  if (data.toString("ascii", 12, 16) !== "IHDR")
    throw new Error("not a PNG: the first chunk is not IHDR");
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}
