/**
 * Named error factories of `ProjectApis`. Codes never change once shipped. Message shape: see
 * core/errors.ts.
 */
import { IConstruct } from "constructs";
import { problem } from "../core/errors";

type Scope = IConstruct | string;

export const apiErrors = {
  apiWait: (scope: Scope, value: unknown) =>
    problem(
      "CR_API_WAIT",
      scope,
      "propagationWait",
      value,
      'a duration such as "30s"',
      'Pass e.g. "30s"',
    ),
  apiName: (scope: Scope, value: unknown) =>
    problem(
      "CR_API_NAME",
      scope,
      "api",
      value,
      "an API is a service name ending in .googleapis.com",
      'Pass e.g. "secretmanager.googleapis.com"',
    ),
};
