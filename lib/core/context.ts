/**
 * What a construct may learn from the stack it lives in: the environment's defaults (set by
 * `EnvironmentStack`, absent in a plain `TerraformStack`) and the Google provider's project and
 * region. Constructs never import `stacks/`; the stack writes defaults into the construct tree.
 */
import { IConstruct } from "constructs";
import { TerraformProvider, TerraformStack } from "cdktf";

export type Tier = "dev" | "staging" | "prod";
export const TIERS: readonly Tier[] = ["dev", "staging", "prod"];

export interface WorkloadDefaults {
  /** @default - the stack's Google provider's project (no alias), when literal */
  readonly project?: string | undefined;
  /** @default - the stack's Google provider's region (no alias), when literal */
  readonly region?: string | undefined;
  /** @default - none, treated as not prod (deletion protection off, no prod-only errors) */
  readonly tier?: Tier | undefined;
  /**
   * May services in this stack allow unauthenticated calls?
   * @default false
   */
  readonly allowPublic?: boolean | undefined;
  /**
   * Environment name (e.g. `dev`), for labels and messages.
   * @default - none (no environment label, messages name the stack)
   */
  readonly environment?: string | undefined;
  /**
   * The environment file's `build:` section. `grantRunBuilder: false` means the platform manages
   * the build identity's roles itself: constructs that build (CloudRunFunction) grant it nothing.
   * @default - `{ grantRunBuilder: true }`, the Compute Engine default account building
   */
  readonly build?: { readonly grantRunBuilder?: boolean; readonly serviceAccount?: string };
}

const DEFAULTS = new WeakMap<TerraformStack, WorkloadDefaults>();

/** Records the defaults for every construct of `stack`. Called by `EnvironmentStack`. */
export function setWorkloadDefaults(stack: TerraformStack, defaults: WorkloadDefaults): void {
  DEFAULTS.set(stack, defaults);
}

/** The defaults of the stack that holds `scope`: environment first, then the Google provider. */
export function workloadDefaults(scope: IConstruct): WorkloadDefaults {
  const stack = TerraformStack.of(scope);
  const set = DEFAULTS.get(stack);
  if (set?.project && set.region) return set;
  const provider = googleProviderOf(stack);
  return {
    ...set,
    project: set?.project ?? literal(provider?.project),
    region: set?.region ?? literal(provider?.region),
  };
}

/** Deletion protection default: on in prod tier, off elsewhere and outside an environment. */
export function defaultDeletionProtection(scope: IConstruct): boolean {
  return workloadDefaults(scope).tier === "prod";
}

/** What the lookup reads of the Google provider (its class may come from another copy). */
interface GoogleProviderLike {
  readonly project?: string | undefined;
  readonly region?: string | undefined;
}

const PROVIDERS = new WeakMap<TerraformStack, GoogleProviderLike | null>();

/**
 * The stack's default Google provider, found by what it is (`terraformResourceType` "google",
 * no alias), not by `instanceof GoogleProvider`: an app may load a second copy of
 * @cdktf/provider-google (a path or workspace dependency with its own node_modules), whose
 * GoogleProvider is another class.
 */
function googleProviderOf(stack: TerraformStack): GoogleProviderLike | undefined {
  let found = PROVIDERS.get(stack);
  if (found === undefined) {
    found =
      (stack.node.children.find(
        (c) =>
          TerraformProvider.isTerraformProvider(c) &&
          c.terraformResourceType === "google" &&
          !c.alias,
      ) as GoogleProviderLike | undefined) ?? null;
    if (found) PROVIDERS.set(stack, found);
  }
  return found ?? undefined;
}

function literal(v: string | undefined): string | undefined {
  return typeof v === "string" && !v.includes("${") ? v : undefined;
}
