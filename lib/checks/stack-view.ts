/**
 * The checked resources of one stack, with the relations some rules need: which IAM resources
 * grant on a Cloud Run service, and which serverless NEGs put a load balancer in front of it.
 * A resource refers to a service by a reference (`${google_cloud_run_v2_service.x.name}`) or by
 * the service's literal name.
 */
import type { CheckedResource } from "./checked-resource";
import { type Grant, block, grantsOf, isPublicMember, literalString } from "./terraform-config";

/** IAM types that grant on a Cloud Run service (v2, and v1 which reaches the same service). */
const SERVICE_IAM = /^google_cloud_run(_v2)?_service_iam_(member|binding|policy)$/;
const SERVERLESS_NEG = /^google_compute_(region_)?network_endpoint_group$/;

/** Types the relations read, besides the types the rules check themselves. */
export function isContextType(type: string): boolean {
  return SERVICE_IAM.test(type) || SERVERLESS_NEG.test(type);
}

export class StackView {
  private readonly serviceIam: Map<string, CheckedResource[]>;
  private readonly negs: Map<string, CheckedResource[]>;

  constructor(public readonly resources: readonly CheckedResource[]) {
    this.serviceIam = indexByService(
      resources.filter((r) => SERVICE_IAM.test(r.type)),
      (r) => r.config.name ?? r.config.service,
    );
    this.negs = indexByService(
      resources.filter((r) => SERVERLESS_NEG.test(r.type)),
      (r) => block(r.config.cloud_run)?.service,
    );
  }

  /** The grants of every IAM resource on `service`. */
  grantsOn(service: CheckedResource): Array<{ resource: CheckedResource; grant: Grant }> {
    return lookup(this.serviceIam, service).flatMap((resource) =>
      grantsOf(resource).map((grant) => ({ resource, grant })),
    );
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
    return lookup(this.negs, service);
  }
}

const SERVICE_REFERENCE = /\$\{(google_cloud_run_v2_service\.[A-Za-z0-9_-]+)\./g;

/**
 * The keys under which a value names a service: `address:TYPE.ID` for each reference to one,
 * `name:NAME` for a literal name or full resource name (`projects/P/locations/L/services/NAME`).
 */
export function serviceKeys(value: unknown): string[] {
  if (typeof value !== "string") return [];
  const literal = literalString(value);
  if (literal) return [`name:${literal.split("/services/").pop()}`];
  return [...value.matchAll(SERVICE_REFERENCE)].map((m) => `address:${m[1]}`);
}

function indexByService(
  resources: readonly CheckedResource[],
  target: (r: CheckedResource) => unknown,
): Map<string, CheckedResource[]> {
  const index = new Map<string, CheckedResource[]>();
  for (const r of resources) {
    for (const key of new Set(serviceKeys(target(r)))) {
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
  }
  return index;
}

function lookup(
  index: Map<string, CheckedResource[]>,
  service: CheckedResource,
): CheckedResource[] {
  const byAddress = index.get(`address:${service.address}`) ?? [];
  const name = literalString(service.config.name);
  const byName = name ? (index.get(`name:${name}`) ?? []) : [];
  return [...new Set([...byAddress, ...byName])];
}
