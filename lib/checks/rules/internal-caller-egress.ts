import type { CheckedResource, Rule, RuleFinding } from "../rule";
import { serviceKeys } from "../stack-view";
import {
  block,
  blocks,
  containersOf,
  isWorkload,
  literalString,
  revisionTemplate,
} from "../terraform-config";

const INTERNAL = "INGRESS_TRAFFIC_INTERNAL_ONLY";
const SERVICE = "google_cloud_run_v2_service";
const SERVICE_IAM = /^google_cloud_run(_v2)?_service_iam_(member|binding)$/;

/** Why `caller` calls `callee`, or `undefined`: an invoker grant to its identity, or its URL in env. */
function callsBecause(
  caller: CheckedResource,
  callee: CheckedResource,
  all: readonly CheckedResource[],
): string | undefined {
  const identity = revisionTemplate(caller).block?.service_account;
  if (typeof identity === "string" && identity !== "") {
    const member = `serviceAccount:${identity}`;
    const calleeName = literalString(callee.config.name);
    const targets = (r: CheckedResource) =>
      serviceKeys(r.config.name ?? r.config.service).some(
        (k) => k === `address:${callee.address}` || (calleeName && k === `name:${calleeName}`),
      );
    const granted = all.some(
      (r) =>
        SERVICE_IAM.test(r.type) &&
        targets(r) &&
        (r.config.member === member ||
          (Array.isArray(r.config.members) && r.config.members.includes(member))),
    );
    if (granted) return "its identity may invoke it (roles/run.invoker)";
  }
  const name = literalString(callee.config.name);
  const literalUrl = name ? new RegExp(`https://${name}-[a-z0-9-]+\\.[a-z0-9.-]*run\\.app`) : null;
  for (const c of containersOf(caller)) {
    for (const e of blocks(c.container.env)) {
      const value = e.value;
      if (typeof value !== "string") continue;
      if (value.includes(`\${${callee.address}.uri}`) || (literalUrl && literalUrl.test(value)))
        return `env ${String(e.name)} holds its URL`;
    }
  }
  return undefined;
}

/**
 * A workload that calls a service with internal ingress (`INGRESS_TRAFFIC_INTERNAL_ONLY`) must
 * send that call through a VPC network: Cloud Run counts a request from another Cloud Run
 * workload as internal only when it arrives over Direct VPC egress (or a connector) routing the
 * run.app address into the VPC (https://cloud.google.com/run/docs/securing/ingress). Without it
 * the call arrives from the internet and is refused, whatever the IAM grant says.
 */
export const internalCallerEgress: Rule = {
  id: "CHECK_INTERNAL_CALLER_EGRESS",
  severity: "error",
  explanation:
    'A service with ingress "internal" accepts requests from other Cloud Run workloads only when they arrive through a VPC network (Direct VPC egress routing all traffic, or a connector). A caller without VPC egress reaches it from the internet and is refused, whatever its IAM grant says.',
  fix: 'Give the caller Direct VPC egress with all traffic routed through the VPC: vpc: { network, subnetwork, egress: "all-traffic" } (Private Google Access on the subnet).',
  appliesTo: isWorkload,
  check(r, { stack }) {
    const callees = stack.resources.filter(
      (s) => s.type === SERVICE && s !== r && s.config.ingress === INTERNAL,
    );
    const findings: RuleFinding[] = [];
    const t = revisionTemplate(r);
    const vpc = block(t.block?.vpc_access);
    const hasPath = vpc !== undefined && (vpc.connector !== undefined || vpc.network_interfaces);
    for (const callee of callees) {
      const why = callsBecause(r, callee, stack.resources);
      if (!why) continue;
      const name = literalString(callee.config.name) ?? callee.address;
      if (!hasPath) {
        findings.push({
          prop: `${t.path}.vpc_access`,
          value: undefined,
          why: `it calls the internal-ingress service "${name}" (${why}) but has no VPC egress, so its requests arrive from the internet and are refused`,
          fix: `Set vpc: { network, subnetwork, egress: "all-traffic" } on the caller (Direct VPC egress), or give "${name}" another ingress`,
        });
      } else if (vpc?.egress !== "ALL_TRAFFIC") {
        findings.push({
          prop: `${t.path}.vpc_access.egress`,
          value: vpc?.egress,
          severity: "warning",
          why: `it calls the internal-ingress service "${name}" (${why}), but only private ranges go through the VPC; the run.app address is public, so the call takes the internet unless private DNS sends run.app into the VPC`,
          fix: 'Set vpc.egress to "all-traffic"',
        });
      }
    }
    return findings;
  },
};
