import type { Rule } from "../rule";

const ALL = "INGRESS_TRAFFIC_ALL";

/**
 * Ingress "all" (also the provider's default) on a service that does not need it: a private
 * service (no unauthenticated access) is reachable from the whole internet, authentication its
 * only guard; a service behind a load balancer (a serverless NEG points at it) can be called on
 * its run.app URL, bypassing the load balancer's Cloud Armor policy and IAP.
 */
export const ingressAll: Rule = {
  id: "CHECK_INGRESS_ALL",
  severity: "warning",
  explanation:
    "Ingress is a network boundary in front of IAM. A private service with ingress all accepts connections from the whole internet; a service behind a load balancer with ingress all can be reached on its run.app URL, around Cloud Armor and IAP. Pub/Sub, Eventarc, Cloud Scheduler, Cloud Tasks and Workflows count as internal.",
  fix: 'Set ingress: "internal" (callers in the VPC or Google services of the project) or "internal-and-cloud-load-balancing" (behind a load balancer).',
  appliesTo: (type) => type === "google_cloud_run_v2_service",
  check(r, { stack }) {
    const value = r.config.ingress;
    if (value !== undefined && value !== ALL) return [];
    const backends = stack.loadBalancerBackends(r);
    const unset =
      value === undefined ? " (not set: the provider's default is INGRESS_TRAFFIC_ALL)" : "";
    if (backends.length > 0) {
      return [
        {
          prop: "ingress",
          value,
          why: `the service sits behind a load balancer (${backends.map((b) => b.path).join(", ")}), yet its run.app URL accepts traffic from anywhere${unset}, around Cloud Armor and IAP`,
          fix: 'Set ingress: "internal-and-cloud-load-balancing" (INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER)',
        },
      ];
    }
    if (stack.isPublic(r)) return [];
    return [
      {
        prop: "ingress",
        value,
        why: `the service allows no unauthenticated calls, yet accepts connections from the whole internet${unset}`,
        fix: 'Set ingress: "internal" (callers in the VPC, Pub/Sub, Eventarc, Scheduler, Tasks) or "internal-and-cloud-load-balancing"; suppress CHECK_INGRESS_ALL with a reason if callers outside Google Cloud need it',
      },
    ];
  },
};
