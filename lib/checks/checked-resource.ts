/**
 * One synthesized Terraform resource as the checks see it: apart from rule.ts so that the readers
 * of the Terraform JSON (terraform-config.ts, stack-view.ts) and the rule shape share it without
 * an import cycle.
 */
/** One Terraform resource as a rule sees it. */
export interface CheckedResource {
  /** Terraform type, e.g. `google_cloud_run_v2_service`. */
  readonly type: string;
  /** Terraform address, e.g. `google_cloud_run_v2_service.api_Resource_1A2B3C4D`. */
  readonly address: string;
  /** Construct path, e.g. `prod/api/Resource`. */
  readonly path: string;
  /**
   * The resource's body in the Terraform JSON: snake_case keys, overrides applied, references
   * resolved to `${…}` expressions (values only known at apply time; rules skip them).
   */
  readonly config: Readonly<Record<string, unknown>>;
}
