/**
 * The checked resources of one stack, with the relations some rules need: which IAM resources
 * grant on a Cloud Run service, and which serverless NEGs put a load balancer in front of it.
 * A resource refers to a service by a reference (`${google_cloud_run_v2_service.x.name}`) or by
 * the service's literal name.
 */
import type { CheckedResource } from "./rule";
import { Grant, block, grantsOf, iamKind, isPublicMember, literalString } from "./terraform-config";

/** IAM types that grant on a Cloud Run service (v2, and v1 which reaches the same service). */
const SERVICE_IAM = /^google_cloud_run(_v2)?_service_iam_(member|binding|policy)$/;
const SERVERLESS_NEG = /^google_compute_(region_)?network_endpoint_group$/;

/** Types the relations read, besides the types the rules check themselves. */
export function isContextType(type: string): boolean {
  return SERVICE_IAM.test(type) || SERVERLESS_NEG.test(type);
}

export class StackView {
  private readonly serviceIam: CheckedResource[];
  private readonly negs: CheckedResource[];

  constructor(public readonly resources: readonly CheckedResource[]) {
    this.serviceIam = resources.filter((r) => SERVICE_IAM.test(r.type) && iamKind(r.type));
    this.negs = resources.filter((r) => SERVERLESS_NEG.test(r.type));
  }

  /** The grants of every IAM resource on `service`. */
  grantsOn(service: CheckedResource): Array<{ resource: CheckedResource; grant: Grant }> {
    return this.serviceIam
      .filter((iam) => refersTo(iam.config.name ?? iam.config.service, service))
      .flatMap((resource) => grantsOf(resource).map((grant) => ({ resource, grant })));
  }

  /** True when anyone may call `service` without authenticating. */
  isPublic(service: CheckedResource): boolean {
    return (
      service.config.invoker_iam_disabled === true ||
      this.grantsOn(service).some((g) => isPublicMember(g.grant.member))
    );
  }

  /** Serverless network endpoint groups (load balancer backends) that send traffic to `service`. */
  loadBalancerBackends(service: CheckedResource): CheckedResource[] {
    return this.negs.filter((neg) => refersTo(block(neg.config.cloud_run)?.service, service));
  }
}

/** True when `value` names `service`: a reference to it, its name, or its full resource name. */
export function refersTo(value: unknown, service: CheckedResource): boolean {
  if (typeof value !== "string") return false;
  if (value.includes(`${service.address}.`)) return true;
  const name = literalString(service.config.name);
  if (!name || !literalString(value)) return false;
  return value === name || value.endsWith(`/services/${name}`);
}
