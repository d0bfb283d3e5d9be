/**
 * Customer-managed encryption keys (CMEK, `gcloud run deploy --key`): validation of
 * `encryptionKey` and of the worker pool's key-revocation props, their mapping, and the grant on
 * the key that the prerequisites table's `cmek` row makes.
 *
 * Sources:
 * - https://cloud.google.com/run/docs/securing/using-cmek: Cloud Run encrypts the deployed image
 *   with the key; the Cloud Run service agent
 *   (`service-PROJECT_NUMBER@serverless-robot-prod.iam.gserviceaccount.com`) needs Cloud KMS
 *   CryptoKey Encrypter/Decrypter on the key; a disabled key stops new instances and deploys.
 * - https://cloud.google.com/functions/docs/securing/cmek (the same setup for Cloud Run
 *   functions, which refers to the Cloud Run page for details): "Create a single-region key".
 *   We read that as: the key's location is the workload's region (not `global`, not a
 *   multi-region such as `us` or `europe`). A key elsewhere is rejected before deploy.
 * - Terraform provider 6.50 (`google/services/cloudrunv2/resource_cloud_run_v2_*.go` at
 *   v6.50.0): `template.encryption_key` (service, worker pool), `template.template.encryption_key`
 *   (job); only the worker pool has `encryption_key_revocation_action` (PREVENT_NEW | SHUTDOWN)
 *   and `encryption_key_shutdown_duration` ("…s", "The minimum increment is 1 hour").
 */
import { Construct, IConstruct } from "constructs";
import { TerraformResource, TerraformStack } from "cdktf";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member";
import { ProjectApis } from "../apis/project-apis";
import { workloadErrors } from "./errors";
import { isUnresolved, parseDuration } from "../core/values";
import { safeId } from "../core/stack-singletons";
import type { Finding } from "./container-rules";
import type { Duration, WorkloadProps } from "./workload-props";

/** `projects/P/locations/L/keyRings/R/cryptoKeys/K` (Cloud KMS resource names). */
export const CRYPTO_KEY =
  /^projects\/([a-z0-9][-a-z0-9.:]*[a-z0-9])\/locations\/([a-z0-9-]+)\/keyRings\/([A-Za-z0-9_-]{1,63})\/cryptoKeys\/([A-Za-z0-9_-]{1,63})$/;

/** The key's location, or `undefined` for a token or a malformed name. */
export function keyLocation(key: string): string | undefined {
  if (isUnresolved(key)) return undefined;
  return CRYPTO_KEY.exec(key)?.[2];
}

/** What a worker pool does when its key is revoked (`--post-key-revocation-action-type`). */
export type KeyRevocationAction = "prevent-new" | "shut-down";

/** API enum of each revocation action. */
export const KEY_REVOCATION_ACTION: Record<KeyRevocationAction, string> = {
  "prevent-new": "PREVENT_NEW",
  "shut-down": "SHUTDOWN",
};

/** The props of a worker pool's key revocation (see `WorkerPoolProps`). */
export interface KeyRevocationProps {
  /** @default - Google-managed encryption (no `encryption_key`) */
  readonly encryptionKey?: string | undefined;
  /** @default "prevent-new" - written explicitly whenever encryptionKey is set */
  readonly encryptionKeyRevocationAction?: KeyRevocationAction | undefined;
  /** @default - not written: Cloud Run's default delay (only with `"shut-down"`) */
  readonly encryptionKeyShutdownDuration?: Duration | undefined;
}

/** Single-prop problems of `encryptionKey` (thrown by the constructor). */
export function encryptionKeyFindings(scope: IConstruct, props: WorkloadProps): Finding[] {
  const key: unknown = props.encryptionKey;
  if (key === undefined || isUnresolved(key)) return [];
  if (typeof key === "string" && CRYPTO_KEY.test(key)) return [];
  return [
    {
      problem: workloadErrors.encryptionKey(scope, key),
    },
  ];
}

/** Cross-prop problem: the key is not in the workload's region (checked at synth). */
export function encryptionKeyRegionFindings(
  scope: IConstruct,
  key: string | undefined,
  region: string,
): Finding[] {
  if (key === undefined || region === "" || isUnresolved(region)) return [];
  const location = keyLocation(key);
  if (location === undefined || location === region) return [];
  return [
    {
      problem: workloadErrors.encryptionKeyRegion(scope, key, location, region),
    },
  ];
}

/**
 * Problems of a worker pool's `encryptionKeyRevocationAction` and
 * `encryptionKeyShutdownDuration`; returns the shutdown duration in seconds when valid.
 */
export function keyRevocationFindings(
  scope: IConstruct,
  props: KeyRevocationProps,
): { findings: Finding[]; shutdownSeconds?: number | undefined } {
  const findings: Finding[] = [];
  const report = (prop: string, value: unknown, rule: string, fix: string) =>
    findings.push({
      problem: workloadErrors.encryptionKeyRevocation(scope, value, prop, rule, fix),
    });
  const action: unknown = props.encryptionKeyRevocationAction;
  const duration: unknown = props.encryptionKeyShutdownDuration;
  if (action !== undefined && !(typeof action === "string" && action in KEY_REVOCATION_ACTION)) {
    report(
      "encryptionKeyRevocationAction",
      action,
      'allowed values are "prevent-new" (no new instances start) and "shut-down" (running instances stop too)',
      "Use one of them",
    );
  }
  for (const [prop, value] of [
    ["encryptionKeyRevocationAction", action],
    ["encryptionKeyShutdownDuration", duration],
  ] as const) {
    if (value !== undefined && props.encryptionKey === undefined)
      report(
        prop,
        value,
        "it says what happens when the encryption key is revoked, and encryptionKey is not set",
        `Set encryptionKey or remove ${prop}`,
      );
  }
  let shutdownSeconds: number | undefined;
  if (duration !== undefined && !isUnresolved(duration)) {
    const seconds =
      typeof duration === "string" || typeof duration === "number"
        ? parseDuration(duration)
        : undefined;
    if (seconds === undefined || seconds <= 0 || seconds % 3600 !== 0) {
      report(
        "encryptionKeyShutdownDuration",
        duration,
        'the shutdown delay after a key revocation is a whole number of hours (provider 6.50: "The minimum increment is 1 hour")',
        'Write e.g. "1h" or "24h"',
      );
    } else {
      shutdownSeconds = seconds;
      if ((action ?? "prevent-new") !== "shut-down") {
        report(
          "encryptionKeyShutdownDuration",
          duration,
          'a shutdown delay applies only with encryptionKeyRevocationAction "shut-down"',
          'Set encryptionKeyRevocationAction: "shut-down" or remove encryptionKeyShutdownDuration',
        );
      }
    }
  }
  return { findings, shutdownSeconds };
}

/**
 * `google_kms_crypto_key_iam_member` on `key`, once per stack, key, role and member: the grantee
 * is a project's Cloud Run service agent, shared by every workload of that project, so two
 * workloads with one key share one grant (two resources managing one binding would fight when
 * one is destroyed). It waits for the APIs: the agent exists once run.googleapis.com is enabled.
 */
export function cryptoKeyGrant(
  scope: Construct,
  key: string,
  role: string,
  member: string,
  memberId?: string,
): TerraformResource {
  const stack = TerraformStack.of(scope);
  const group =
    (stack.node.tryFindChild("CryptoKeyGrants") as Construct | undefined) ??
    new Construct(stack, "CryptoKeyGrants");
  const id = safeId(`${key}-${role.replace(/^roles\//, "")}-${memberId ?? member}`);
  const existing = group.node.tryFindChild(id);
  if (existing instanceof KmsCryptoKeyIamMember) return existing;
  const grant = new KmsCryptoKeyIamMember(group, id, { cryptoKeyId: key, role, member });
  ProjectApis.of(scope).dependOn(grant);
  return grant;
}
