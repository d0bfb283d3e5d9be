/**
 * Things a stack needs once, whoever asks first: the time provider (for the API wait) and the
 * `google_project` data source that yields a project's number. Constructs work in any
 * `TerraformStack`, so they add these themselves rather than expect an `EnvironmentStack`.
 */
import { IConstruct } from "constructs";
import { ITerraformDependable, TerraformResource, TerraformStack, dependable } from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";

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
