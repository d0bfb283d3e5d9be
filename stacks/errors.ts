import { ConfigError } from "@cdktf-cloud-run/constructs";
import { ConfigErrors, EnvironmentFileError } from "./environment";

const CDKTF_VALIDATION = /^Validation failed with the following errors:\n/;

/**
 * cdktf's validation error lists `[path] message` per line and ends with advice to skip
 * validation. Our messages already name their path (`CODE: [path] …`), so the prefix is dropped
 * where it repeats, and the advice is left out: a failed check is fixed or suppressed with a
 * reason, never skipped.
 */
export function formatValidationFailure(message: string): string {
  const lines = message
    .replace(CDKTF_VALIDATION, "")
    .split("\n")
    .filter((l) => l.trim() !== "" && !/skipValidation/.test(l))
    .map((l) => {
      const m = /^\s*\[([^\]]+)\] (\w+: \[\1\] .*)$/.exec(l);
      return m ? `  - ${m[2]}` : `  - ${l.trim()}`;
    });
  return `${lines.length} configuration problem${lines.length === 1 ? "" : "s"} found at synth:\n${lines.join("\n")}`;
}

/** A problem of the configuration (not a bug): printed as its message alone. */
export function isConfigError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof EnvironmentFileError ||
    (error instanceof ConfigErrors && error.errors.every(isConfigError))
  );
}

/**
 * Prints a configuration error as its message alone (no stack trace) and exits 1. Anything else
 * is a bug in this project: printed in full.
 */
export function reportAndExit(error: unknown): never {
  if (isConfigError(error)) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else if (error instanceof Error && CDKTF_VALIDATION.test(error.message)) {
    process.stderr.write(`\n${formatValidationFailure(error.message)}\n\n`);
  } else {
    process.stderr.write(
      `\nUnexpected error (a bug in cdktf-cloud-run, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
    );
  }
  process.exit(1);
}
