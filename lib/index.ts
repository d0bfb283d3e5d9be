// The public API: everything a user imports comes from here.
export { ProjectApis } from "./project-apis";
export type { ProjectApisProps } from "./project-apis";
export { ConfigError } from "./private/errors";
export type { Problem } from "./private/errors";
export type { Duration, Quantity } from "./private/values";
export type { Tier } from "./private/context";
