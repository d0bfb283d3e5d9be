import { ConfigError } from "@cdktf-cloud-run/constructs";
import { ConfigErrors, EnvironmentFileError, parseEnvironment } from "../../stacks/environment";
import {
  attribute,
  formatValidationFailure,
  isConfigError,
  SynthProblems,
} from "../../stacks/errors";

describe("synth failure output", () => {
  const cdktf =
    "Validation failed with the following errors:\n" +
    "  [prod/api] CR_CPU: [prod/api] cpu is 3; Cloud Run allows 1, 2, 4, 6 or 8 CPU. Pick one.\n" +
    "  [prod/api/Resource] CHECK_PUBLIC_SERVICE: [prod/api/Resource] invoker_iam_disabled is true; not allowed. Fix it.\n" +
    "  [prod] something cdktf itself says\n\n" +
    "If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.\n";

  test("counts the problems and lists each once, without the repeated path prefix", () => {
    expect(formatValidationFailure(cdktf)).toBe(
      "3 configuration problems found at synth:\n" +
        "  - CR_CPU: [prod/api] cpu is 3; Cloud Run allows 1, 2, 4, 6 or 8 CPU. Pick one.\n" +
        "  - CHECK_PUBLIC_SERVICE: [prod/api/Resource] invoker_iam_disabled is true; not allowed. Fix it.\n" +
        "  - [prod] something cdktf itself says",
    );
  });

  test("never advises skipping validation", () => {
    expect(formatValidationFailure(cdktf)).not.toMatch(/skipValidation/);
  });
});

describe("configuration errors versus bugs", () => {
  const fileError = new EnvironmentFileError("environments/dev.yaml", [
    { path: "tier", message: "bad" },
  ]);
  const constructError = new ConfigError([]);

  test("file and construct errors are configuration errors, printed without a stack", () => {
    expect(isConfigError(fileError)).toBe(true);
    expect(isConfigError(constructError)).toBe(true);
    expect(isConfigError(new ConfigErrors([fileError, constructError]))).toBe(true);
  });

  test("a TypeError is a bug, also when collected with configuration errors", () => {
    expect(isConfigError(new TypeError("x is undefined"))).toBe(false);
    expect(isConfigError(new ConfigErrors([fileError, new TypeError("x")]))).toBe(false);
  });
});

describe("one report for every problem of a synth", () => {
  const qa = parseEnvironment(
    'project: acme-qa\nregion: us-central1\ntier: dev\noverrides:\n  api: { memory: "512MB", env: { A: x } }\n',
    "environments/qa.yaml",
  );

  test("a construct problem an override caused is reported under the file's key", () => {
    expect(
      attribute('CR_QUANTITY: [qa/api] memory is "512MB"; a size is a quantity. Fix it.', [qa]),
    ).toEqual({
      file: "environments/qa.yaml",
      issue: {
        path: "overrides.api.memory",
        message: 'is "512MB"; a size is a quantity. Fix it (CR_QUANTITY at qa/api)',
      },
    });
  });

  test("a problem with a catalog value the file did not set stays a construct problem", () => {
    expect(attribute('CR_ENV: [qa/api] env.B is "y"; no. Fix.', [qa])).toBeUndefined();
    expect(attribute("CR_CPU: [qa/orders] cpu is 3; no. Fix.", [qa])).toBeUndefined();
  });

  test("file problems, attributed construct problems and the rest are counted together", () => {
    const report = new SynthProblems(
      [
        new EnvironmentFileError("environments/dev.yaml", [{ path: "tier", message: "bad" }]),
        new ConfigError([
          {
            code: "CR_QUANTITY",
            path: "qa/api",
            prop: "memory",
            value: "512MB",
            message: 'CR_QUANTITY: [qa/api] memory is "512MB"; a size. Fix.',
          },
        ]),
        new Error(
          "Validation failed with the following errors:\n  [qa/docs] CR_X: [qa/docs] port is 0; no. Fix.\n",
        ),
      ],
      [qa],
    );
    expect(report.message).toBe(
      "ENV_INVALID: environments/dev.yaml has 1 problem:\n  - tier: bad\n\n" +
        "ENV_INVALID: environments/qa.yaml has 1 problem:\n" +
        '  - overrides.api.memory: is "512MB"; a size. Fix (CR_QUANTITY at qa/api)\n\n' +
        "1 configuration problem found at synth:\n  - CR_X: [qa/docs] port is 0; no. Fix.\n\n" +
        "3 problems in all (2 environment files).",
    );
    expect(isConfigError(report)).toBe(true);
  });
});
