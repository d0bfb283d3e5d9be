/**
 * The bad-input contract (issue 6): every invalid configuration fed through the public API fails
 * with a ConfigError, an EnvironmentFileError or cdktf's validation error (never a bare
 * TypeError or stack trace), and the message names the prop and the value as written. Values
 * that look harmless but would vanish from the output fail too, instead of being dropped.
 *
 * Each case builds into a fresh plain stack and synthesizes it with validations on, so
 * single-prop problems (thrown in constructors) and cross-prop problems (reported at synth)
 * are both covered.
 *
 * The cases live in one file per construct (`service.cases.ts`, `job.cases.ts`, …; the builders
 * and the case shape in `cases.ts`); this file is the one runner.
 */
import { ConfigError } from "@cdktf-cloud-run/constructs";
import { EnvironmentFileError } from "../../stacks/environment";
import { devStack, envFile, ENV_OK, job, pool, service, type Case, type Expected } from "./cases";
import { serviceCases } from "./service.cases";
import { jobCases } from "./job.cases";
import { workerPoolCases } from "./worker-pool.cases";
import { artifactRepositoryCases } from "./artifact-repository.cases";
import { iamCases } from "./iam.cases";
import { checksCases } from "./checks.cases";
import { environmentCases } from "./environment.cases";

/** Every case, one file per construct. */
const CORPUS: Case[] = [
  ...serviceCases,
  ...jobCases,
  ...workerPoolCases,
  ...artifactRepositoryCases,
  ...iamCases,
  ...checksCases,
  ...environmentCases,
];

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

const VALIDATION = /^Validation failed with the following errors/;

type Kind = "config" | "environment-file" | "validation";

/** What kind of reported error `e` is; fails the test (with the stack) for anything else. */
function reportedKind(e: unknown): Kind {
  if (e instanceof ConfigError) return "config";
  if (e instanceof EnvironmentFileError) return "environment-file";
  if (
    e instanceof Error &&
    e.constructor === Error &&
    VALIDATION.test(e.message) &&
    !e.message.includes("\n    at ")
  )
    return "validation";
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  throw new Error(`expected a reported configuration error, got:\n${detail}`);
}

function caught(build: () => void): unknown {
  try {
    build();
  } catch (e) {
    return e;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The line of `message` that reports `x`, in the shape of the error's kind. */
function lineFor(kind: Kind, x: Expected): RegExp {
  if (kind === "environment-file")
    return new RegExp(`^  - ${escape(x.prop)}: .*${escape(x.value)}`, "m");
  const code = x.code ? escape(x.code) : "[A-Z][A-Z0-9_]+";
  return new RegExp(`${code}: (\\[[^\\]]+\\] )?${escape(x.prop)} is ${escape(x.value)}; `, "m");
}

describe("bad-input contract", () => {
  test("the corpus holds at least 40 invalid configurations", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  test.each(CORPUS.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const error = caught(c.build);
    // (1) it throws
    expect(error).toBeDefined();
    // (2) a reported configuration error, never a bare TypeError/RangeError/ReferenceError
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).not.toBeInstanceOf(ReferenceError);
    const kind = reportedKind(error);
    const message = (error as Error).message;
    // (3) + (4) every expected problem, with its prop and value, in this one message
    for (const x of [c.expect].flat()) expect(message).toMatch(lineFor(kind, x));
    // construct paths (ConfigError, validation) or the file (environment files) are named
    if (kind === "environment-file") expect(message).toMatch(/^ENV_INVALID: \S+\.yaml has /);
    else expect(message).toMatch(/\[(test|dev)(\/[^\]]+)?\] /);
  });

  test("a valid configuration of each construct synthesizes (the builders are not the failure)", () => {
    expect(() => service({})).not.toThrow();
    expect(() => job({})).not.toThrow();
    // A prop spread in as undefined is not a value that could be dropped.
    expect(() => job({ timeout: undefined })).not.toThrow();
    expect(() => pool({})).not.toThrow();
    expect(() => envFile(ENV_OK)).not.toThrow();
    expect(() => devStack("")).not.toThrow();
  });
});
