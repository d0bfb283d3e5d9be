import type { Rule } from "../rule";

/**
 * A `google_project_service` whose `disable_on_destroy` is true or not written (the provider's
 * default is true): destroying one stack switches the API off for everything in the project.
 */
export const apiDisableOnDestroy: Rule = {
  id: "CHECK_API_DISABLE_ON_DESTROY",
  severity: "error",
  explanation:
    "An API belongs to the project, not to one stack: with disable_on_destroy true (the provider's default when unset) a destroy switches the API off for every other workload in the project.",
  fix: "Enable APIs through ProjectApis.of(scope).enable(api), which writes disable_on_destroy = false.",
  appliesTo: (type) => type === "google_project_service",
  check(r) {
    const value = r.config.disable_on_destroy;
    if (value === false || (typeof value === "string" && value.includes("${"))) return [];
    return [
      {
        prop: "disable_on_destroy",
        value,
        why: `destroying this stack would switch ${typeof r.config.service === "string" ? r.config.service : "the API"} off for the whole project${value === undefined ? " (the provider's default is true)" : ""}`,
        fix: "Set disable_on_destroy = false, or enable the API with ProjectApis.of(scope).enable(api)",
      },
    ];
  },
};
