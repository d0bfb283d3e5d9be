/**
 * The two ways a workload reaches a VPC network, as `template.vpc_access`: Direct VPC egress
 * (`vpc.network` / `vpc.subnetwork`, `network_interfaces`) or a Serverless VPC Access connector
 * (`vpc.connector`, `gcloud run deploy --vpc-connector`). Exactly one of them; both take the same
 * `egress` choice (`--vpc-egress`).
 *
 * Sources:
 * - Terraform provider 6.50 (`google/services/cloudrunv2/resource_cloud_run_v2_{service,job}.go`
 *   at v6.50.0): `vpc_access.connector`, "Format: projects/{project}/locations/{location}/
 *   connectors/{connector}", passed to the API and read back unchanged (no diff suppression).
 *   `resource_cloud_run_v2_worker_pool.go` has no `connector` in `vpc_access`: worker pools
 *   refuse one.
 * - The provider's acceptance tests at v6.50.0 (`resource_cloud_run_v2_service_test.go`,
 *   `resource_cloud_run_v2_job_test.go`) pass `google_vpc_access_connector.connector.id`, i.e.
 *   the full name, and check that the next plan is empty; a mismatch between a bare name and the
 *   full name shows as a permanent diff (GoogleCloudPlatform/magic-modules#10332, closed
 *   unmerged, pointing at the API's documented format). So a bare name is expanded to the full
 *   name in the workload's project and region, as gcloud's `--vpc-connector NAME` does.
 * - https://cloud.google.com/vpc/docs/serverless-vpc-access: a connector is a regional resource
 *   serving workloads of its region; `google_vpc_access_connector` names are at most 25
 *   characters (provider 6.50 `resource_vpc_access_connector.go`, `name`).
 * - The API refuses both at once ("one and only one of connector and network_interfaces must be
 *   set", googleapis/google-cloud-node#4731); network tags are a Direct VPC egress setting.
 */
import { IConstruct } from "constructs";
import { problem } from "../core/errors";
import { workloadErrors } from "./errors";
import { isUnresolved } from "../core/values";
import { Block, compact } from "./container-mapping";
import type { Finding } from "./container-rules";
import type { WorkloadKind } from "../core/kinds";
import type { VpcEgress } from "./workload-props";

/** A connector's own name: lowercase letters, digits and hyphens, at most 25 characters. */
export const CONNECTOR_NAME = /^[a-z]([-a-z0-9]{0,23}[a-z0-9])?$/;
/** `projects/P/locations/REGION/connectors/NAME`. */
export const CONNECTOR_PATH =
  /^projects\/([a-z0-9][-a-z0-9.:]*[a-z0-9])\/locations\/([a-z0-9-]+)\/connectors\/([a-z]([-a-z0-9]{0,23}[a-z0-9])?)$/;

/** Does `vpc` choose Direct VPC egress (a network or subnetwork)? */
export function usesDirectVpcEgress(vpc: VpcEgress | undefined): boolean {
  return vpc !== undefined && (vpc.network !== undefined || vpc.subnetwork !== undefined);
}

/** Single-prop problems of `vpc.connector` (thrown by the constructor). */
export function vpcConnectorFindings(
  scope: IConstruct,
  kind: WorkloadKind,
  vpc: VpcEgress | undefined,
): Finding[] {
  const connector: unknown = vpc?.connector;
  if (vpc === undefined || connector === undefined) return [];
  const out: Finding[] = [];
  const report = (code: string, prop: string, value: unknown, rule: string, fix: string) =>
    out.push({ problem: problem(code, scope, prop, value, rule, fix) });
  if (kind === "worker-pool") {
    report(
      "CR_VPC_CONNECTOR",
      "vpc.connector",
      connector,
      "google_cloud_run_v2_worker_pool in Terraform provider 6.50 has no vpc_access.connector, so a worker pool reaches a VPC by Direct VPC egress only",
      "Remove vpc.connector and set vpc.network or vpc.subnetwork",
    );
    return out;
  }
  if (
    !isUnresolved(connector) &&
    (typeof connector !== "string" ||
      !(CONNECTOR_NAME.test(connector) || CONNECTOR_PATH.test(connector)))
  ) {
    report(
      "CR_VPC_CONNECTOR",
      "vpc.connector",
      connector,
      "a Serverless VPC Access connector is its name (lowercase letters, digits and hyphens, at most 25 characters) or projects/PROJECT/locations/REGION/connectors/NAME",
      'Write e.g. "run-egress" or "projects/acme-net/locations/us-central1/connectors/run-egress"',
    );
  }
  if (usesDirectVpcEgress(vpc)) {
    const direct = [
      vpc.network !== undefined ? "vpc.network" : "",
      vpc.subnetwork !== undefined ? "vpc.subnetwork" : "",
    ]
      .filter(Boolean)
      .join(" and ");
    report(
      "CR_VPC",
      "vpc.connector",
      connector,
      `a workload reaches a VPC through a Serverless VPC Access connector (vpc.connector) or by Direct VPC egress (vpc.network / vpc.subnetwork), not both, and ${direct} is set too`,
      `Remove vpc.connector to use Direct VPC egress, or remove ${direct} to use the connector`,
    );
  }
  if (vpc.tags !== undefined) {
    report(
      "CR_VPC",
      "vpc.tags",
      vpc.tags,
      "network tags belong to Direct VPC egress; traffic through a connector carries the connector's own tags",
      "Remove vpc.tags, or use Direct VPC egress (vpc.network / vpc.subnetwork) instead of vpc.connector",
    );
  }
  return out;
}

/** Cross-prop problem: a connector path in another region than the workload (checked at synth). */
export function vpcConnectorRegionFindings(
  scope: IConstruct,
  vpc: VpcEgress | undefined,
  region: string,
): Finding[] {
  const connector: unknown = vpc?.connector;
  if (typeof connector !== "string" || region === "" || isUnresolved(region)) return [];
  if (isUnresolved(connector)) return [];
  const location = CONNECTOR_PATH.exec(connector)?.[2];
  if (location === undefined || location === region) return [];
  return [
    {
      problem: workloadErrors.vpcConnectorRegion(scope, connector, location, region),
    },
  ];
}

/** The connector's full name: a bare name is placed in `project` and `region`. */
export function connectorPath(connector: string, project: string, region: string): string {
  if (isUnresolved(connector) || !CONNECTOR_NAME.test(connector)) return connector;
  return `projects/${project}/locations/${region}/connectors/${connector}`;
}

/**
 * `template.vpc_access`: `egress` always written (the API defaults to PRIVATE_RANGES_ONLY and
 * the provider marks it Computed), then either the connector or one network interface.
 */
export function vpcAccessBlock(
  vpc: VpcEgress | undefined,
  connector: string | undefined,
): Block | undefined {
  if (!vpc) return undefined;
  const egress = vpc.egress === "all-traffic" ? "ALL_TRAFFIC" : "PRIVATE_RANGES_ONLY";
  if (connector !== undefined) return { connector, egress };
  return {
    egress,
    networkInterfaces: [
      compact({
        network: vpc.network,
        subnetwork: vpc.subnetwork,
        tags: vpc.tags ? [...vpc.tags] : undefined,
      }),
    ],
  };
}
