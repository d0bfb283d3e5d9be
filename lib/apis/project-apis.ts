import { Construct, IConstruct } from "constructs";
import { Lazy, TerraformResource, TerraformStack } from "cdktf";
import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { Sleep } from "@cdktf/provider-time/lib/sleep";
import { prepareStack } from "../core/stack-setup";
import { addDependsOn, ensureTimeProvider, safeId } from "../core/stack-singletons";
import { Problems } from "../core/errors";
import { apiErrors } from "./errors";
import { defined, parseDuration, toApiDuration, Duration } from "../core/values";

export interface ProjectApisProps {
  /**
   * How long dependents wait after the APIs are enabled, so a first apply does not race API
   * propagation.
   * @default "30s"
   */
  readonly propagationWait?: Duration | undefined;
}

const API_NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/;

/**
 * The Google APIs a stack needs, one `google_project_service` each, with
 * `disable_on_destroy = false` written explicitly: destroying one stack must never switch an API
 * off for a whole project. A `time_sleep` follows the APIs; everything that uses them depends
 * on it (`dependOn`), so a first apply does not race API propagation. Which APIs a workload,
 * trigger or repository needs is not decided here: the constructs read it from the
 * prerequisites table (`lib/workload/prerequisites.ts`, docs/prerequisites.md) and call `enable`.
 *
 * ```ts
 * ProjectApis.of(this).enable("secretmanager.googleapis.com");
 * ProjectApis.of(this).dependOn(myResource);
 * ```
 */
export class ProjectApis extends Construct {
  /** The stack's single instance, created on first use. */
  static of(scope: IConstruct): ProjectApis {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ProjectApis.ID);
    if (existing instanceof ProjectApis) return existing;
    return new ProjectApis(stack, ProjectApis.ID);
  }

  /** Construct id of the stack's instance. */
  static readonly ID = "ProjectApis";

  /** The `time_sleep` that dependents wait on. */
  public readonly wait: Sleep;
  private readonly services = new Map<string, ProjectService>();

  constructor(scope: Construct, id: string, props: ProjectApisProps = {}) {
    super(scope, id);
    prepareStack(this);
    const problems = new Problems(this);
    const waitSeconds = parseDuration(props.propagationWait ?? "30s");
    if (waitSeconds === undefined) {
      problems.add(apiErrors.apiWait(this, props.propagationWait));
    }
    problems.throwIfAny();
    ensureTimeProvider(this);
    this.wait = new Sleep(this, "propagation", {
      createDuration: toApiDuration(waitSeconds ?? 30),
      // A new API replaces the sleep, so dependents wait for it on the apply that adds it.
      triggers: {
        apis: Lazy.stringValue({ produce: () => this.enabled.join(",") }),
      },
    });
    this.enable("run.googleapis.com");
  }

  /**
   * Enables `api` (e.g. `"secretmanager.googleapis.com"`) once; later calls return the same
   * resource. `project` defaults to the provider's project.
   */
  enable(api: string, project?: string): ProjectService {
    const key = project ? `${project}/${api}` : api;
    const found = this.services.get(key);
    if (found) return found;
    if (!API_NAME.test(api)) {
      const problems = new Problems(this);
      problems.add(apiErrors.apiName(this, api));
      problems.throwIfAny();
    }
    const service = new ProjectService(
      this,
      safeId(key),
      defined({
        service: api,
        project,
        disableOnDestroy: false,
      }),
    );
    this.services.set(key, service);
    addDependsOn(this.wait, service);
    return service;
  }

  /** Enables every API in `apis`. */
  enableAll(apis: Iterable<string>, project?: string): void {
    for (const api of apis) this.enable(api, project);
  }

  /** The APIs enabled so far, sorted (`project/api` when a project was given). */
  get enabled(): string[] {
    return [...this.services.keys()].sort();
  }

  /** Makes `resource` wait for every API of this stack (and their propagation). */
  dependOn(resource: TerraformResource): void {
    addDependsOn(resource, this.wait);
  }
}
