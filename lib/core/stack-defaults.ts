/**
 * The defaults of one stack (tier, allowPublic, project, region …), which every construct of the
 * library and `Checks` read. `EnvironmentStack` sets them from the environment file; in a plain
 * `TerraformStack` set them with `StackDefaults.set` before creating the workloads.
 */
import { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { TIERS, WorkloadDefaults, setWorkloadDefaults, workloadDefaults } from "./context";
import { ConfigError, errors } from "./errors";

/**
 * What `StackDefaults.set` records. Every key is optional; unset keys fall back as documented.
 */
export type StackDefaultsProps = WorkloadDefaults;

/** Reads and sets the defaults of a stack. */
export class StackDefaults {
  /**
   * Records the defaults for every construct of `stack`, replacing those set before. Constructs
   * read them when they are created (a workload's deletion protection, its project and region),
   * `Checks` when the stack is synthesized (the tier of its rules): set them first.
   *
   * - `tier` (default: none, treated as not prod): `prod` turns deletion protection on by
   *   default and makes prod-only check findings errors;
   * - `allowPublic` (default false): may services allow unauthenticated calls;
   * - `project`, `region` (default: the stack's Google provider's, when literal);
   * - `environment` (default none): the environment's name, for labels and messages;
   * - `build` (default: grantRunBuilder true, the default build service account).
   */
  static set(stack: TerraformStack, defaults: StackDefaultsProps): void {
    if (defaults.tier !== undefined && !TIERS.includes(defaults.tier))
      throw new ConfigError([errors.stackDefaultsTier(stack, defaults.tier, TIERS)]);
    setWorkloadDefaults(stack, defaults);
  }

  /**
   * The defaults of the stack that holds `scope`: those set with `set` (or by `EnvironmentStack`),
   * with project and region taken from the stack's Google provider (no alias) when not set.
   */
  static of(scope: IConstruct): StackDefaultsProps {
    return workloadDefaults(scope);
  }
}
