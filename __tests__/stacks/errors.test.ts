import { ConfigError } from "@cdktf-cloud-run/constructs";
import { ConfigErrors, EnvironmentFileError } from "../../stacks/environment";
import { formatValidationFailure, isConfigError } from "../../stacks/errors";

describe("synth failure output", () => {
  const cdktf =
    "Validation failed with the following errors:\n" +
    "  [prod/api] CR_CPU: [prod/api] cpu is 3; Cloud Run allows 1, 2, 4, 6 or 8 CPU. Pick one.\n" +
    "  [prod/api/Resource] CR_PUBLIC_SERVICE: [prod/api/Resource] invoker_iam_disabled is true; not allowed. Fix it.\n" +
    "  [prod] something cdktf itself says\n\n" +
    "If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration.\n";

  test("counts the problems and lists each once, without the repeated path prefix", () => {
    expect(formatValidationFailure(cdktf)).toBe(
      "3 configuration problems found at synth:\n" +
        "  - CR_CPU: [prod/api] cpu is 3; Cloud Run allows 1, 2, 4, 6 or 8 CPU. Pick one.\n" +
        "  - CR_PUBLIC_SERVICE: [prod/api/Resource] invoker_iam_disabled is true; not allowed. Fix it.\n" +
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
