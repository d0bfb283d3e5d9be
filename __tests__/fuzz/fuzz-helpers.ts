/**
 * Shared pieces of the fuzz harness (issue 14): a fixed seed, run counts scaled by FUZZ_RUNS, one
 * temporary App outdir per test file (removed afterwards), the reported-error classifier and
 * string generators that favour what Terraform would interpret.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { App, TerraformStack, Testing } from "cdktf";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { ConfigError } from "@cdktf-cloud-run/constructs";
import { EnvironmentFileError } from "../../stacks/environment";
import type { TfJson } from "../helpers";

/** The seed of every property: a failure reproduces on every machine. */
export const SEED = 14;

/** `n` by default; FUZZ_RUNS=N runs N cases instead (e.g. FUZZ_RUNS=20000 npx jest __tests__/fuzz). */
export function runs(n: number): number {
  const given = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(given) && given > 0 ? given : n;
}

/** A folder for the Apps of one test file; `cleanup()` removes it (tests leave nothing in /tmp). */
export function outdir(): { dir: () => string; cleanup: () => void } {
  let dir: string | undefined;
  return {
    dir: () => (dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-fuzz-"))),
    cleanup: () => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

/** A plain stack with a Google provider in a fresh App writing under `dir`. */
export function fuzzStack(dir: string): TerraformStack {
  const stack = new TerraformStack(new App({ outdir: dir }), "test");
  new GoogleProvider(stack, "google", { project: "acme-test", region: "us-central1" });
  return stack;
}

/** Synthesizes with validations on, as the tests' `synth` helper does. */
export function synthJson(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

const VALIDATION = /^Validation failed with the following errors/;

/**
 * True for an error the project reports on purpose (ConfigError, EnvironmentFileError, cdktf's
 * validation error listing our messages); false for anything else (a crash).
 */
export function isReported(e: unknown): boolean {
  if (e instanceof ConfigError || e instanceof EnvironmentFileError) return true;
  return (
    e instanceof Error &&
    e.constructor === Error &&
    VALIDATION.test(e.message) &&
    /\b[A-Z][A-Z0-9_]+: /.test(e.message)
  );
}

/** Pieces Terraform would interpret, or that break quoting, mixed with arbitrary text. */
const PIECES = [
  "${",
  "%{",
  "$${",
  "%%{",
  "$$",
  "$",
  "%",
  "{",
  "}",
  "~}",
  "${~",
  "${var.x}",
  '${file("/etc/passwd")}',
  "%{ if true }x%{ endif }",
  '"',
  "\\",
  "\n",
  "\r\n",
  "\t",
  "EOF",
  "[",
  "]",
  "é",
  "😀",
  "\u2028",
  "\u0000",
  "123",
  "-1e+21",
];

/** Any string, weighted towards `${`, `%{`, escapes, quotes, unicode and a trailing `$`. */
export const hostileString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
    ),
    { maxLength: 7 },
  )
  .map((parts) => parts.join(""));
