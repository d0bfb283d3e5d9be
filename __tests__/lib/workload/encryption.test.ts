/** Customer-managed encryption keys (`encryptionKey`, `--key`) on services, jobs and worker pools. */
import { Fn } from "cdktf";
import {
  CloudRunJob,
  CloudRunJobProps,
  CloudRunService,
  CloudRunServiceProps,
  WorkerPool,
  WorkerPoolProps,
} from "@cdktf-cloud-run/constructs";
import { only, plainStack, resources, synth, TfJson } from "../../helpers";

const IMAGE = `us-docker.pkg.dev/acme-ci/apps/api@sha256:${"a".repeat(64)}`;
const KEY = "projects/acme-kms/locations/us-central1/keyRings/run/cryptoKeys/api";
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function serviceJson(props: Partial<CloudRunServiceProps>): TfJson {
  const stack = plainStack();
  new CloudRunService(stack, "api", { image: IMAGE, ...props });
  return synth(stack);
}

function job(props: Partial<CloudRunJobProps>): Json {
  const stack = plainStack();
  new CloudRunJob(stack, "report", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_job");
}

function pool(props: Partial<WorkerPoolProps>): Json {
  const stack = plainStack();
  new WorkerPool(stack, "pool", { image: IMAGE, ...props });
  return only(synth(stack), "google_cloud_run_v2_worker_pool");
}

const service = (props: Partial<CloudRunServiceProps>): Json =>
  only(serviceJson(props), "google_cloud_run_v2_service");

describe("encryptionKey: the mapping", () => {
  test("a service writes template.encryption_key", () => {
    expect(service({ encryptionKey: KEY }).template.encryption_key).toBe(KEY);
  });

  test("a job writes template.template.encryption_key", () => {
    const j = job({ encryptionKey: KEY });
    expect(j.template.template.encryption_key).toBe(KEY);
    expect(j.template.encryption_key).toBeUndefined();
  });

  test("a worker pool writes template.encryption_key and the revocation action prevent-new", () => {
    const p = pool({ encryptionKey: KEY });
    expect(p.template.encryption_key).toBe(KEY);
    expect(p.template.encryption_key_revocation_action).toBe("PREVENT_NEW");
    expect(p.template.encryption_key_shutdown_duration).toBeUndefined();
  });

  test('a worker pool with "shut-down" after "24h" writes SHUTDOWN and 86400s', () => {
    const p = pool({
      encryptionKey: KEY,
      encryptionKeyRevocationAction: "shut-down",
      encryptionKeyShutdownDuration: "24h",
    });
    expect(p.template.encryption_key_revocation_action).toBe("SHUTDOWN");
    expect(p.template.encryption_key_shutdown_duration).toBe("86400s");
  });

  test("without a key nothing is written (Google default encryption) and no KMS grant is made", () => {
    const json = serviceJson({});
    expect(
      (only(json, "google_cloud_run_v2_service") as Json).template.encryption_key,
    ).toBeUndefined();
    expect(resources(json, "google_kms_crypto_key_iam_member")).toEqual({});
    const p = pool({});
    expect(p.template.encryption_key).toBeUndefined();
    expect(p.template.encryption_key_revocation_action).toBeUndefined();
  });

  test("a key in another project is granted on the key to the agent of the workload's project", () => {
    const stack = plainStack({ project: "acme-dev" });
    new CloudRunService(stack, "api", { image: IMAGE, project: "acme-prod", encryptionKey: KEY });
    const json = synth(stack);
    const grant = only(json, "google_kms_crypto_key_iam_member");
    expect(grant.crypto_key_id).toBe(KEY);
    const data = Object.entries(json.data?.google_project ?? {}).find(
      ([, d]) => d.project_id === "acme-prod",
    );
    expect(grant.member).toBe(
      `serviceAccount:service-\${data.google_project.${data?.[0]}.number}@serverless-robot-prod.iam.gserviceaccount.com`,
    );
  });

  test("two workloads with the same key share one grant", () => {
    const stack = plainStack();
    new CloudRunService(stack, "a", { image: IMAGE, encryptionKey: KEY });
    new CloudRunJob(stack, "b", { image: IMAGE, encryptionKey: KEY });
    expect(Object.keys(resources(synth(stack), "google_kms_crypto_key_iam_member"))).toHaveLength(
      1,
    );
  });

  test("a key only known at apply time is written and granted, not validated", () => {
    const stack = plainStack();
    const key = Fn.join("/", ["projects/p/locations/europe-west1/keyRings/r/cryptoKeys", "k"]);
    new CloudRunService(stack, "api", { image: IMAGE, encryptionKey: key });
    const json = synth(stack);
    expect((only(json, "google_cloud_run_v2_service") as Json).template.encryption_key).toMatch(
      /^\$\{/,
    );
    expect(only(json, "google_kms_crypto_key_iam_member").crypto_key_id).toMatch(/^\$\{/);
  });
});

describe("encryptionKey: errors", () => {
  test("a key that is not a Cloud KMS key name is CR_ENCRYPTION_KEY", () => {
    expect(() => service({ encryptionKey: "run/api" })).toThrow(
      'CR_ENCRYPTION_KEY: [test/api] encryptionKey is "run/api"; a customer-managed encryption key is a Cloud KMS key name projects/PROJECT/locations/REGION/keyRings/RING/cryptoKeys/KEY.',
    );
  });

  test("a key version (…/cryptoKeyVersions/1) is not a key", () => {
    expect(() => job({ encryptionKey: `${KEY}/cryptoKeyVersions/1` })).toThrow(
      "CR_ENCRYPTION_KEY: [test/report] encryptionKey",
    );
  });

  test("a key in another region than the workload is CR_ENCRYPTION_KEY_REGION at synth", () => {
    const key = "projects/acme-kms/locations/europe-west1/keyRings/run/cryptoKeys/api";
    expect(() => service({ encryptionKey: key })).toThrow(
      `CR_ENCRYPTION_KEY_REGION: [test/api] encryptionKey is "${key}"; the key is in "europe-west1" and the workload in "us-central1"`,
    );
  });

  test("a global or multi-region key is CR_ENCRYPTION_KEY_REGION", () => {
    for (const location of ["global", "us"]) {
      const key = `projects/acme-kms/locations/${location}/keyRings/run/cryptoKeys/api`;
      expect(() => pool({ encryptionKey: key })).toThrow(
        `the key is in "${location}" and the workload in "us-central1"`,
      );
    }
  });

  test("the region rule reads the workload's own region", () => {
    const key = "projects/acme-kms/locations/europe-west1/keyRings/run/cryptoKeys/api";
    expect(() => service({ encryptionKey: key, region: "europe-west1" })).not.toThrow();
  });

  test("a revocation action without a key is CR_ENCRYPTION_KEY_REVOCATION", () => {
    expect(() => pool({ encryptionKeyRevocationAction: "shut-down" })).toThrow(
      'CR_ENCRYPTION_KEY_REVOCATION: [test/pool] encryptionKeyRevocationAction is "shut-down"; it says what happens when the encryption key is revoked, and encryptionKey is not set. Set encryptionKey or remove encryptionKeyRevocationAction.',
    );
  });

  test("an unknown revocation action is CR_ENCRYPTION_KEY_REVOCATION", () => {
    expect(() =>
      pool({
        encryptionKey: KEY,
        encryptionKeyRevocationAction:
          "SHUTDOWN" as WorkerPoolProps["encryptionKeyRevocationAction"],
      }),
    ).toThrow(
      'CR_ENCRYPTION_KEY_REVOCATION: [test/pool] encryptionKeyRevocationAction is "SHUTDOWN"; allowed values are "prevent-new"',
    );
  });

  test("a shutdown delay that is not whole hours is CR_ENCRYPTION_KEY_REVOCATION", () => {
    for (const d of ["90m", 0, "soon"]) {
      expect(() =>
        pool({
          encryptionKey: KEY,
          encryptionKeyRevocationAction: "shut-down",
          encryptionKeyShutdownDuration: d,
        }),
      ).toThrow("CR_ENCRYPTION_KEY_REVOCATION: [test/pool] encryptionKeyShutdownDuration is");
    }
  });

  test('a shutdown delay without "shut-down" is CR_ENCRYPTION_KEY_REVOCATION', () => {
    expect(() => pool({ encryptionKey: KEY, encryptionKeyShutdownDuration: "1h" })).toThrow(
      'encryptionKeyShutdownDuration is "1h"; a shutdown delay applies only with encryptionKeyRevocationAction "shut-down"',
    );
  });

  test("services and jobs have no revocation props (provider 6.50 has them on worker pools only)", () => {
    const props = { encryptionKey: KEY, encryptionKeyRevocationAction: "shut-down" };
    expect(() => service(props as Partial<CloudRunServiceProps>)).toThrow(
      'CR_UNKNOWN_PROP: [test/api] encryptionKeyRevocationAction is "shut-down"',
    );
    expect(() => job(props as Partial<CloudRunJobProps>)).toThrow(
      'CR_UNKNOWN_PROP: [test/report] encryptionKeyRevocationAction is "shut-down"',
    );
  });
});
