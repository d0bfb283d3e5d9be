import { ConfigError } from "../lib/private/errors";
import { EnvironmentFileError } from "./environment";

/**
 * Prints a configuration error as its message alone (no stack trace) and exits 1. Anything else
 * is a bug in this project: printed in full.
 */
export function reportAndExit(error: unknown): never {
  if (error instanceof ConfigError || error instanceof EnvironmentFileError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else if (
    error instanceof Error &&
    /^Validation failed with the following errors/.test(error.message)
  ) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    process.stderr.write(
      `\nUnexpected error (a bug in cdktf-cloud-run, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
    );
  }
  process.exit(1);
}
