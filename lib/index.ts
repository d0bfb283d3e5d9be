// The public API: everything a user imports comes from here.
export { ProjectApis } from "./apis/project-apis";
export type { ProjectApisProps } from "./apis/project-apis";
export { ConfigError } from "./core/errors";
export type { Problem } from "./core/errors";
export type { Duration, Quantity } from "./core/values";
export type { Tier } from "./core/context";
export type { WorkloadKind } from "./core/kinds";
export { StackDefaults } from "./core/stack-defaults";
export type { StackDefaultsProps } from "./core/stack-defaults";
export { IamBinding } from "./iam/iam-binding";
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
} from "./iam/iam-binding";
export {
  grantRunBuilder,
  grantDeployers,
  BUILD_APIS,
  DEPLOYER_PROJECT_ROLES,
  DEPLOYER_SERVICE_ACCOUNT_ROLE,
} from "./iam/grants";
export type {
  GrantRunBuilderOptions,
  RunBuilderGrant,
  GrantDeployersOptions,
  DeployerGrants,
} from "./iam/grants";
export { CloudRunService } from "./service/cloud-run-service";
export type { CloudRunServiceProps, Ingress, TrafficTarget } from "./service/cloud-run-service";
export type { EventTriggerOptions } from "./service/service-events";
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
} from "./workload/workload-props";
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
} from "./function/cloud-run-function";
export type {
  CloudRunFunctionProps,
  FunctionSource,
  BuildRoleGrant,
} from "./function/cloud-run-function";
export { CloudRunJob } from "./job/cloud-run-job";
export type { CloudRunJobProps, JobSchedule } from "./job/cloud-run-job";
export { WorkerPool } from "./worker-pool/worker-pool";
export type { WorkerPoolProps } from "./worker-pool/worker-pool";
export type { KeyRevocationAction } from "./workload/encryption";
export { ArtifactRepository } from "./artifact-repository/artifact-repository";
export type {
  ArtifactRepositoryProps,
  ArtifactRepositoryRemote,
  ImageReaderOptions,
} from "./artifact-repository/artifact-repository";
// Helpers the repository's tools share with the constructs (image references as the constructs
// and checks read them; the service account id a workload gets).
export { parseImageRef, formatImageRef } from "./core/image-ref";
export type { ImageRef, ImageRefResult } from "./core/image-ref";
export { accountId as workloadAccountId } from "./workload/workload";
// Every literal string of a stack reaches Terraform as written (`${` → `$${`, `%{` → `%%{`):
// the constructs install it themselves; a stack that writes values of its own from files
// (provider labels, backend settings) calls it too. See docs/security.md.
export { escapeLiterals } from "./core/escape";
// The label rules of the constructs and the one way values are shown in messages, for the
// environment files of the repository's app.
export { labelProblems } from "./workload/container-rules";
export { show as showValue } from "./core/errors";
