// The public API: everything a user imports comes from here.
export { ProjectApis } from "./project-apis";
export type { ProjectApisProps } from "./project-apis";
export { ConfigError } from "./private/errors";
export type { Problem } from "./private/errors";
export type { Duration, Quantity } from "./private/values";
export type { Tier } from "./private/context";
export { StackDefaults } from "./stack-defaults";
export type { StackDefaultsProps } from "./stack-defaults";
export { IamBinding } from "./iam-binding";
export type {
  IamBindingProps,
  IamTarget,
  IGrantable,
  WorkloadIamTarget,
  ProjectIamTarget,
  ServiceAccountIamTarget,
  SecretIamTarget,
  RegionalIamTarget,
  ServiceIamTarget,
  JobIamTarget,
  WorkerPoolIamTarget,
  SubscriptionIamTarget,
} from "./iam-binding";
export {
  grantRunBuilder,
  grantDeployers,
  BUILD_APIS,
  DEPLOYER_PROJECT_ROLES,
  DEPLOYER_SERVICE_ACCOUNT_ROLE,
} from "./grants";
export type {
  GrantRunBuilderOptions,
  RunBuilderGrant,
  GrantDeployersOptions,
  DeployerGrants,
} from "./grants";
export { CloudRunService } from "./cloud-run-service";
export type { CloudRunServiceProps, Ingress, TrafficTarget } from "./cloud-run-service";
export type { EventTriggerOptions } from "./private/service-events";
export type {
  WorkloadProps,
  ContainerProps,
  SidecarProps,
  SecretEnv,
  Volume,
  SecretVolume,
  CloudSqlVolume,
  GcsVolume,
  NfsVolume,
  InMemoryVolume,
  Probe,
  VpcEgress,
  Gpu,
  ImageManagedBy,
  BinaryAuthorization,
} from "./private/workload-props";
export { Checks } from "./checks";
export type {
  ChecksOptions,
  ChecksReport,
  Finding,
  SuppressedFinding,
  SuppressionInfo,
  Rule,
  RuleContext,
  RuleFinding,
  CheckedResource,
  CheckEnvironment,
  Severity,
} from "./checks";
export {
  CloudRunFunction,
  FUNCTION_APIS,
  FUNCTION_BUILD_PROJECT_ROLES,
  FUNCTION_BUILD_SOURCE_ROLE,
} from "./cloud-run-function";
export type { CloudRunFunctionProps, FunctionSource, BuildRoleGrant } from "./cloud-run-function";
export { CloudRunJob } from "./cloud-run-job";
export type { CloudRunJobProps, JobSchedule } from "./cloud-run-job";
export { WorkerPool } from "./worker-pool";
export type { WorkerPoolProps } from "./worker-pool";
export type { KeyRevocationAction } from "./private/encryption";
export { ArtifactRepository } from "./artifact-repository";
export type {
  ArtifactRepositoryProps,
  ArtifactRepositoryRemote,
  ImageReaderOptions,
} from "./artifact-repository";
// Helpers the repository's tools share with the constructs (image references as the constructs
// and checks read them; the service account id a workload gets).
export { parseImageRef, formatImageRef } from "./private/image-ref";
export type { ImageRef, ImageRefResult } from "./private/image-ref";
export { accountId as workloadAccountId } from "./private/workload";
// Every literal string of a stack reaches Terraform as written (`${` → `$${`, `%{` → `%%{`):
// the constructs install it themselves; a stack that writes values of its own from files
// (provider labels, backend settings) calls it too. See docs/security.md.
export { escapeLiterals } from "./private/escape";
// The label rules of the constructs and the one way values are shown in messages, for the
// environment files of the repository's app.
export { labelProblems } from "./private/container-rules";
export { show as showValue } from "./private/errors";
