/**
 * What every construct of the library does to the stack that holds it, once per stack: the
 * Terraform version the synthesized JSON needs (`terraform.required_version`) and the escaping of
 * every literal string at synthesis. Both are idempotent; a construct calls this one function
 * first in its constructor, so no construct can install one and forget the other.
 */
import { IConstruct } from "constructs";
import { escapeLiterals } from "./escape";
import { ensureRequiredVersion } from "./stack-singletons";

export function prepareStack(scope: IConstruct): void {
  ensureRequiredVersion(scope);
  escapeLiterals(scope);
}
