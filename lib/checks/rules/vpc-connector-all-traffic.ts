import type { Rule } from "../rule";
import { block, revisionTemplate, workloadKind } from "../terraform-config";

/**
 * A Serverless VPC Access connector that carries all traffic (`egress = "ALL_TRAFFIC"` with
 * `connector`): every request to the internet, Google APIs included, then passes through the
 * connector's VM instances, whose count and machine type bound the throughput and which are billed
 * while they run. Google's networking best practices
 * (https://cloud.google.com/run/docs/configuring/networking-best-practices) recommend Direct VPC
 * egress for faster egress throughput, with all-traffic as the example for internet traffic; see
 * also https://cloud.google.com/run/docs/configuring/connecting-vpc. A connector with
 * private-ranges-only egress (only VPC traffic through it) is not flagged.
 */
export const vpcConnectorAllTraffic: Rule = {
  id: "CHECK_VPC_CONNECTOR_ALL_TRAFFIC",
  severity: "warning",
  explanation:
    "With a Serverless VPC Access connector and all-traffic egress, every outbound request (internet and Google APIs too) goes through the connector's VM instances, which bound throughput and are billed while they run; Google recommends Direct VPC egress for faster egress.",
  fix: 'Use Direct VPC egress (vpc.network / vpc.subnetwork) with egress "all-traffic", or keep the connector for VPC traffic only (egress "private-ranges-only").',
  appliesTo: (type) => workloadKind(type) !== undefined && workloadKind(type) !== "worker-pool",
  check(r) {
    const t = revisionTemplate(r);
    const access = block(t.block?.vpc_access);
    const connector = access?.connector;
    if (typeof connector !== "string" || connector === "" || access?.egress !== "ALL_TRAFFIC")
      return [];
    return [
      {
        prop: `${t.path}.vpc_access.egress`,
        value: access.egress,
        why: `all outbound traffic of this ${workloadKind(r.type)} goes through the connector ${JSON.stringify(connector)}, whose VM instances bound its throughput and are billed while they run`,
        fix: 'Use Direct VPC egress (vpc: { network, subnetwork, egress: "all-traffic" }), or egress "private-ranges-only" to send only VPC traffic through the connector; suppress CHECK_VPC_CONNECTOR_ALL_TRAFFIC with a reason (e.g. the connector gives a fixed egress IP through Cloud NAT)',
      },
    ];
  },
};
