/**
 * What every tool shares: argument parsing with `--help`, progress on stderr, the product on
 * stdout (or a file), and exit codes (64 for bad usage, 1 for errors).
 */
import * as fs from "fs";
import { parseArgs } from "util";

export const EXIT = { ok: 0, error: 1, changes: 2, usage: 64 } as const;

/** Bad usage: printed with a pointer to --help, exit 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A refusal or failure the user can fix: printed without a stack trace, exit 1. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}

export interface OptionSpec {
  readonly type: "string" | "boolean";
}

type Values<T extends Record<string, OptionSpec>> = {
  [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean;
};

/** Parses `argv` strictly (unknown options are usage errors); `--help` is always accepted. */
export function parseCli<T extends Record<string, OptionSpec>>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): { values: Values<T> & { help?: boolean }; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
    return {
      values: parsed.values as Values<T> & { help?: boolean },
      positionals: parsed.positionals,
    };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Progress and notes, on stderr so stdout stays the product. */
export function progress(tool: string, message: string): void {
  process.stderr.write(`${tool}: ${message}\n`);
}

/** Writes the product to `out`, or to stdout. */
export function writeProduct(text: string, out?: string): void {
  if (out) fs.writeFileSync(out, text);
  else process.stdout.write(text);
}

/**
 * Runs a tool's main and exits with its code; usage errors exit 64 with a pointer to --help,
 * tool errors exit 1 with their message, anything else exits 1 with the stack.
 */
export function runTool(tool: string, main: (argv: string[]) => Promise<number> | number): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        if (error instanceof UsageError) {
          process.stderr.write(`${tool}: ${error.message}\nRun with --help for usage.\n`);
          process.exitCode = EXIT.usage;
        } else if (error instanceof ToolError) {
          process.stderr.write(`${tool}: ${error.message}\n`);
          process.exitCode = EXIT.error;
        } else {
          process.stderr.write(`${tool}: ${(error as Error)?.stack ?? String(error)}\n`);
          process.exitCode = EXIT.error;
        }
      },
    );
}
