/** Every rule of the pack, in the order findings are reported for one resource. */
import type { Rule } from "../rule";
import { publicService } from "./public-service";
import { publicJob } from "./public-job";
import { defaultServiceAccount } from "./default-service-account";
import { imageDigest } from "./image-digest";
import { imageRegistry } from "./image-registry";
import { deletionProtection } from "./deletion-protection";
import { authoritativeIam } from "./authoritative-iam";
import { basicRole } from "./basic-role";
import { projectActAs } from "./project-act-as";
import { apiDisableOnDestroy } from "./api-disable-on-destroy";
import { secretEnv } from "./secret-env";
import { secretLatest } from "./secret-latest";
import { ingressAll } from "./ingress-all";
import { binaryAuthorization } from "./binary-authorization";
import { serviceAccountKey } from "./service-account-key";
import { vpcConnectorAllTraffic } from "./vpc-connector-all-traffic";
import { internalCallerEgress } from "./internal-caller-egress";

export const RULES: readonly Rule[] = [
  publicService,
  publicJob,
  defaultServiceAccount,
  imageDigest,
  imageRegistry,
  deletionProtection,
  authoritativeIam,
  basicRole,
  projectActAs,
  apiDisableOnDestroy,
  secretEnv,
  secretLatest,
  ingressAll,
  binaryAuthorization,
  serviceAccountKey,
  vpcConnectorAllTraffic,
  internalCallerEgress,
];
