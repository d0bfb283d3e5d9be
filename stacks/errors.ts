import { ConfigError } from "@cdktf-cloud-run/constructs";
import { ConfigErrors, Environment, EnvironmentFileError, showFile } from "./environment";
import { keyPath, SchemaIssue } from "./schema";

const CDKTF_VALIDATION = /^Validation failed with the following errors:\n/;

/**
 * The problem lines of cdktf's validation error: it lists `[path] message` per line and ends with
 * advice to skip validation. Our messages already name their path (`CODE: [path] …`), so the
 * prefix is dropped where it repeats, and the advice is left out: a failed check is fixed or
 * suppressed with a reason, never skipped.
 */
export function validationLines(message: string): string[] {
  return message
    .replace(CDKTF_VALIDATION, "")
    .split("\n")
    .filter((l) => l.trim() !== "" && !/skipValidation/.test(l))
    .map((l) => {
      const m = /^\s*\[([^\]]+)\] (\w+: \[\1\] .*)$/.exec(l);
      return m ? m[2] : l.trim();
    });
}

/** cdktf's validation error as one counted list (see validationLines). */
export function formatValidationFailure(message: string): string {
  return counted(validationLines(message));
}

function counted(lines: readonly string[]): string {
  return `${lines.length} configuration problem${lines.length === 1 ? "" : "s"} found at synth:\n${lines.map((l) => `  - ${l}`).join("\n")}`;
}

/** A problem of the configuration (not a bug): printed as its message alone. */
export function isConfigError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof EnvironmentFileError ||
    error instanceof SynthProblems ||
    (error instanceof ConfigErrors && error.errors.every(isConfigError)) ||
    (error instanceof Error && CDKTF_VALIDATION.test(error.message))
  );
}

/** `CODE: [path] prop is VALUE; rule. Fix.` (lib/core/errors.ts `problem`). */
const PROBLEM = /^(\w+): \[([^\]]+)\] (\S+) is ([\s\S]*)$/;

/**
 * The environment file key a construct problem comes from, when an override set the value: a
 * problem of `qa/api` about `memory`, where `environments/qa.yaml` has `overrides.api.memory`,
 * is that key's problem (`overrides.api.memory is "512MB"; …`). For `env`, `labels` and `secrets`
 * the file must have set that very entry.
 */
export function attribute(
  line: string,
  envs: readonly Environment[],
): { file: string; issue: SchemaIssue } | undefined {
  const m = PROBLEM.exec(line);
  if (!m) return undefined;
  const [, code, where, prop, rest] = m;
  const [stack, workload] = where.split("/");
  const env = envs.find((e) => e.name === stack);
  const o = env && workload ? env.overrides[workload] : undefined;
  if (!env || !o) return undefined;
  const parts = prop.split(".");
  const value = (o as Record<string, unknown>)[parts[0]];
  if (value === undefined) return undefined;
  if (
    ["env", "labels", "secrets"].includes(parts[0]) &&
    (parts.length < 2 || !Object.prototype.hasOwnProperty.call(value, parts[1]))
  ) {
    return undefined;
  }
  return {
    file: showFile(env.file),
    issue: {
      path: keyPath(["overrides", workload, ...parts]),
      message: `is ${rest.replace(/\.$/, "")} (${code} at ${where})`,
    },
  };
}

/**
 * Every problem of one synth in one report: the environment files' problems grouped by file
 * (construct problems an override caused among them, under the file's key), then the other
 * construct and validation problems in one counted list, then the total.
 */
export class SynthProblems extends Error {
  public readonly count: number;
  constructor(errors: readonly Error[], envs: readonly Environment[]) {
    const byFile = new Map<string, SchemaIssue[]>();
    const other: string[] = [];
    const visit = (e: Error) => {
      if (e instanceof ConfigErrors) e.errors.forEach(visit);
      else if (e instanceof SynthProblems) visit(new ConfigErrors(e.errors));
      else if (e instanceof EnvironmentFileError)
        byFile.set(e.file, [...(byFile.get(e.file) ?? []), ...e.issues]);
      else {
        const lines =
          e instanceof ConfigError ? e.problems.map((p) => p.message) : validationLines(e.message);
        for (const line of lines) {
          const a = attribute(line, envs);
          if (a) byFile.set(a.file, [...(byFile.get(a.file) ?? []), a.issue]);
          else other.push(line);
        }
      }
    };
    errors.forEach(visit);
    const blocks = [...byFile].map(
      ([file, issues]) => new EnvironmentFileError(file, issues).message,
    );
    if (other.length > 0) blocks.push(counted(other));
    const count = [...byFile.values()].reduce((n, i) => n + i.length, 0) + other.length;
    const files = byFile.size;
    super(
      blocks.join("\n\n") +
        (blocks.length > 1
          ? `\n\n${count} problems in all${files > 0 ? ` (${files} environment file${files === 1 ? "" : "s"})` : ""}.`
          : ""),
    );
    this.name = "SynthProblems";
    this.count = count;
    this.errors = errors;
  }
  public readonly errors: readonly Error[];
}

/**
 * Prints a configuration error as its message alone (no stack trace) and exits 1. Anything else
 * is a bug in this project: printed in full.
 */
export function reportAndExit(error: unknown): never {
  if (error instanceof Error && CDKTF_VALIDATION.test(error.message)) {
    process.stderr.write(`\n${formatValidationFailure(error.message)}\n\n`);
  } else if (isConfigError(error)) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    process.stderr.write(
      `\nUnexpected error (a bug in cdktf-cloud-run, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
    );
  }
  process.exit(1);
}
