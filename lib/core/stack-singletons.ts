/**
 * Things a stack needs once, whoever asks first: the Terraform version range, the time provider
 * (for the API wait) and the `google_project` data source that yields a project's number.
 * Constructs work in any `TerraformStack`, so they add these themselves rather than expect an
 * `EnvironmentStack`.
 */
import { IConstruct } from "constructs";
import {
  ITerraformDependable,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  dependable,
} from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";

/**
 * The Terraform (and OpenTofu) versions the synthesized JSON needs: `import` blocks (what
 * `npm run adopt` writes through cdktf's `importFrom`) arrived in Terraform 1.5.0; every OpenTofu
 * release (1.6.0 on) has them. Nothing newer is used: no `removed` blocks (1.7), provider
 * functions (1.8), ephemeral resources (1.10) or write-only arguments (1.11). No upper bound:
 * Terraform promises compatibility within 1.x, and a bound would refuse OpenTofu's own numbers.
 */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.5.0";

/**
 * Writes `terraform.required_version` as a fragment of its own, so that a user's
 * `stack.addOverride("terraform.required_version", …)` (merged after every fragment) wins
 * whichever comes first.
 */
class RequiredVersion extends TerraformElement {
  override toTerraform(): Record<string, unknown> {
    return { terraform: { required_version: REQUIRED_TERRAFORM_VERSION } };
  }

  /**
   * Nothing in `cdktf synth --hcl`: cdktf 0.21's HCL renderer writes any terraform-block
   * attribute other than required_providers, backend and cloud as `0 = "required_version"`
   * (`renderTerraform` in cdktf/lib/hcl/render.js hands the list of keys to
   * `renderSimpleAttributes`), which Terraform rejects. Valid HCL without the range beats
   * invalid HCL with it.
   */
  override toHclTerraform(): Record<string, unknown> {
    return {};
  }
}

const SEEN_VERSION = new WeakSet<TerraformStack>();

/** Adds `terraform.required_version` (REQUIRED_TERRAFORM_VERSION) to the stack, once. */
export function ensureRequiredVersion(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (SEEN_VERSION.has(stack)) return;
  SEEN_VERSION.add(stack);
  new RequiredVersion(stack, "terraform-required-version");
}

const SEEN_TIME = new WeakSet<TerraformStack>();

/** Adds a `time` provider to the stack unless it already has an un-aliased one. */
export function ensureTimeProvider(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (SEEN_TIME.has(stack)) return;
  SEEN_TIME.add(stack);
  const existing = stack.node.findAll().some((c) => c instanceof TimeProvider && !c.alias);
  if (!existing) new TimeProvider(stack, "time");
}

const PROJECT_DATA = new WeakMap<TerraformStack, Map<string, DataGoogleProject>>();

/**
 * The `google_project` data source for `project` (the provider's project when undefined),
 * created once per stack and project.
 */
export function projectData(scope: IConstruct, project?: string): DataGoogleProject {
  const stack = TerraformStack.of(scope);
  let byProject = PROJECT_DATA.get(stack);
  if (!byProject) PROJECT_DATA.set(stack, (byProject = new Map()));
  const key = project ?? "";
  let data = byProject.get(key);
  if (!data) {
    const id = project ? `project-${safeId(project)}` : "project";
    data = new DataGoogleProject(stack, id, project ? { projectId: project } : {});
    byProject.set(key, data);
  }
  return data;
}

/** `PROJECT_NUMBER-compute@developer.gserviceaccount.com`, the Compute Engine default account. */
export function computeDefaultServiceAccount(scope: IConstruct, project?: string): string {
  return `${projectData(scope, project).number}-compute@developer.gserviceaccount.com`;
}

/** A construct-id-safe form of any string. */
export function safeId(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]+/g, "_");
}

const DEPENDENCIES = new WeakMap<TerraformResource, Set<ITerraformDependable>>();

/**
 * Adds `deps` to `resource`'s `depends_on`, once each, in the form Terraform requires: a plain
 * address (`time_sleep.x`), never an interpolation (`${time_sleep.x}`), which Terraform rejects
 * ("A single static variable reference is required").
 */
export function addDependsOn(resource: TerraformResource, ...deps: ITerraformDependable[]): void {
  let seen = DEPENDENCIES.get(resource);
  if (!seen) DEPENDENCIES.set(resource, (seen = new Set()));
  const added: string[] = [];
  for (const dep of deps) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    added.push(dependable(dep));
  }
  if (added.length > 0) resource.dependsOn = [...(resource.dependsOn ?? []), ...added];
}
